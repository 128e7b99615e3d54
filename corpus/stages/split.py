"""Split: train/validation/test from a hash of the cluster representative's id.

So an article keeps its split in every later release, a duplicate cluster never straddles two splits,
and the assignment does not depend on row order, worker count or machine.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from corpus.identity import fraction
from corpus.params import SplitParams, chain_sha256
from corpus.record import RECORD_SCHEMA
from corpus.shards import ShardWriter, fresh_directory, read_chain, read_table
from corpus.stages import StagePaths

SPLITS = ("train", "validation", "test")


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


def main(paths: StagePaths, params: SplitParams) -> dict[str, Any]:
    source = paths.stage("dedup")
    output = fresh_directory(paths.stage("split"))
    chain = chain_sha256(read_chain(source, "records"), params)
    records = read_table(source, "records")
    cluster_ids = pc.struct_field(records.column("dedup"), "cluster_id").to_pylist()
    dates = records.column("published_at").to_pylist()
    labels = pa.array([assign_split(c, params, d) for c, d in zip(cluster_ids, dates, strict=True)])
    counts: Counter[str] = Counter(total=records.num_rows)
    order_keys = pa.table({
        "source": pc.struct_field(records.column("provenance"), "source_sha256"),
        "start": pc.struct_field(records.column("provenance"), "byte_start"),
        "id": records.column("id"),
    })
    # Rows are ordered by raw file content hash, then position in the file: independent of file names
    # and input order, and new raw files land as contiguous blocks, so successive releases share bytes.
    order = pc.sort_indices(order_keys, sort_keys=[("source", "ascending"), ("start", "ascending"),
                                                    ("id", "ascending")])
    records, labels = records.take(order), labels.take(order)
    for split in SPLITS:
        rows = records.filter(pc.equal(labels, split))
        with ShardWriter(output, split, RECORD_SCHEMA, chain=chain) as writer:
            writer.write(rows)
        counts[split] = rows.num_rows
    counts["kept"] = sum(counts[split] for split in SPLITS)
    return dict(sorted(counts.items()))
