"""Decontaminate: the articles dedup kept that hold an item of a benchmark named in params.

Between dedup and split. The benchmark files (`decontaminate.against`) are read once here into an n-gram
index (corpus.contamination.ngrams: characters of the normalized text, 13-grams by default), written to
this stage's folder; then each unit, on the executor and cached, looks its kept records up in it a batch
at a time. A hit's fate is `contaminated:<benchmark>:<item id>`, its reason the overlap. The policy says
what becomes of the article: `drop` (removed, ledgered so) or `flag` (published with `contamination`
naming the hit; the ledger still says contaminated). Duplicates dedup removed keep their fate
(`duplicate_of:…`), so every segment still has exactly one.

Writes, per unit, `decisions-<unit>` (dedup's decisions with the dropped hits no longer kept, and each
record's `contamination`: what split reads), `removed-<unit>` (drop) or `flagged-<unit>` (flag) notices,
and `summary.json` (the benchmarks, their files' sha256, items and hits) for the release card.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from corpus.contamination.benchmarks import Item, benchmark_files, benchmarks_of, file_sha256, read_items
from corpus.contamination.ngrams import NgramIndex, find_hits, normalized_points
from corpus.dedup.decisions import CONTAMINATION_TYPE, DECISION_SCHEMA
from corpus.params import DecontaminateParams
from corpus.plumbing.cache import cached, job_key
from corpus.plumbing.shards import ShardWriter, aligned, read_batches, read_unit_key
from corpus.plumbing.storage import AnyPath
from corpus.record import REMOVAL_SCHEMA
from corpus.rules.normalize import normalize_v1
from corpus.stages import PROJECT_ROOT, StagePaths, UnitJob, map_units

# Articles looked up at once: ~10 MB of n-gram hashes at 2,400 characters, and as much in each of the hashing's
# temporaries and power tables; at 2,048 a worker peaked at ~300 MB, at 512 ~160 MB, and ran no slower
BATCH_ROWS = 512
INDEX_FILE = "benchmark-index.npz"
ITEMS_FILE = "benchmark-items.parquet"
CONTAMINATED_DECISIONS = pa.schema([*DECISION_SCHEMA, pa.field("contamination", CONTAMINATION_TYPE)])


def check_params(params: DecontaminateParams, config_dir: Path | None = None) -> None:
    """A bad benchmark spec, a path or glob that finds no file, a file without the fields named: named before
    any stage runs (the files are read: benchmarks are small)."""
    benchmarks_of(params.against)
    if config_dir is not None:
        load_benchmarks(params, config_dir)


@dataclass(frozen=True)
class Benchmarks:
    """The items of every benchmark, in name and file order, one per distinct normalized text."""

    items: list[Item]
    files: dict[str, list[dict[str, str]]]  # benchmark → its files (path as params name them, sha256)
    read: Counter[str]  # benchmark → items read (before identical texts were folded)


def load_benchmarks(params: DecontaminateParams, base: Path) -> Benchmarks:
    """`base`: the params file's folder; a relative path not found there is the project's (tests/fixtures/klue)."""
    items, seen, files, read = [], set(), {}, Counter()
    for benchmark in benchmarks_of(params.against):
        files[benchmark.name] = []
        for path in benchmark_files(benchmark, [base, PROJECT_ROOT]):
            shown = next((str(path.relative_to(b)) for b in (base, PROJECT_ROOT) if path.is_relative_to(b)), str(path))
            files[benchmark.name].append({"path": shown, "sha256": file_sha256(path)})
            for item in read_items(benchmark, path):
                read[benchmark.name] += 1
                text = normalize_v1(item.text)
                key = (benchmark.name, normalized_points(text, params.unit).tobytes())
                if key not in seen:
                    seen.add(key)
                    items.append(Item(item.benchmark, item.item_id, item.field, text))
    return Benchmarks(items, files, read)


@dataclass(frozen=True)
class BuiltIndex:
    index: NgramIndex
    items: pa.Table  # benchmark, item_id, field of each item, in index order
    digest: str  # what the units' results depend on

    def write(self, folder: AnyPath) -> None:
        with (folder / INDEX_FILE).open("wb") as handle:
            handle.write(npz_bytes(hashes=self.index.hashes, items=self.index.items,
                                   item_ngrams=self.index.item_ngrams))
        with (folder / ITEMS_FILE).open("wb") as handle:
            pq.write_table(self.items, handle)


def npz_bytes(**arrays: np.ndarray) -> bytes:
    """An .npz archive (np.load reads it) whose bytes depend only on the arrays: np.savez forces zip64 headers,
    which Python's zipfile writes differently from one patch release to the next."""
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_STORED) as archive:
        for name, array in arrays.items():
            one = io.BytesIO()
            np.save(one, array, allow_pickle=False)
            archive.writestr(zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0)), one.getvalue())
    return packed.getvalue()


ITEMS_SCHEMA = pa.schema([("benchmark", pa.string()), ("item_id", pa.string()), ("field", pa.string())])


def build_index(benchmarks: Benchmarks, params: DecontaminateParams) -> BuiltIndex:
    index = NgramIndex.build([item.text for item in benchmarks.items], params.unit, params.n)
    items = pa.table({name: [getattr(item, name) for item in benchmarks.items] for name in ITEMS_SCHEMA.names},
                     schema=ITEMS_SCHEMA)
    digest = hashlib.sha256(index.hashes.tobytes() + index.items.tobytes() + index.item_ngrams.tobytes())
    digest.update(json.dumps(items.to_pydict(), ensure_ascii=False).encode())
    return BuiltIndex(index, items, digest.hexdigest())


_loaded: dict[str, tuple[NgramIndex, list[dict[str, str]]]] = {}


def _load_index(folder: AnyPath, digest: str) -> tuple[NgramIndex, list[dict[str, str]]]:
    """The stage's index, once per process (`digest` tells one build's from another's)."""
    if digest not in _loaded:
        with (folder / INDEX_FILE).open("rb") as handle:
            stored = np.load(io.BytesIO(handle.read()))
            index = NgramIndex(stored["hashes"], stored["items"], stored["item_ngrams"])
        with (folder / ITEMS_FILE).open("rb") as handle:
            items = pq.read_table(io.BytesIO(handle.read())).to_pylist()
        _loaded.clear()
        _loaded[digest] = (index, items)
    return _loaded[digest]


@dataclass(frozen=True)
class DecontaminateJob(UnitJob[DecontaminateParams]):
    """`source` is dedup's folder; the records are validate's; the index is in `output`."""

    validated: AnyPath
    index_digest: str


def decontaminate_unit(job: DecontaminateJob) -> dict[str, Any]:
    key = job_key("decontaminate", read_unit_key(job.source, f"decisions-{job.unit}"), job.chain, job.index_digest)
    return cached("decontaminate", key, job.cache, job.output, [job.unit], lambda: _decontaminate_unit(job, key))


def _decontaminate_unit(job: DecontaminateJob, key: str) -> tuple[list[AnyPath], dict[str, Any]]:
    params = job.params
    index, items = _load_index(job.output, job.index_digest)
    counts: Counter[str] = Counter()
    records = read_batches(job.validated, f"records-{job.unit}", columns=["text", "provenance"], batch_rows=BATCH_ROWS)
    decisions = read_batches(job.source, f"decisions-{job.unit}", batch_rows=BATCH_ROWS)
    with (
        ShardWriter(job.output, f"decisions-{job.unit}", CONTAMINATED_DECISIONS, chain=job.chain,
                    unit_key=key) as decided,
        ShardWriter(job.output, f"removed-{job.unit}", REMOVAL_SCHEMA, chain=job.chain, unit_key=key) as removed,
        ShardWriter(job.output, f"flagged-{job.unit}", REMOVAL_SCHEMA, chain=job.chain, unit_key=key) as flagged,
    ):
        for rows, decision in aligned(records, decisions):
            keep = decision.column("keep").to_numpy(zero_copy_only=False)
            kept = np.flatnonzero(keep)
            texts = rows.column("text").take(pa.array(kept)).to_pylist()
            hits = find_hits(texts, index, params.unit, params.n, params.min_overlap)
            hit = np.zeros(len(keep), dtype=bool)
            contamination: list[dict[str, Any] | None] = [None] * len(keep)
            segments = rows.column("provenance").field("segment_id").to_pylist()
            notices = []
            for position in np.flatnonzero(hits.item >= 0):
                row, item = int(kept[position]), items[int(hits.item[position])]
                overlap = round(float(hits.overlap[position]), 4)
                hit[row] = True
                counts[f"contaminated_{item['benchmark']}"] += 1
                if params.policy == "flag":
                    contamination[row] = {"benchmark": item["benchmark"], "item_id": item["item_id"],
                                          "overlap": overlap}
                notices.append({"segment_id": segments[row], "article_id": None,
                                "fate": f"contaminated:{item['benchmark']}:{item['item_id']}",
                                "reasons": [reason(item, overlap, int(hits.matched[position]), params)]})
            new_keep = keep & ~hit if params.policy == "drop" else keep
            decided.write(pa.table({"keep": pa.array(new_keep), "cluster_size": decision.column("cluster_size"),
                                    "contamination": pa.array(contamination, CONTAMINATION_TYPE)},
                                   schema=CONTAMINATED_DECISIONS))
            (removed if params.policy == "drop" else flagged).write(notices)
            counts["total"] += len(kept)
            counts["kept"] += int(np.count_nonzero(new_keep))
    return decided.paths + removed.paths + flagged.paths, {"counts": dict(counts)}


def reason(item: dict[str, str], overlap: float, matched: int, params: DecontaminateParams) -> str:
    unit = "character" if params.unit == "char" else "eojeol"
    kept = "published with contamination set (policy flag)" if params.policy == "flag" else "removed (policy drop)"
    return (f"holds {item['field']} of {item['benchmark']} item {item['item_id']}: overlap {overlap:.2f} "
            f"({matched} of the item's {unit} {params.n}-grams); {kept}")


def main(paths: StagePaths, params: DecontaminateParams) -> dict[str, Any]:
    benchmarks = load_benchmarks(params, paths.config_dir)
    built = build_index(benchmarks, params)
    job = functools.partial(DecontaminateJob, validated=paths.stage("validate"), index_digest=built.digest)
    counts = Counter({"total": 0, "kept": 0}) + map_units(paths, "decontaminate", "dedup", "decisions", params,
                                                          decontaminate_unit, job=job, prepare=built.write)
    summary = summarize(benchmarks, built.index, params, counts)
    (paths.stage("decontaminate") / "summary.json").write_text(
        json.dumps(summary, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    hits = sum(n for k, n in counts.items() if k.startswith("contaminated_"))
    counts[f"{'dropped' if params.policy == 'drop' else 'flagged'}_contaminated"] = hits
    return dict(sorted(counts.items()))


def summarize(benchmarks: Benchmarks, index: NgramIndex, params: DecontaminateParams, counts: Counter[str]
              ) -> dict[str, Any]:
    """What the card and datasheet report: the method, and per benchmark its files, items and hits."""
    per: dict[str, dict[str, Any]] = {}
    for name, files in benchmarks.files.items():
        positions = [i for i, item in enumerate(benchmarks.items) if item.benchmark == name]
        indexed = int(np.count_nonzero(index.item_ngrams[positions])) if positions and len(index.item_ngrams) else 0
        per[name] = {"files": files, "items_read": benchmarks.read[name], "items": len(positions),
                     "items_indexed": indexed, "articles": counts.get(f"contaminated_{name}", 0)}
    return {"policy": params.policy, "unit": params.unit, "n": params.n, "min_overlap": params.min_overlap,
            "benchmarks": per}
