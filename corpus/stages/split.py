"""Split: train/validation/test from a hash of the cluster representative's id.

So an article keeps its split in every later release, a duplicate cluster never straddles two splits,
and the assignment does not depend on row order, worker count or machine. Each unit is split on its own
(a job on the executor, cached), its rows ordered by raw file path and position in the file.
"""

from __future__ import annotations

import contextlib
import functools
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from corpus.dedup.decisions import kept_records
from corpus.identity import fraction
from corpus.params import SplitParams
from corpus.plumbing.cache import cached, job_key
from corpus.plumbing.shards import ShardWriter, read_table, read_unit_key
from corpus.plumbing.sorting import ranks, sorted_batches
from corpus.plumbing.storage import AnyPath, local_scratch
from corpus.record import RECORD_SCHEMA, SPLITS
from corpus.stages import StagePaths, UnitJob, map_units


def assign_split(cluster_id: str, params: SplitParams, published_at: datetime | None = None) -> str:
    """Hash mode: cut a hash of the cluster id at the fractions. Temporal mode: the latest period (from
    `test_from`) is the test split; older or undated articles are hashed into train/validation."""
    if params.mode == "temporal":
        if published_at is not None and published_at >= datetime.fromisoformat(params.test_from):
            return "test"
        point = fraction(cluster_id, salt="split") * (params.train + params.validation)
        return "train" if point < params.train else "validation"
    total = params.train + params.validation + params.test
    point = fraction(cluster_id, salt="split") * total
    if point < params.train:
        return "train"
    return "validation" if point < params.train + params.validation else "test"


ORDER = [("path", "ascending"), ("start", "ascending"), ("id", "ascending")]


@dataclass(frozen=True)
class SplitJob(UnitJob[SplitParams]):
    """`source` is decontaminate's folder (which records stay: corpus.dedup.decisions); the records are
    validate's."""

    validated: AnyPath


def split_unit(job: SplitJob) -> dict[str, Any]:
    """One unit's kept records into `<split>-<unit>-NNNNN.parquet`, ordered by raw file path and position
    (units follow path order, so the stage's output is in that order as a whole); or taken from the cache."""
    key = job_key("split", read_unit_key(job.source, f"decisions-{job.unit}"), job.chain)
    return cached("split", key, job.cache, job.output, [job.unit], lambda: _split_unit(job, key))


def _split_unit(job: SplitJob, key: str) -> tuple[list[AnyPath], dict[str, Any]]:
    rows_of_unit = functools.partial(kept_records, job.validated, job.source, job.unit)
    keep = read_table(job.source, f"decisions-{job.unit}", ["keep"]).column("keep")
    keys = read_table(job.validated, f"records-{job.unit}", ["id", "published_at", "provenance"]).filter(keep)
    cluster_ids = keys.column("id").to_pylist()  # kept records are their clusters' representatives
    dates = keys.column("published_at").to_pylist()
    labels = np.array([assign_split(c, job.params, d) for c, d in zip(cluster_ids, dates, strict=True)], dtype=object)
    provenance = keys.column("provenance")
    order_keys = pa.table({"path": pc.struct_field(provenance, "source_path"),
                           "start": pc.struct_field(provenance, "byte_start"), "id": keys.column("id")})
    order, rank = ranks(order_keys, ORDER)
    labels, position = labels[order], 0
    counts: Counter[str] = Counter()
    del keys, order_keys, cluster_ids, dates, provenance
    with contextlib.ExitStack() as stack:
        writers = {split: stack.enter_context(ShardWriter(job.output, f"{split}-{job.unit}", RECORD_SCHEMA,
                                                          chain=job.chain, unit_key=key)) for split in SPLITS}
        for rows in sorted_batches(rows_of_unit, rank, scratch=local_scratch(job.output)):
            rows_labels = labels[position : position + rows.num_rows]
            position += rows.num_rows
            for split, writer in writers.items():
                chosen = rows_labels == split
                writer.write(rows.filter(pa.array(chosen)))
                counts[split] += int(np.count_nonzero(chosen))
    return [path for writer in writers.values() for path in writer.paths], {"counts": dict(counts)}


def main(paths: StagePaths, params: SplitParams) -> dict[str, Any]:
    counts = Counter({split: 0 for split in SPLITS}) + map_units(
        paths, "split", "decontaminate", "decisions", params, split_unit,
        job=functools.partial(SplitJob, validated=paths.stage("validate")),
    )
    counts["total"] = counts["kept"] = sum(counts[split] for split in SPLITS)
    return dict(sorted(counts.items()))
