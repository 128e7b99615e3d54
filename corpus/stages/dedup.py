"""Dedup: fold exact and near-duplicate articles into one representative per cluster.

Clusters join records that share an article id, a normalized-text key, or a verified MinHash pair;
an earlier release's index (`dedup.previous_index`) joins in too, and a released article always stays
its cluster's representative. The others are ledgered as `duplicate_of:<representative id>`.

Three steps, so that no process holds the corpus:
1. per unit, on the executor (and cached): keys, MinHash signature and LSH band keys of every record →
   `keys-<unit>-NNNNN.parquet` (no text);
2. here, holding no column of the corpus (`find_duplicates`): the keys files are read once into scratch
   files (`corpus.dedup.scratch`: ids, text keys, policy columns, the signatures' low bytes), and their
   band keys when the band book asks for them (all on a cold build, the new units' otherwise). Equal
   ids, equal text keys and each band's buckets are found a key-range partition at a time
   (`corpus.dedup.partitions`); candidate pairs are verified on the memory-mapped low bytes — with a
   result cache, only the buckets new units fall into, the rest taken from the last build's band book
   (`corpus.dedup.bands`); clusters are the connected components of the records in some pair, with
   representatives by policy; every other record is kept alone;
3. per unit, on the executor (and cached): each record's decision, kept or not and its cluster's size
   (`corpus.dedup.decisions`; split reads validate's records with them), the duplicates' ledger notices,
   and the id + signature of the records kept (`index-<unit>`: publish groups these into the release's
   MinHash index, so a rebuild rewrites only the index files of the units that changed).
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from corpus.dedup.bands import Part, verified_pairs
from corpus.dedup.clusters import NEAR, Decisions, cluster, decide
from corpus.dedup.decisions import DECISION_SCHEMA, decision_table
from corpus.dedup.keys import (
    RECORD_COLUMNS,
    Released,
    index_schema,
    index_table,
    key_schema,
    key_table,
    signature_params,
    take_column,
)
from corpus.dedup.minhash import MinHashConfig
from corpus.dedup.scratch import read_candidates
from corpus.params import DedupParams, chain_sha256
from corpus.plumbing.cache import cached, job_key
from corpus.plumbing.executors import current_executor
from corpus.plumbing.progress import progress
from corpus.plumbing.shards import ShardWriter, fresh_directory, read_batches, read_chain, read_unit_key, unit_names
from corpus.plumbing.storage import AnyPath
from corpus.record import REMOVAL_SCHEMA
from corpus.stages import StagePaths, UnitJob

SIGNATURE_ROWS = 1_024  # records shingled at once: ~60 MB of shingle hashes (4,096 took ~250 MB)


def config_of(params: DedupParams) -> MinHashConfig:
    return MinHashConfig(shingle=params.shingle, bands=params.bands, rows=params.rows, jaccard=params.jaccard,
                         seed=params.seed)


def signature_unit(job: UnitJob[MinHashConfig]) -> dict[str, Any]:
    """Step 1 for one unit: `keys-<unit>-NNNNN.parquet`, or taken from the cache; its rows and key."""
    key = job_key("dedup-keys", read_unit_key(job.source, f"records-{job.unit}"), signature_params(job.params))
    return {**cached("dedup-keys", key, job.cache, job.output, [job.unit], lambda: _signature_unit(job, key)),
            "key": key}


def _signature_unit(job: UnitJob[MinHashConfig], key: str) -> tuple[list[AnyPath], dict[str, Any]]:
    rows = 0
    with ShardWriter(job.output, f"keys-{job.unit}", key_schema(job.params), unit_key=key) as writer:
        for batch in read_batches(job.source, f"records-{job.unit}", columns=RECORD_COLUMNS, batch_rows=SIGNATURE_ROWS):
            writer.write(key_table(batch, job.params))
            rows += batch.num_rows
    return writer.paths, {"rows": rows}


@dataclass(frozen=True)
class ApplyJob:
    unit: str
    source: AnyPath  # validate's folder
    output: AnyPath
    chain: str
    config: MinHashConfig
    keep: np.ndarray
    cluster_size: np.ndarray  # of the kept records
    removals: list[dict[str, Any]]
    cache: str | None


def apply_unit(job: ApplyJob) -> dict[str, Any]:
    """Step 3 for one unit: `decisions-<unit>` (kept or not, cluster size), `removed-<unit>` and `index-<unit>`."""
    decided = hashlib.sha256(job.keep.tobytes() + job.cluster_size.tobytes() + repr(job.removals).encode())
    key = job_key("dedup", read_unit_key(job.source, f"records-{job.unit}"), job.chain, decided.hexdigest())
    return cached("dedup", key, job.cache, job.output, [job.unit], lambda: _apply_unit(job, key))


def _apply_unit(job: ApplyJob, key: str) -> tuple[list[AnyPath], dict[str, Any]]:
    with (
        ShardWriter(job.output, f"decisions-{job.unit}", DECISION_SCHEMA, chain=job.chain, unit_key=key) as decided,
        ShardWriter(job.output, f"removed-{job.unit}", REMOVAL_SCHEMA, chain=job.chain, unit_key=key) as removed,
        ShardWriter(job.output, f"index-{job.unit}", index_schema(job.config), chain=job.chain, unit_key=key) as index,
    ):
        decided.write(decision_table(job.keep, job.cluster_size))
        removed.write(job.removals)
        start = 0
        for batch in read_batches(job.output, f"keys-{job.unit}", columns=["id", "signature"]):
            index.write(index_table(pa.Table.from_batches([batch]), job.keep[start : start + batch.num_rows],
                                    job.config))
            start += batch.num_rows
    return decided.paths + removed.paths + index.paths, {"kept": int(np.count_nonzero(job.keep))}


def apply_jobs(paths: StagePaths, output: AnyPath, chain: str, config: MinHashConfig, units: list[str],
               unit_rows: list[int], decisions: Decisions) -> Iterator[ApplyJob]:
    """Each unit's decisions; the ledger notices made here, a unit at a time, with its duplicates' segment ids."""
    start = 0
    for unit, rows in zip(units, unit_rows, strict=True):
        keep = decisions.keep(start, rows)
        segments = take_column(output, "segment_id", decisions.removed_in(start, rows) - start, [unit], [rows])
        sizes = decisions.cluster_size(start, rows)[keep]
        yield ApplyJob(unit, paths.stage("validate"), output, chain, config, keep, sizes,
                       decisions.notices(start, rows, segments), paths.cache)
        start += rows


def anchors_key(released: Released) -> str:
    """What the released anchors' band keys depend on: their ids and signatures."""
    digest = hashlib.sha256("\0".join(released.absent_ids.to_pylist()).encode())
    digest.update(np.ascontiguousarray(released.absent_signatures).tobytes())
    return "released:" + digest.hexdigest()


@dataclass(frozen=True)
class Found:
    """The corpus-wide step's result."""

    decisions: Decisions
    anchors: int  # released articles absent now, joined in as anchors


def find_duplicates(output: AnyPath, units: list[str], parts: list[Part], config: MinHashConfig,
                    previous_index: str = "", cache: str | None = None) -> Found:
    """Step 2, over the units' keys files in `output` (`parts`: each unit's signature key and rows)."""
    unit_rows = [part.rows for part in parts]
    current = sum(unit_rows)
    with tempfile.TemporaryDirectory(prefix="corpus-dedup-") as folder:
        candidates, scratch, released = read_candidates(output, config, Path(folder), units, current, previous_index)
        if len(released.absent_ids):
            parts = [*parts, Part(anchors_key(released), len(released.absent_ids))]
        low = scratch.low
        first, second = verified_pairs(parts, low, config, scratch.bands, cache)
        clusters = cluster(candidates, first, second)
        del first, second
        decisions = decide(candidates, low, current, clusters)
        del candidates, low
    return Found(decisions, len(released.absent_ids))


def main(paths: StagePaths, params: DedupParams) -> dict[str, Any]:
    source = paths.stage("validate")
    output = fresh_directory(paths.stage("dedup"))
    chain = chain_sha256(read_chain(source, "records"), params)
    config = config_of(params)
    units = unit_names(source, "records")
    executor = current_executor()
    jobs = (UnitJob(unit, source, output, config, "", paths.cache) for unit in units)
    parts = [Part(r["key"], r["rows"]) for r in progress(executor.map(signature_unit, jobs), total=len(units),
                                                         unit="unit", desc="dedup signatures",
                                                         articles=lambda result: result["rows"])]
    unit_rows = [part.rows for part in parts]
    found = find_duplicates(output, units, parts, config, params.previous_index, paths.cache)
    decisions = found.decisions
    kept = sum(r["kept"] for r in executor.map(apply_unit, apply_jobs(paths, output, chain, config, units,
                                                                      unit_rows, decisions)))
    counts = {"total": sum(unit_rows), "kept": kept, "released_anchors": found.anchors,
              "clusters_with_duplicates": decisions.clusters}
    near = int(np.count_nonzero(decisions.why == NEAR))
    kinds = {"exact": len(decisions.why) - near, "near_duplicate": near}
    counts |= {f"dropped_duplicate_{kind}": n for kind, n in kinds.items() if n}
    return dict(sorted(counts.items()))
