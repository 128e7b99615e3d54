"""Dedup: fold exact and near-duplicate articles into one representative per cluster.

Clusters join records that share an article id, a normalized-text key, or a verified MinHash pair;
an earlier release's index (`dedup.previous_index`) joins in too, and a released article always stays
its cluster's representative. The others are ledgered as `duplicate_of:<representative id>`.

Three steps, so that no process holds the corpus:
1. per unit, on the executor (and cached): keys, MinHash signature and LSH band keys of every record →
   `keys-<unit>-NNNNN.parquet` (no text);
2. here: the keys files are read once (`corpus.dedup.scratch`: ids, text keys and policy columns in
   memory, ~47 bytes an article; low bytes to a scratch file), and their band keys when the band book
   asks for them (all on a cold build, the new units' otherwise); one band at a time gives
   candidate pairs, verified on the signatures' low bytes (128 bytes an article) — with a result cache,
   only the buckets new units fall into, the rest taken from the last build's band book
   (`corpus.dedup.bands`); clusters are connected components; representatives by policy;
3. per unit, on the executor (and cached): each record's decision, kept or not and its cluster's size
   (`corpus.dedup.decisions`; split reads validate's records with them), and the duplicates' ledger notices.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from corpus.cache import cached, job_key
from corpus.dedup import INDEX_FILE
from corpus.dedup.bands import Part, verified_pairs
from corpus.dedup.clusters import Candidates, cluster, digest_hex
from corpus.dedup.decisions import DECISION_SCHEMA, decision_table
from corpus.dedup.keys import (
    RECORD_COLUMNS,
    Released,
    key_schema,
    key_table,
    signature_params,
    take_column,
    write_index,
)
from corpus.dedup.minhash import MinHashConfig, estimated_jaccard_low
from corpus.dedup.scratch import read_candidates
from corpus.executors import current_executor
from corpus.params import DedupParams, chain_sha256
from corpus.progress import progress
from corpus.record import REMOVAL_SCHEMA
from corpus.shards import ShardWriter, fresh_directory, read_batches, read_chain, read_unit_key, unit_names
from corpus.stages import StagePaths, UnitJob
from corpus.storage import AnyPath

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
class Decisions:
    """What happens to each current record: kept as its cluster's representative, or removed."""

    keep: np.ndarray  # bool per record
    cluster_size: np.ndarray  # int per record (of its cluster, current records only)
    removals: list[dict[str, Any]]  # ledger notices, in record order


def decide(candidates: Candidates, low: np.ndarray, current: int, representative: np.ndarray,
           segment_ids: Callable[[np.ndarray], list[str]]) -> Decisions:
    """Only the duplicates' ids, keys and segment ids (`segment_ids(rows)`) become Python objects (a
    handful, not one per record)."""
    own = representative[:current]
    keep = own == np.arange(current)
    sizes = np.bincount(own, minlength=len(candidates))
    duplicates = np.flatnonzero(~keep)
    best = own[duplicates]
    similarity = estimated_jaccard_low(low, duplicates, best)
    ids, best_ids = digest_hex(candidates.ids[duplicates]), digest_hex(candidates.ids[best])
    same_text = np.zeros(len(duplicates), dtype=bool)
    texted = best < current  # released anchors have no text key
    same_text[texted] = candidates.text_keys[duplicates[texted]] == candidates.text_keys[best[texted]]
    removals = []
    for segment, id_, best_id, text, jaccard in zip(
        segment_ids(duplicates), ids, best_ids, same_text.tolist(), similarity.tolist(), strict=True,
    ):
        if id_ == best_id:
            reason = "exact: same article id"
        elif text:
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
    """Step 3 for one unit: `decisions-<unit>` (kept or not, cluster size) and `removed-<unit>`."""
    decided = hashlib.sha256(job.keep.tobytes() + job.cluster_size.tobytes() + repr(job.removals).encode())
    key = job_key("dedup", read_unit_key(job.source, f"records-{job.unit}"), job.chain, decided.hexdigest())
    return cached("dedup", key, job.cache, job.output, [job.unit], lambda: _apply_unit(job, key))


def _apply_unit(job: ApplyJob, key: str) -> tuple[list[AnyPath], dict[str, Any]]:
    with (
        ShardWriter(job.output, f"decisions-{job.unit}", DECISION_SCHEMA, chain=job.chain, unit_key=key) as decided,
        ShardWriter(job.output, f"removed-{job.unit}", REMOVAL_SCHEMA, chain=job.chain, unit_key=key) as removed,
    ):
        decided.write(decision_table(job.keep, job.cluster_size))
        removed.write(job.removals)
    return decided.paths + removed.paths, {"kept": int(np.count_nonzero(job.keep))}


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
    clusters: int  # clusters of two or more records holding a current record


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
        representative = cluster(candidates, first, second)
        del first, second
        decisions = decide(candidates, low, current, representative,
                           lambda rows: take_column(output, "segment_id", rows, units, unit_rows))
        del candidates, low
    clusters = int(np.count_nonzero(np.bincount(representative[:current]) > 1))
    return Found(decisions, len(released.absent_ids), clusters)


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
    kept = sum(r["kept"] for r in executor.map(apply_unit, apply_jobs(paths, output, chain, units, unit_rows,
                                                                      decisions)))
    write_index(output / INDEX_FILE, output, decisions.keep, config)
    counts = {"total": sum(unit_rows), "kept": kept, "released_anchors": found.anchors,
              "clusters_with_duplicates": found.clusters}
    for removal in decisions.removals:
        kind = removal["reasons"][0].split(":")[0].replace("-", "_")
        counts[f"dropped_duplicate_{kind}"] = counts.get(f"dropped_duplicate_{kind}", 0) + 1
    return dict(sorted(counts.items()))
