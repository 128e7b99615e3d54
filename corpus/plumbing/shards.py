"""Parquet shards between stages: bounded files, streamed as record batches, with a params hash chain.

A stage folder holds `<name>-NNNNN.parquet` files in order. Every file carries the stage's params hash
chain in its key-value metadata, so a later stage can extend it without reading params it does not own.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from types import TracebackType

import pyarrow as pa
import pyarrow.parquet as pq

from corpus.plumbing.storage import AnyPath, arrow_location, remove_tree
from corpus.plumbing.units import UNIT_NAME, UnitNames

CHAIN_KEY = b"corpus.params_chain"
UNIT_KEY = b"corpus.unit_key"  # the cache key of the unit job that wrote the shard (corpus.plumbing.cache)
ROOT_CHAIN = "0" * 64


class SchemaMismatchError(TypeError):
    """A stage output does not have the columns and types the next stage reads."""


def _compatible(actual: pa.DataType, expected: pa.DataType) -> bool:
    """Equal, or both timestamps in the same zone (Parquet stores second timestamps as milliseconds)."""
    if pa.types.is_timestamp(actual) and pa.types.is_timestamp(expected):
        return actual.tz == expected.tz
    return actual.equals(expected)


def check_schema(actual: pa.Schema, expected: pa.Schema, where: str) -> None:
    """Fail naming every missing, extra or differently typed column (nullability is checked by GX)."""
    problems = [f"missing column {name!r}" for name in expected.names if name not in actual.names]
    problems += [f"unexpected column {name!r}" for name in actual.names if name not in expected.names]
    problems += [
        f"column {field.name!r} is {actual.field(field.name).type}, expected {field.type}"
        for field in expected
        if field.name in actual.names and not _compatible(actual.field(field.name).type, field.type)
    ]
    if problems:
        raise SchemaMismatchError(f"{where}: schema does not match: " + "; ".join(problems))


class ShardWriter:
    """Writes rows to `<directory>/<name>-NNNNN.parquet`, starting a new file every `rows_per_shard` rows."""

    def __init__(
        self,
        directory: AnyPath,
        name: str,
        schema: pa.Schema,
        *,
        chain: str = ROOT_CHAIN,
        unit_key: str | None = None,
        rows_per_shard: int = 100_000,
        compression: str = "lz4",  # intermediate shards favour speed; the release is written with zstd
        buffer_rows: int = 2_000,
    ) -> None:
        self.directory = directory
        self.name = name
        extra = {CHAIN_KEY: chain.encode()} | ({UNIT_KEY: unit_key.encode()} if unit_key else {})
        self.schema = schema.with_metadata({**(schema.metadata or {}), **extra})
        self.rows_per_shard = rows_per_shard
        self.compression = compression
        self.buffer_rows = buffer_rows
        self.paths: list[AnyPath] = []
        self._pending: list[dict] = []
        self.rows_written = 0
        self._writer: pq.ParquetWriter | None = None
        self._rows_in_shard = 0
        self.directory.mkdir(parents=True, exist_ok=True)

    def write(self, rows: pa.Table | pa.RecordBatch | list[dict]) -> None:
        """Rows as dicts are buffered and written in batches; tables and batches are written at once."""
        if isinstance(rows, list):
            self._pending.extend(rows)
            if len(self._pending) >= self.buffer_rows:
                self._flush()
            return
        self._flush()
        self._write_table(self._as_table(rows))

    def _flush(self) -> None:
        if self._pending:
            pending, self._pending = self._pending, []
            self._write_table(rows_to_table(pending, self.schema))

    def _write_table(self, table: pa.Table) -> None:
        offset = 0
        while offset < table.num_rows:
            if self._writer is None or self._rows_in_shard >= self.rows_per_shard:
                self._open_next()
            take = min(self.rows_per_shard - self._rows_in_shard, table.num_rows - offset)
            assert self._writer is not None
            self._writer.write_table(table.slice(offset, take))
            self._rows_in_shard += take
            self.rows_written += take
            offset += take

    def close(self) -> list[AnyPath]:
        self._flush()
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        if not self.paths:  # an empty stage output is still a valid, readable shard
            self._open_next()
            assert self._writer is not None
            self._writer.close()
            self._writer = None
        return self.paths

    def __enter__(self) -> ShardWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def _as_table(self, rows: pa.Table | pa.RecordBatch) -> pa.Table:
        if isinstance(rows, pa.RecordBatch):
            rows = pa.Table.from_batches([rows])
        return rows.select(self.schema.names).cast(self.schema)

    def _open_next(self) -> None:
        if self._writer is not None:
            self._writer.close()
        path = self.directory / f"{self.name}-{len(self.paths):05d}.parquet"
        where, filesystem = arrow_location(path)
        self._writer = pq.ParquetWriter(where, self.schema, compression=self.compression, filesystem=filesystem)
        self.paths.append(path)
        self._rows_in_shard = 0


class SubUnitWriter:
    """A unit job's rows under its sub-unit names (`<kind>-<unit>-…`, then `<kind>-<unit>_00001-…`), going on
    under the next name once the rows written hold `unit_size` (in whatever measure the caller counts). Each
    sub-unit's shards carry a unit key of their own (the job's, then one derived from it), so later stages
    cache them apart."""

    def __init__(self, directory: AnyPath, kind: str, names: UnitNames, schema: pa.Schema, *, chain: str,
                 unit_key: str, unit_size: int) -> None:
        self.directory, self.kind, self.names, self.schema = directory, kind, names, schema
        self.chain, self.unit_key, self.unit_size = chain, unit_key, unit_size
        self.paths: list[AnyPath] = []
        self._writer: ShardWriter | None = None
        self._next, self._size = 0, 0

    def add(self, row: dict, size: int) -> None:
        if self._writer is None:
            self._writer = self._open(self._next)
            self._next += 1
        self._writer.write([row])
        self._size += size
        if self._size >= self.unit_size:
            self.paths += self._writer.close()
            self._writer, self._size = None, 0

    def close(self) -> list[AnyPath]:
        if self._writer is None and not self.paths:  # no row at all: the unit's one empty, readable shard
            self._writer = self._open(0)
        if self._writer is not None:
            self.paths += self._writer.close()
            self._writer = None
        return self.paths

    def __enter__(self) -> SubUnitWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def _open(self, index: int) -> ShardWriter:
        key = self.unit_key if index == 0 else hashlib.sha256(f"{self.unit_key}:{index}".encode()).hexdigest()
        return ShardWriter(self.directory, f"{self.kind}-{self.names[index]}", self.schema, chain=self.chain,
                           unit_key=key)


def _column(values: list, data_type: pa.DataType) -> pa.Array:
    if isinstance(data_type, pa.StructType) and None not in values:
        children = [_column([value[field.name] for value in values], field.type) for field in data_type]
        return pa.StructArray.from_arrays(children, fields=list(data_type))
    return pa.array(values, type=data_type)


def rows_to_table(rows: list[dict], schema: pa.Schema) -> pa.Table:
    """Rows as dicts → a table, column by column (several times faster than from_pylist for structs)."""
    return pa.Table.from_arrays([_column([row.get(f.name) for row in rows], f.type) for f in schema], schema=schema)


def shard_paths(directory: AnyPath, name: str) -> list[AnyPath]:
    """`<name>-NNNNN.parquet` in order. One unit's shards (`name` = `<kind>-<unit>`) are found by probing
    their consecutive numbers, not by listing a folder of thousands of files for each unit."""
    if _SHARD_SET.match(name):
        paths = []
        while (path := directory / f"{name}-{len(paths):05d}.parquet").exists():
            paths.append(path)
        return paths
    return sorted(directory.glob(f"{name}-*.parquet"))


_SHARD_SET = re.compile(rf"^[a-z_]+-{UNIT_NAME}$")


def open_parquet(path: AnyPath) -> pq.ParquetFile:
    where, filesystem = arrow_location(path)
    return pq.ParquetFile(where, filesystem=filesystem)


def shard_row_counts(paths: list[AnyPath]) -> list[int]:
    """Rows in each shard, from the files' footers."""
    counts = []
    for path in paths:
        with open_parquet(path) as parquet:
            counts.append(parquet.metadata.num_rows)
    return counts


def shard_rows(directory: AnyPath, name: str) -> int:
    return sum(shard_row_counts(shard_paths(directory, name)))


def read_batches(
    directory: AnyPath,
    name: str,
    columns: list[str] | None = None,
    batch_rows: int = 4096,
    expect: pa.Schema | None = None,
) -> Iterator[pa.RecordBatch]:
    """Record batches of every shard in order; with `expect`, each shard's schema is checked first."""
    for path in shard_paths(directory, name):
        with open_parquet(path) as parquet:
            if expect is not None:
                check_schema(parquet.schema_arrow, expect, str(path))
            yield from parquet.iter_batches(columns=columns, batch_size=batch_rows)


def read_table(directory: AnyPath, name: str, columns: list[str] | None = None) -> pa.Table:
    """A whole stage output; only for narrow column selections (ids, keys), never for text."""
    tables = [read_parquet(path, columns) for path in shard_paths(directory, name)]
    return pa.concat_tables(tables) if tables else pa.table({})


def read_parquet(path: AnyPath, columns: list[str] | None = None) -> pa.Table:
    """One file (or some of its columns) whole, without the dataset layer `pq.read_table` builds for every
    call (~1 ms a file, which a stage reading thousands of small shards pays thousands of times)."""
    with open_parquet(path) as parquet:
        return parquet.read(columns=columns)


def _first_metadata(directory: AnyPath, name: str) -> dict[bytes, bytes]:
    paths = shard_paths(directory, name)
    if not paths:
        raise FileNotFoundError(f"no {name}-*.parquet shards in {directory}")
    where, filesystem = arrow_location(paths[0])
    return pq.read_schema(where, filesystem=filesystem).metadata or {}


def read_chain(directory: AnyPath, name: str) -> str:
    return _first_metadata(directory, name).get(CHAIN_KEY, ROOT_CHAIN.encode()).decode()


def read_unit_key(directory: AnyPath, name: str) -> str:
    """The cache key of the job that wrote these shards (`name` = `<kind>-<unit>`)."""
    key = _first_metadata(directory, name).get(UNIT_KEY)
    if key is None:
        raise ValueError(f"{directory}/{name}-*.parquet carries no {UNIT_KEY.decode()}")
    return key.decode()


def unit_names(directory: AnyPath, kind: str) -> list[str]:
    """The units a stage folder holds shards of (`<kind>-<unit>-NNNNN.parquet`), in order."""
    return sorted({path.name.split("-")[1] for path in shard_paths(directory, kind)})


def fresh_directory(directory: AnyPath) -> AnyPath:
    """Empty the output folder of a stage so no shard from an earlier run survives."""
    remove_tree(directory)
    directory.mkdir(parents=True)
    return directory


def aligned(
    left: Iterator[pa.RecordBatch], right: Iterator[pa.RecordBatch]
) -> Iterator[tuple[pa.RecordBatch, pa.RecordBatch]]:
    """Two streams of the same number of rows, re-cut so each pair of batches covers the same rows."""
    left_batch = right_batch = None
    while True:
        if left_batch is None or not left_batch.num_rows:
            left_batch = next(left, None)
        if right_batch is None or not right_batch.num_rows:
            right_batch = next(right, None)
        if left_batch is None or right_batch is None:
            if left_batch is not None or right_batch is not None:
                raise ValueError("aligned streams differ in length")
            return
        take = min(left_batch.num_rows, right_batch.num_rows)
        yield left_batch.slice(0, take), right_batch.slice(0, take)
        left_batch, right_batch = left_batch.slice(take), right_batch.slice(take)
