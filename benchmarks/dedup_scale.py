"""Memory of dedup's corpus-wide step as the corpus grows, on synthetic keys files (no text).

    .venv/bin/python benchmarks/dedup_scale.py --articles 1000000 3000000 10000000

The corpus-wide step (`corpus.stages.dedup.find_duplicates`: read the keys, verify the LSH candidates,
cluster, decide) is the only part of the pipeline that sees every article at once; everything else maps
over units. Building a 10M-article corpus to measure it would take hours, so this writes the keys files
that step 1 would have written — random ids, text keys and MinHash signatures, with planted exact copies
(same text key and signature) and near copies (a signature with PERTURBED of its values redrawn) — and runs
step 2 on them in a fresh process, sampling its resident memory every 50 ms: all of it (VmRSS, which counts
the pages of memory-mapped scratch files the step touched: page cache the OS can take back) and its own
(RssAnon).
"""

from __future__ import annotations

import argparse
import multiprocessing
import queue
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from corpus.dedup.bands import Part
from corpus.dedup.keys import key_schema, signature_array
from corpus.dedup.minhash import MinHashConfig, band_keys
from corpus.params import DedupParams
from corpus.plumbing.shards import ShardWriter
from corpus.stages.dedup import config_of, find_duplicates

UNIT_ROWS = 5_000
EXACT, NEAR = 0.02, 0.05  # planted copies, as fractions of the records
PERTURBED = 16  # of 128 values redrawn in a near copy: estimated Jaccard ~0.87


def write_keys(folder: Path, articles: int, config: MinHashConfig) -> list[Part]:
    """Keys files of `articles` records in units of UNIT_ROWS; each unit's part (a key of its own)."""
    rng = np.random.default_rng(articles)
    schema = key_schema(config)
    parts = []
    for number, start in enumerate(range(0, articles, UNIT_ROWS)):
        rows = min(UNIT_ROWS, articles - start)
        sigs = rng.integers(0, 2**32, size=(rows, config.num_perm), dtype=np.uint32)
        text_keys = rng.integers(0, 256, size=(rows, 16), dtype=np.uint8)
        copies = rng.random(rows)
        originals = (rng.random(rows) * np.arange(rows)).astype(np.int64)  # an earlier record of the unit
        exact = np.flatnonzero((copies < EXACT) & (np.arange(rows) > 0))
        near = np.flatnonzero((copies >= EXACT) & (copies < EXACT + NEAR) & (np.arange(rows) > 0))
        sigs[exact], text_keys[exact] = sigs[originals[exact]], text_keys[originals[exact]]
        sigs[near] = sigs[originals[near]]
        redrawn = rng.integers(0, config.num_perm, size=(len(near), PERTURBED))
        sigs[near[:, None], redrawn] = rng.integers(0, 2**32, size=redrawn.shape, dtype=np.uint32)
        ids = rng.integers(0, 256, size=(rows, 12), dtype=np.uint8)
        bands = band_keys(sigs, config)
        table = pa.Table.from_arrays([
            pa.array([row.tobytes().hex() for row in ids]),
            pa.array([f"segment-{start + i}" for i in range(rows)]),
            pa.array([row.tobytes().hex() for row in text_keys]),
            pa.array(np.zeros(rows, dtype=bool)),
            pa.array(rng.integers(300, 3_000, size=rows)),
            pa.nulls(rows, schema.field("published_at").type),
            signature_array(sigs, config.num_perm),
            *[pa.array(bands[:, b]) for b in range(config.bands)],
        ], schema=schema)
        unit = f"u{number:06d}"
        with ShardWriter(folder, f"keys-{unit}", schema, unit_key=unit) as writer:
            writer.write(table)
        parts.append(Part(unit, rows))
    return parts


def _measured(folder: Path, parts: list[Part], config: MinHashConfig, results: multiprocessing.Queue) -> None:
    peaks = {"VmRSS": 0, "RssAnon": 0}
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            for line in Path("/proc/self/status").read_text().splitlines():
                key, _, value = line.partition(":")
                if key in peaks:
                    peaks[key] = max(peaks[key], int(value.split()[0]) // 1024)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    found = find_duplicates(folder, [part.key for part in parts], parts, config)
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    results.put((wall, peaks["VmRSS"], peaks["RssAnon"], len(found.decisions.duplicates), found.decisions.clusters))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, nargs="+", default=[1_000_000])
    args = parser.parse_args()
    config = config_of(DedupParams())
    print("| articles | step 2 s | peak RSS MB | peak RssAnon MB | duplicates removed | clusters |\n"
          "|---|---|---|---|---|---|")
    for articles in args.articles:
        with tempfile.TemporaryDirectory(prefix="corpus-dedup-scale-") as scratch:
            parts = write_keys(Path(scratch), articles, config)
            context = multiprocessing.get_context("spawn")
            results = context.Queue()
            child = context.Process(target=_measured, args=(Path(scratch), parts, config, results))
            child.start()
            while True:
                try:
                    wall, rss, anon, removed, clusters = results.get(timeout=5)
                    break
                except queue.Empty:
                    if not child.is_alive():
                        raise RuntimeError(f"the corpus-wide step failed at {articles:,} articles") from None
            child.join()
        print(f"| {articles:,} | {wall:.1f} | {rss:,} | {anon:,} | {removed:,} | {clusters:,} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
