"""What dedup decided for each record of a unit, kept beside validate's records rather than as a copy of them.

`decisions-<unit>-NNNNN.parquet` holds one row per validated record, in the same order: whether it stays (its
cluster's representative) and the size of its cluster. Split reads the unit's records and its decisions
together (`kept_records`), so the article text is not written out once more between the two stages.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from corpus.plumbing.shards import aligned, read_batches
from corpus.plumbing.storage import AnyPath
from corpus.record import RECORD_SCHEMA, WORK_SCHEMA

DECISION_SCHEMA = pa.schema([pa.field("keep", pa.bool_(), nullable=False), pa.field("cluster_size", pa.int64())])
DEDUP_TYPE = RECORD_SCHEMA.field("dedup").type
CONTAMINATION_TYPE = RECORD_SCHEMA.field("contamination").type  # decontaminate's decisions add this column


def decision_table(keep: np.ndarray, cluster_size: np.ndarray) -> pa.Table:
    """keep per record; the cluster size of the kept ones (null for the removed)."""
    sizes = np.zeros(len(keep), dtype=np.int64)
    sizes[keep] = cluster_size
    return pa.table({"keep": pa.array(keep), "cluster_size": pa.array(sizes, mask=~keep)}, schema=DECISION_SCHEMA)


def kept_records(validated: AnyPath, decided: AnyPath, unit: str) -> Iterator[pa.RecordBatch]:
    """The unit's records that were kept, with their `dedup` struct (a representative is its own cluster id) and
    their `contamination` (decontaminate's decisions; null in dedup's own)."""
    records = read_batches(validated, f"records-{unit}", expect=WORK_SCHEMA)
    for rows, decisions in aligned(records, read_batches(decided, f"decisions-{unit}")):
        keep, sizes = decisions.column("keep"), decisions.column("cluster_size")
        contamination = (decisions.column("contamination") if "contamination" in decisions.schema.names
                         else pa.nulls(decisions.num_rows, CONTAMINATION_TYPE))
        if not pc.all(keep).as_py():  # most batches lose no row: no copy then
            rows, sizes, contamination = rows.filter(keep), sizes.filter(keep), contamination.filter(keep)
        dedup = pa.StructArray.from_arrays([rows.column("id"), sizes], fields=list(DEDUP_TYPE))
        yield rows.append_column("dedup", dedup).append_column("contamination", contamination)
