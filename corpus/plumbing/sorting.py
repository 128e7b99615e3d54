"""External sort: a stream of record batches, reordered by sort keys, in bounded memory.

Only the keys (a few narrow columns) are held for every row. The rows themselves go to bucket files by
their rank in the sorted order (bucket k holds ranks k·B … k·B+B-1), and each bucket is read back and
sorted on its own, so memory holds one bucket of rows at a time. Inputs that fit one bucket are sorted
in memory. The order equals `Table.take(sort_indices(keys))`: the keys' sort is stable and total.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.ipc as ipc

RANK = "__rank"
BUCKET_ROWS = 20_000  # ~150 MB of 2,400-character articles


def ranks(keys: pa.Table, sort_keys: list[tuple[str, str]]) -> tuple[np.ndarray, np.ndarray]:
    """(order, rank): order[p] is the input row at output position p; rank is its inverse."""
    order = pc.sort_indices(keys, sort_keys=sort_keys).to_numpy()
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order), dtype=np.int64)
    return order, rank


def sorted_batches(
    read: Callable[[], Iterator[pa.RecordBatch]],
    rank: np.ndarray,
    bucket_rows: int = 20_000,
    scratch: Path | None = None,
) -> Iterator[pa.Table]:
    """The rows `read()` yields (len(rank) of them, in the order rank was computed on), as tables in rank
    order. `read` is called once."""
    if not len(rank):
        return
    bucket_rows = bucket_rows or BUCKET_ROWS
    buckets = max(1, -(-len(rank) // bucket_rows))
    if buckets == 1:
        rows = pa.Table.from_batches(list(read()))
        yield rows.take(pa.array(np.argsort(rank, kind="stable")))
        return
    with tempfile.TemporaryDirectory(prefix="corpus-sort-", dir=scratch) as folder:
        paths = [Path(folder) / f"bucket-{k:05d}.arrow" for k in range(buckets)]
        writers: dict[int, ipc.RecordBatchFileWriter] = {}
        offset = 0
        try:
            for batch in read():
                batch_rank = rank[offset : offset + batch.num_rows]
                offset += batch.num_rows
                batch = batch.append_column(RANK, pa.array(batch_rank))
                bucket_of_row = batch_rank // bucket_rows
                for bucket in np.unique(bucket_of_row).tolist():
                    if bucket not in writers:
                        writers[bucket] = ipc.new_file(paths[bucket], batch.schema)
                    writers[bucket].write_batch(batch.filter(pa.array(bucket_of_row == bucket)))
        finally:
            for writer in writers.values():
                writer.close()
        if offset != len(rank):
            raise ValueError(f"sort input changed: {offset} rows read, {len(rank)} ranked")
        for path in paths:
            with pa.memory_map(str(path)) as source:
                bucket = ipc.open_file(source).read_all()
                order = pc.sort_indices(bucket.column(RANK))
                yield bucket.take(order).drop_columns([RANK])
