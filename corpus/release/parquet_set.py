"""A release's Parquet files, cut along work units so that an unchanged part of the corpus keeps its bytes.

The rows of a split (or the ledger, or the MinHash index) come unit by unit, in raw-file order. Consecutive
units are grouped into files like content-defined chunks: a group closes after a unit whose key hashes to a
boundary once it holds a quarter of `rows_per_shard`, and in any case once it holds `rows_per_shard`. A
group's bytes depend only on its own units (rows, row groups every `row_group_rows` rows, the raw files its
rows came from in each file's footer), so a rebuild after adding raw files re-encodes only the groups the
new units fall in; the others are taken from the cache. Files are named `<stem>-NNNNN-of-NNNNN.parquet` once
all are written.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from corpus.params import PublishParams

SOURCES_KEY = "corpus.sources_sha256"  # footer metadata: the raw files (path → sha256) of a file's rows
MIN_FILL = 4  # a group may close at a boundary once it holds rows_per_shard / MIN_FILL rows…
BOUNDARY_EVERY = 4  # …after a unit whose key is 0 modulo this


def plan_groups(rows: Sequence[int], keys: Sequence[str], rows_per_shard: int) -> list[list[int]]:
    """Unit indexes grouped into release files, from each unit's row count and (hex) key."""
    groups: list[list[int]] = []
    group: list[int] = []
    held = 0
    for index, (count, key) in enumerate(zip(rows, keys, strict=True)):
        group.append(index)
        held += count
        at_boundary = int(key[:8], 16) % BOUNDARY_EVERY == 0
        if held >= rows_per_shard or (held >= rows_per_shard // MIN_FILL and at_boundary):
            groups.append(group)
            group, held = [], 0
    if group and held == 0 and groups:
        groups[-1] += group  # trailing units without rows: no file of their own
    elif group:
        groups.append(group)
    return groups


class ParquetSetWriter:
    """Writes `<stem>-NNNNN.parquet` files of at most rows_per_shard rows, row groups every row_group_rows
    rows whatever the sizes of the incoming tables, with content-defined chunking of pages. When rows have a
    provenance, each file's footer names the raw files they came from (SOURCES_KEY, in the file's key-value
    metadata: known only once the file is written, so it is not in the Arrow schema's)."""

    def __init__(self, folder: Path, stem: str, schema: pa.Schema, params: PublishParams, metadata: dict,
                 compression: str | dict[str, str] | None = None) -> None:
        self.folder, self.stem, self.params = folder, stem, params
        self.compression = compression or params.compression
        self.schema = schema.with_metadata({k.encode(): v.encode() for k, v in metadata.items()})
        self.rows = 0
        self.paths: list[Path] = []
        self._pending: list[pa.Table] = []
        self._pending_rows = 0
        self._writer: pq.ParquetWriter | None = None
        self._rows_in_file = 0
        self._names_sources = "provenance" in schema.names
        self._sources: dict[str, str] = {}  # of the open file
        folder.mkdir(parents=True, exist_ok=True)

    def write(self, table: pa.Table) -> None:
        self._pending.append(table.cast(self.schema))
        self._pending_rows += table.num_rows
        self.rows += table.num_rows
        if self._pending_rows >= self.params.row_group_rows:
            self._drain(final=False)

    def _drain(self, final: bool) -> None:
        pending = pa.concat_tables(self._pending) if self._pending else self.schema.empty_table()
        group = self.params.row_group_rows
        full = pending.num_rows if final else pending.num_rows - pending.num_rows % group
        offset = 0
        while offset < full:
            if self._writer is None or self._rows_in_file >= self.params.rows_per_shard:
                self._open_next()
            take = min(full - offset, self.params.rows_per_shard - self._rows_in_file)
            assert self._writer is not None
            rows = pending.slice(offset, take)
            self._writer.write_table(rows, row_group_size=group)
            if self._names_sources:
                self._sources |= sources(rows.column("provenance"))
            self._rows_in_file += take
            offset += take
        rest = pending.slice(full)
        self._pending, self._pending_rows = ([rest] if rest.num_rows else []), rest.num_rows

    def _open_next(self) -> None:
        self._close_file()
        path = self.folder / f"{self.stem}-{len(self.paths):05d}.parquet"
        self._writer = pq.ParquetWriter(
            path, self.schema, compression=self.compression, use_content_defined_chunking=True
        )
        self.paths.append(path)
        self._rows_in_file = 0

    def _close_file(self) -> None:
        if self._writer is not None:
            if self._names_sources:
                self._writer.add_key_value_metadata({SOURCES_KEY: json.dumps(self._sources, sort_keys=True)})
            self._writer.close()
        self._writer, self._sources = None, {}

    def close(self) -> list[Path]:
        """Flush and close; the files, in order (one empty file when there were no rows)."""
        self._drain(final=True)
        if self._writer is None:
            self._open_next()
        self._close_file()
        return self.paths

    def __enter__(self) -> ParquetSetWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        if kind is None:
            self.close()
        elif self._writer is not None:
            self._writer.close()


def sources(provenance: pa.ChunkedArray) -> dict[str, str]:
    """The raw files (path → sha256) rows came from."""
    pairs = pa.table({"path": pc.struct_field(provenance, "source_path"),
                      "sha": pc.struct_field(provenance, "source_sha256")}).group_by(["path", "sha"]).aggregate([])
    return dict(zip(pairs.column("path").to_pylist(), pairs.column("sha").to_pylist(), strict=True))


def read_sources(path: Path) -> dict[str, str]:
    """The raw files a release file's footer names."""
    return json.loads(pq.read_metadata(path).metadata[SOURCES_KEY.encode()])


def name_set(paths: Sequence[Path], stem: str) -> list[str]:
    """Rename a set's files, in order, to `<stem>-NNNNN-of-NNNNN.parquet` in their folder; the new names."""
    names = []
    for index, path in enumerate(paths):
        name = f"{stem}-{index:05d}-of-{len(paths):05d}.parquet"
        path.rename(path.with_name(name))
        names.append(name)
    return names
