"""Dedup: fold exact and near-duplicate articles into one representative per cluster.

Clusters join records that share an article id, a normalized-text key, or a verified MinHash pair;
an earlier release's index (`dedup.previous_index`) joins in too, and a released article always stays
its cluster's representative. The others are ledgered as `duplicate_of:<representative id>`.

Three steps, so that no process holds the corpus:
1. per unit, on the executor (and cached): keys, MinHash signature and LSH band keys of every record →
   `keys-<unit>-NNNNN.parquet` (no text);
2. here: one band column at a time gives candidate pairs, verified on the signatures' low bytes
   (128 bytes an article); clusters are connected components; representatives by policy;
3. per unit, on the executor: records minus duplicates, with `dedup.cluster_id/cluster_size`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from corpus.cache import cached, job_key
from corpus.dedup import INDEX_FILE
from corpus.dedup.clusters import Candidates, cluster
from corpus.dedup.exact import exact_key
from corpus.dedup.minhash import (
    MinHashConfig,
    band_keys,
    estimated_jaccard_low,
    fold,
    low_bytes,
    signatures,
    verified_pairs,
)
from corpus.executors import current_executor
from corpus.params import DedupParams, chain_sha256
from corpus.progress import progress
from corpus.record import RECORD_SCHEMA, REMOVAL_SCHEMA
from corpus.shards import ShardWriter, fresh_directory, read_batches, read_chain, read_table, read_unit_key, unit_names
from corpus.sorting import ranks, sorted_batches
from corpus.stages import StagePaths, UnitJob
from corpus.storage import AnyPath, arrow_location, local_scratch

DEDUP_TYPE = RECORD_SCHEMA.field("dedup").type
RECORD_COLUMNS = ["id", "text", "is_truncated", "quality", "published_at", "provenance"]
CANDIDATE_COLUMNS = ["id", "segment_id", "text_key", "is_truncated", "n_chars", "published_at"]


def config_of(params: DedupParams) -> MinHashConfig:
    return MinHashConfig(shingle=params.shingle, bands=params.bands, rows=params.rows, jaccard=params.jaccard,
                         seed=params.seed)


def _signature_params(config: MinHashConfig) -> str:
    return f"{config.shingle}:{config.bands}:{config.rows}:{config.seed}"


def band_column(band: int) -> str:
    return f"band_{band:03d}"


def key_schema(config: MinHashConfig) -> pa.Schema:
    return pa.schema(
        [
            pa.field("id", pa.string(), nullable=False),
            pa.field("segment_id", pa.string(), nullable=False),
            pa.field("text_key", pa.string(), nullable=False),
            pa.field("is_truncated", pa.bool_(), nullable=False),
            pa.field("n_chars", pa.int64(), nullable=False),
            RECORD_SCHEMA.field("published_at"),
            pa.field("signature", pa.list_(pa.uint32(), config.num_perm), nullable=False),
            *[pa.field(band_column(b), pa.uint64(), nullable=False) for b in range(config.bands)],
        ]
    )


def _signature_array(sigs: np.ndarray, num_perm: int) -> pa.FixedSizeListArray:
    return pa.FixedSizeListArray.from_arrays(pa.array(sigs.reshape(-1), type=pa.uint32()), num_perm)


def key_table(batch: pa.RecordBatch, config: MinHashConfig) -> pa.Table:
    """What dedup needs of a batch of records: keys, signature and band keys (no text)."""
    texts = [fold(text) for text in batch.column("text").to_pylist()]
    sigs = signatures(texts, config, folded=True)
    bands = band_keys(sigs, config)
    columns = [
        batch.column("id"),
        pc.struct_field(batch.column("provenance"), "segment_id"),
        pa.array([exact_key(text, folded=True) for text in texts], pa.string()),
        batch.column("is_truncated"),
        pc.struct_field(batch.column("quality"), "n_chars"),
        batch.column("published_at"),
        _signature_array(sigs, config.num_perm),
        *[pa.array(bands[:, b]) for b in range(config.bands)],
    ]
    return pa.Table.from_arrays(columns, schema=key_schema(config))


def signature_unit(job: UnitJob[MinHashConfig]) -> dict[str, Any]:
    """Step 1 for one unit: `keys-<unit>-NNNNN.parquet`, or taken from the cache."""
    key = job_key("dedup-keys", read_unit_key(job.source, f"records-{job.unit}"), _signature_params(job.params))
    return cached("dedup-keys", key, job.cache, job.output, [job.unit], lambda: _signature_unit(job, key))


def _signature_unit(job: UnitJob[MinHashConfig], key: str) -> tuple[list[AnyPath], dict[str, Any]]:
    rows = 0
    with ShardWriter(job.output, f"keys-{job.unit}", key_schema(job.params), unit_key=key) as writer:
        for batch in read_batches(job.source, f"records-{job.unit}", columns=RECORD_COLUMNS):
            writer.write(key_table(batch, job.params))
            rows += batch.num_rows
    return writer.paths, {"rows": rows}


@dataclass
class Released:
    """An earlier release's index: every id it published, and the signatures of those absent now."""

    ids: list[str]
    absent_ids: list[str]
    absent_signatures: np.ndarray


def load_released(path: str, config: MinHashConfig, present: pa.Array) -> Released:
    """Ids and signatures of an earlier release (a release folder or its index file); none if unset."""
    if not path:
        return Released([], [], np.zeros((0, config.num_perm), dtype=np.uint32))
    file = Path(path) / "dedup" / INDEX_FILE if Path(path).is_dir() else Path(path)
    index = pq.ParquetFile(file)
    stored = index.schema_arrow.metadata or {}
    expected = _signature_params(config).encode()
    if stored.get(b"corpus.minhash") != expected:
        raise ValueError(f"{file}: MinHash index built with {stored.get(b'corpus.minhash')!r}, params say {expected!r}")
    ids, absent_ids, blocks = [], [], []
    for batch in index.iter_batches():
        ids += batch.column("id").to_pylist()
        absent = pc.invert(pc.is_in(batch.column("id"), value_set=present))
        kept = batch.filter(absent)
        absent_ids += kept.column("id").to_pylist()
        blocks.append(pc.list_flatten(kept.column("signature")).to_numpy().reshape(-1, config.num_perm))
    sigs = np.vstack(blocks).astype(np.uint32) if blocks else np.zeros((0, config.num_perm), dtype=np.uint32)
    return Released(ids, absent_ids, sigs)


def load_candidates(output: AnyPath, released: Released) -> tuple[Candidates, np.ndarray]:
    """Every current record (in record order), then the released articles absent now (anchors, ranked
    first, never emitted); and their signatures' low bytes."""
    narrow = read_table(output, "keys", CANDIDATE_COLUMNS).combine_chunks()
    blocks = [low_bytes(pc.list_flatten(batch.column("signature")).to_numpy().reshape(batch.num_rows, -1))
              for batch in read_batches(output, "keys", columns=["signature"])]
    low = np.vstack([*blocks, low_bytes(released.absent_signatures)])
    anchors = len(released.absent_ids)
    released_set = pa.array(released.ids, pa.string())
    candidates = Candidates(
        ids=pa.concat_arrays([narrow.column("id").chunk(0), pa.array(released.absent_ids, pa.string())]),
        text_keys=pa.concat_arrays([narrow.column("text_key").chunk(0),
                                    pa.array([f"released:{i}" for i in released.absent_ids], pa.string())]),
        is_truncated=np.r_[narrow.column("is_truncated").to_numpy(), np.zeros(anchors, dtype=bool)],
        n_chars=np.r_[narrow.column("n_chars").to_numpy(), np.zeros(anchors, dtype=np.int64)],
        published=pa.concat_arrays([narrow.column("published_at").chunk(0),
                                    pa.nulls(anchors, narrow.schema.field("published_at").type)]),
        released=np.r_[pc.is_in(narrow.column("id").chunk(0), value_set=released_set).to_numpy(zero_copy_only=False),
                       np.ones(anchors, dtype=bool)],
    )
    return candidates, low


BANDS_PER_READ = 8  # band columns read together: 64 bytes an article in memory, a quarter of the passes


def band_columns(output: AnyPath, config: MinHashConfig, released: Released) -> Iterator[np.ndarray]:
    """Each band's keys for every candidate, one band at a time."""
    anchors = band_keys(released.absent_signatures, config)
    for first in range(0, config.bands, BANDS_PER_READ):
        bands = range(first, min(first + BANDS_PER_READ, config.bands))
        table = read_table(output, "keys", [band_column(band) for band in bands])
        for band in bands:
            yield np.concatenate([table.column(band_column(band)).to_numpy(), anchors[:, band]])


@dataclass(frozen=True)
class Decisions:
    """What happens to each current record: kept as its cluster's representative, or removed."""

    keep: np.ndarray  # bool per record
    cluster_size: np.ndarray  # int per record (of its cluster, current records only)
    removals: list[dict[str, Any]]  # ledger notices, in record order


def decide(candidates: Candidates, low: np.ndarray, segment_ids: pa.Array, current: int,
           representative: np.ndarray) -> Decisions:
    """Only the duplicates' ids and keys become Python objects (a handful, not one per record)."""
    own = representative[:current]
    keep = own == np.arange(current)
    sizes = np.bincount(own, minlength=len(candidates))
    duplicates = np.flatnonzero(~keep)
    best = own[duplicates]
    similarity = estimated_jaccard_low(low, duplicates, best)
    ids, best_ids = (candidates.ids.take(pa.array(rows)).to_pylist() for rows in (duplicates, best))
    keys, best_keys = (candidates.text_keys.take(pa.array(rows)).to_pylist() for rows in (duplicates, best))
    removals = []
    for segment, id_, best_id, key, best_key, jaccard in zip(
        segment_ids.take(pa.array(duplicates)).to_pylist(), ids, best_ids, keys, best_keys, similarity.tolist(),
        strict=True,
    ):
        if id_ == best_id:
            reason = "exact: same article id"
        elif key == best_key:
            reason = "exact: same normalized text"
        else:
            reason = f"near-duplicate: estimated Jaccard {jaccard:.2f} with {best_id}"
        removals.append({"segment_id": segment, "article_id": id_, "fate": f"duplicate_of:{best_id}",
                         "reasons": [reason]})
    return Decisions(keep, sizes[own], removals)


@dataclass(frozen=True)
class ApplyJob:
    unit: str
    source: AnyPath  # validate's folder
    output: AnyPath
    chain: str
    keep: np.ndarray
    cluster_size: np.ndarray  # of the kept records
    removals: list[dict[str, Any]]
    cache: str | None


def apply_unit(job: ApplyJob) -> dict[str, Any]:
    """Step 3 for one unit: `records-<unit>` (representatives, with their cluster) and `removed-<unit>`."""
    decided = hashlib.sha256(job.keep.tobytes() + job.cluster_size.tobytes() + repr(job.removals).encode())
    key = job_key("dedup", read_unit_key(job.source, f"records-{job.unit}"), job.chain, decided.hexdigest())
    return cached("dedup", key, job.cache, job.output, [job.unit], lambda: _apply_unit(job, key))


def _apply_unit(job: ApplyJob, key: str) -> tuple[list[AnyPath], dict[str, Any]]:
    with (
        ShardWriter(job.output, f"records-{job.unit}", RECORD_SCHEMA, chain=job.chain, unit_key=key) as records,
        ShardWriter(job.output, f"removed-{job.unit}", REMOVAL_SCHEMA, chain=job.chain, unit_key=key) as removed,
    ):
        position = kept = 0
        for batch in read_batches(job.source, f"records-{job.unit}"):
            rows = batch.filter(pa.array(job.keep[position : position + batch.num_rows]))
            sizes = job.cluster_size[kept : kept + rows.num_rows]
            dedup = pa.StructArray.from_arrays([rows.column("id"), pa.array(sizes, pa.int64())],
                                               fields=list(DEDUP_TYPE))
            records.write(rows.append_column("dedup", dedup))
            position, kept = position + batch.num_rows, kept + rows.num_rows
        removed.write(job.removals)
    return records.paths + removed.paths, {"kept": kept}


def apply_jobs(paths: StagePaths, output: AnyPath, chain: str, units: list[str], unit_rows: list[int],
               decisions: Decisions) -> Iterator[ApplyJob]:
    start = 0
    removals = iter(decisions.removals)
    for unit, rows in zip(units, unit_rows, strict=True):
        keep = decisions.keep[start : start + rows]
        unit_removals = [next(removals) for _ in range(int(np.count_nonzero(~keep)))]
        sizes = decisions.cluster_size[start : start + rows][keep]
        yield ApplyJob(unit, paths.stage("validate"), output, chain, keep, sizes, unit_removals, paths.cache)
        start += rows


def write_index(path: AnyPath, output: AnyPath, keep: np.ndarray, config: MinHashConfig, scratch: AnyPath) -> None:
    """The compact MinHash index a release ships (id + signature of every representative, by id), so the
    next build can dedup against it. Sorted on disk, in bounded memory."""
    schema = pa.schema([pa.field("id", pa.string(), nullable=False),
                        pa.field("signature", pa.list_(pa.uint32(), config.num_perm), nullable=False)])
    schema = schema.with_metadata({"corpus.minhash": _signature_params(config)})
    ids = read_table(output, "keys", ["id"]).column("id").filter(pa.array(keep))
    _, rank = ranks(pa.table({"id": ids}), [("id", "ascending")])

    def kept_rows() -> Iterator[pa.RecordBatch]:
        position = 0
        for batch in read_batches(output, "keys", columns=["id", "signature"]):
            yield batch.filter(pa.array(keep[position : position + batch.num_rows]))
            position += batch.num_rows

    where, filesystem = arrow_location(path)
    with pq.ParquetWriter(where, schema, compression="zstd", filesystem=filesystem) as writer:
        for table in sorted_batches(kept_rows, rank, scratch=local_scratch(scratch)):
            writer.write_table(table.cast(schema))


def main(paths: StagePaths, params: DedupParams) -> dict[str, Any]:
    source = paths.stage("validate")
    output = fresh_directory(paths.stage("dedup"))
    chain = chain_sha256(read_chain(source, "records"), params)
    config = config_of(params)
    units = unit_names(source, "records")
    executor = current_executor()
    jobs = (UnitJob(unit, source, output, config, "", paths.cache) for unit in units)
    unit_rows = [r["rows"] for r in progress(executor.map(signature_unit, jobs), total=len(units), unit="unit",
                                               desc="dedup signatures")]
    present = read_table(output, "keys", ["id"]).column("id").combine_chunks()
    released = load_released(params.previous_index, config, present)
    candidates, low = load_candidates(output, released)
    first, second, _ = verified_pairs(band_columns(output, config, released), low, config)
    representative = cluster(candidates, first, second)
    segment_ids = read_table(output, "keys", ["segment_id"]).column("segment_id").combine_chunks()
    decisions = decide(candidates, low, segment_ids, len(present), representative)
    del candidates, low, segment_ids
    kept = sum(r["kept"] for r in executor.map(apply_unit, apply_jobs(paths, output, chain, units, unit_rows,
                                                                      decisions)))
    write_index(output / INDEX_FILE, output, decisions.keep, config, scratch=output)
    counts = {"total": len(present), "kept": kept, "released_anchors": len(released.absent_ids),
              "clusters_with_duplicates": int(np.count_nonzero(np.bincount(representative[: len(present)]) > 1))}
    for removal in decisions.removals:
        kind = removal["reasons"][0].split(":")[0].replace("-", "_")
        counts[f"dropped_duplicate_{kind}"] = counts.get(f"dropped_duplicate_{kind}", 0) + 1
    return dict(sorted(counts.items()))
