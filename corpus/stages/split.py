"""Split: train/validation/test from a hash of the cluster representative's id.

So an article keeps its split in every later release, a duplicate cluster never straddles two splits,
and the assignment does not depend on row order, worker count or machine.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from datetime import datetime
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from corpus.identity import fraction
from corpus.params import SplitParams, chain_sha256
from corpus.record import RECORD_SCHEMA
from corpus.shards import ShardWriter, fresh_directory, read_batches, read_chain, read_table
from corpus.sorting import ranks, sorted_batches
from corpus.stages import StagePaths
from corpus.storage import local_scratch

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
    keys = read_table(source, "records", ["id", "published_at", "dedup", "provenance"])
    cluster_ids = pc.struct_field(keys.column("dedup"), "cluster_id").to_pylist()
    dates = keys.column("published_at").to_pylist()
    labels = np.array([assign_split(c, params, d) for c, d in zip(cluster_ids, dates, strict=True)])
    # Rows are ordered by raw file content hash, then position in the file: independent of file names
    # and input order, and new raw files land as contiguous blocks, so successive releases share bytes.
    order_keys = pa.table(
        {
            "source": pc.struct_field(keys.column("provenance"), "source_sha256"),
            "start": pc.struct_field(keys.column("provenance"), "byte_start"),
            "id": keys.column("id"),
        }
    )
    order, rank = ranks(order_keys, [("source", "ascending"), ("start", "ascending"), ("id", "ascending")])
    labels, position = labels[order], 0
    counts: Counter[str] = Counter(total=keys.num_rows)
    del keys, order_keys, cluster_ids, dates
    with contextlib.ExitStack() as stack:
        writers = {
            split: stack.enter_context(ShardWriter(output, split, RECORD_SCHEMA, chain=chain)) for split in SPLITS
        }
        for rows in sorted_batches(lambda: read_batches(source, "records"), rank, scratch=local_scratch(output)):
            rows_labels = labels[position : position + rows.num_rows]
            position += rows.num_rows
            for split, writer in writers.items():
                writer.write(rows.filter(pa.array(rows_labels == split)))
                counts[split] += int(np.count_nonzero(rows_labels == split))
    counts["kept"] = sum(counts[split] for split in SPLITS)
    return dict(sorted(counts.items()))
