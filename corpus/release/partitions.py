"""Key columns of a release spilled to Arrow files in hash partitions, for checks with bounded memory.

Published (id, split) and ledger (segment_id, fate) rows are spilled by the first two hex digits of their
key (up to 256 partitions of ~PARTITION_ROWS rows: bounded up to ~64M rows), so each partition can be
checked on its own: equal keys always share a partition, so uniqueness within every partition is
uniqueness overall. Once closed, a Partitions is a folder of files and pickles as such: the release checks
can read it in another process.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.ipc as ipc

PARTITION_ROWS = 250_000  # rows a partition holds on average: what one GX run has in memory
PREFIXES = pa.array([f"{value:02x}" for value in range(256)])  # a key's first two hex digits
ROWS_SCHEMA = pa.schema([("id", pa.string()), ("split", pa.string())])
LEDGER_KEYS_SCHEMA = pa.schema([("segment_id", pa.string()), ("fate", pa.string())])


class Partitions:
    """Tables (of `schema`'s columns) spilled to Arrow files in `folder` by the first two hex digits of their
    `key` column, in ranges (keys that do not start with two go to the first partition), about PARTITION_ROWS
    rows a partition for `expected_rows`."""

    def __init__(self, folder: Path, schema: pa.Schema, key: str, expected_rows: int) -> None:
        self.folder, self.schema, self.key, self.rows = folder, schema, key, 0
        self.count = min(len(PREFIXES), max(1, math.ceil(expected_rows / PARTITION_ROWS)))
        self.written: set[int] = set()
        self._writers: dict[int, ipc.RecordBatchFileWriter] = {}
        folder.mkdir(parents=True, exist_ok=True)

    def add(self, table: pa.Table) -> None:
        table = table.select(self.schema.names).cast(self.schema)
        self.rows += table.num_rows
        prefix = pc.index_in(pc.utf8_slice_codeunits(table.column(self.key), 0, 2), value_set=PREFIXES)
        part = pc.fill_null(prefix, 0).to_numpy(zero_copy_only=False).astype(np.int64) * self.count // len(PREFIXES)
        order = np.argsort(part, kind="stable")  # rows keep their order within a partition
        table, part = table.take(pa.array(order)), part[order]
        bounds = np.searchsorted(part, np.arange(self.count + 1))
        for number in np.flatnonzero(np.diff(bounds)).tolist():
            rows = table.slice(bounds[number], bounds[number + 1] - bounds[number])
            if number not in self._writers:
                self._writers[number] = ipc.new_file(self._file(number), rows.schema)
                self.written.add(number)
            self._writers[number].write_table(rows)

    def close(self) -> Partitions:
        """Finish the files (no more `add`); returns self."""
        for writer in self._writers.values():
            writer.close()
        self._writers = {}
        return self

    def tables(self) -> Iterator[pa.Table]:
        """Each non-empty partition, read back whole (after the last `add`); one empty table if none."""
        self.close()
        if not self.written:
            yield self.schema.empty_table()
        for number in sorted(self.written):
            with pa.memory_map(str(self._file(number))) as source:
                yield ipc.open_file(source).read_all()

    def __getstate__(self) -> dict:
        if self._writers:
            raise RuntimeError(f"partitions in {self.folder} are still being written; close() them first")
        return self.__dict__

    def _file(self, number: int) -> Path:
        return self.folder / f"part-{number:03d}.arrow"
