"""How many Parquet bytes change between two releases that differ by a few added raw files.

    .venv/bin/python benchmarks/release_delta.py --articles 5000 --added 100

Both releases' data files are cut into content-defined chunks (a Gear rolling hash over the last 64
bytes, ~16 KiB average, as deduplicating stores such as the Hub's Xet storage do); the figure is the
share of the new release's bytes that are in chunks the old release does not have. Run once with
pyarrow's content-defined chunking (what publish uses) and once without, for comparison.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import itertools
import shutil
import sys
import tempfile
from pathlib import Path
from unittest import mock

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import write_corpus

import corpus.release.parquet_set as parquet_set
from corpus.pipeline import run_all

PARAMS = Path(__file__).resolve().parent.parent / "params.yaml"
GEAR = np.random.default_rng(0).integers(0, 2**63, size=256, dtype=np.uint64)
MASK = np.uint64((1 << 14) - 1)


def chunks(data: bytes) -> list[bytes]:
    values = GEAR[np.frombuffer(data, dtype=np.uint8)]
    rolling = np.zeros(len(values), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for shift in range(64):
            rolling[shift:] += values[: len(values) - shift] << np.uint64(shift)
    cuts = np.flatnonzero((rolling & MASK) == 0) + 1
    edges = [0, *cuts.tolist(), len(data)]
    return [data[a:b] for a, b in itertools.pairwise(edges) if b > a]


def release_chunks(release: Path) -> dict[str, int]:
    found: dict[str, int] = {}
    for path in sorted((release / "data").glob("*.parquet")):
        for chunk in chunks(path.read_bytes()):
            found[hashlib.sha256(chunk).hexdigest()] = len(chunk)
    return found


def changed_share(old: Path, new: Path) -> tuple[float, int]:
    before, after = release_chunks(old), release_chunks(new)
    total = sum(after.values())
    fresh = sum(size for digest, size in after.items() if digest not in before)
    return fresh / total, total


def build(raw: Path, out: Path, params: Path) -> None:
    with contextlib.redirect_stderr(io.StringIO()):
        run_all(raw, out, params)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=5_000)
    parser.add_argument("--added", type=int, default=100)
    parser.add_argument("--params", type=Path, default=PARAMS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="corpus-delta-") as scratch:
        root = Path(scratch)
        write_corpus(root / "all", args.articles + args.added, per_file=args.added)
        files = sorted((root / "all").glob("*.txt"))
        (root / "old").mkdir()
        for path in files[:-1]:
            shutil.copy(path, root / "old" / path.name)
        for cdc in (True, False):
            original = parquet_set.pq.ParquetWriter

            def writer(*a, cdc=cdc, original=original, **k):
                return original(*a, **{**k, "use_content_defined_chunking": cdc})

            with mock.patch.object(parquet_set.pq, "ParquetWriter", writer):
                build(root / "old", root / f"old-release-{cdc}", args.params)
                build(root / "all", root / f"new-release-{cdc}", args.params)
            share, total = changed_share(root / f"old-release-{cdc}", root / f"new-release-{cdc}")
            label = "with content-defined chunking" if cdc else "without"
            print(f"{label}: {share:.1%} of {total / 1e6:.1f} MB of Parquet bytes are new "
                  f"(+{args.added} articles on {args.articles})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
