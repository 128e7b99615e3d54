"""Dedup's keys files (`keys-<unit>-NNNNN.parquet`): what the corpus-wide step needs of every record, no text.

Written per unit on the executor: id, segment id, exact text key, the representative-policy columns, the
MinHash signature and its LSH band keys. Read back by the stage process in a few narrow passes — the
policy columns, the signatures' low bytes (128 bytes an article, into a memory-mapped scratch file), then
a few band columns at a time — so the corpus-wide step holds a few hundred bytes an article, not the records.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from corpus.dedup import INDEX_FILE
from corpus.dedup.clusters import Candidates
from corpus.dedup.exact import exact_key
from corpus.dedup.minhash import MinHashConfig, band_keys, fold, low_bytes, signatures
from corpus.record import RECORD_SCHEMA
from corpus.shards import read_batches, read_parquet, read_table, shard_paths, shard_row_counts
from corpus.storage import AnyPath, arrow_location

RECORD_COLUMNS = ["id", "text", "is_truncated", "quality", "published_at", "provenance"]
CANDIDATE_COLUMNS = ["id", "text_key", "is_truncated", "n_chars", "published_at"]
BANDS_PER_READ = 8  # band columns read together: 64 bytes an article in memory, a quarter of the passes


def signature_params(config: MinHashConfig) -> str:
    """What the signatures depend on (recorded in the release's index, checked when it is read back)."""
    return f"{config.shingle}:{config.bands}:{config.rows}:{config.seed}"


def band_column(band: int) -> str:
    return f"band_{band:03d}"


def key_schema(config: MinHashConfig) -> pa.Schema:
    return pa.schema(
        [
            pa.field("id", pa.string(), nullable=False),
            pa.field("segment_id", pa.string(), nullable=False),
            pa.field("text_key", pa.string(), nullable=False),
            pa.field("is_truncated", pa.bool_(), nullable=False),
            pa.field("n_chars", pa.int64(), nullable=False),
            RECORD_SCHEMA.field("published_at"),
            pa.field("signature", pa.list_(pa.uint32(), config.num_perm), nullable=False),
            *[pa.field(band_column(b), pa.uint64(), nullable=False) for b in range(config.bands)],
        ]
    )


def signature_array(sigs: np.ndarray, num_perm: int) -> pa.FixedSizeListArray:
    return pa.FixedSizeListArray.from_arrays(pa.array(sigs.reshape(-1), type=pa.uint32()), num_perm)


def key_table(batch: pa.RecordBatch, config: MinHashConfig) -> pa.Table:
    """The keys of a batch of records."""
    texts = [fold(text) for text in batch.column("text").to_pylist()]
    sigs = signatures(texts, config, folded=True)
    bands = band_keys(sigs, config)
    columns = [
        batch.column("id"),
        pc.struct_field(batch.column("provenance"), "segment_id"),
        pa.array([exact_key(text, folded=True) for text in texts], pa.string()),
        batch.column("is_truncated"),
        pc.struct_field(batch.column("quality"), "n_chars"),
        batch.column("published_at"),
        signature_array(sigs, config.num_perm),
        *[pa.array(bands[:, b]) for b in range(config.bands)],
    ]
    return pa.Table.from_arrays(columns, schema=key_schema(config))


def _signature_rows(column: pa.ChunkedArray | pa.Array, rows: int, num_perm: int) -> np.ndarray:
    return pc.list_flatten(column).to_numpy().reshape(rows, num_perm)


@dataclass
class Released:
    """An earlier release's index: every id it published, and the signatures of those absent now."""

    ids: pa.Array
    absent_ids: pa.Array
    absent_signatures: np.ndarray


def load_released(path: str, config: MinHashConfig, present: pa.ChunkedArray) -> Released:
    """Ids and signatures of an earlier release (a release folder or its index file); none if unset."""
    if not path:
        empty = pa.array([], pa.string())
        return Released(empty, empty, np.zeros((0, config.num_perm), dtype=np.uint32))
    file = Path(path) / "dedup" / INDEX_FILE if Path(path).is_dir() else Path(path)
    index = pq.ParquetFile(file)
    stored = index.schema_arrow.metadata or {}
    expected = signature_params(config).encode()
    if stored.get(b"corpus.minhash") != expected:
        raise ValueError(f"{file}: MinHash index built with {stored.get(b'corpus.minhash')!r}, params say {expected!r}")
    ids, absent_ids, blocks = [], [], [np.zeros((0, config.num_perm), dtype=np.uint32)]
    for batch in index.iter_batches():
        ids.append(batch.column("id"))
        kept = batch.filter(pc.invert(pc.is_in(batch.column("id"), value_set=present)))
        absent_ids.append(kept.column("id"))
        blocks.append(_signature_rows(kept.column("signature"), kept.num_rows, config.num_perm).astype(np.uint32))
    return Released(pa.concat_arrays(ids) if ids else pa.array([], pa.string()),
                    pa.concat_arrays(absent_ids) if absent_ids else pa.array([], pa.string()), np.vstack(blocks))


def read_candidates(output: AnyPath, config: MinHashConfig, scratch: Path, previous_index: str = "") -> tuple[
    Candidates, np.ndarray, Released
]:
    """Every current record (in record order), then the released articles absent now (anchors, ranked
    first, never emitted); the low bytes of their signatures (memory-mapped from a file in `scratch`); the
    earlier release."""
    paths = shard_paths(output, "keys")
    narrow = pa.concat_tables([read_parquet(path, CANDIDATE_COLUMNS) for path in paths])  # every unit has one
    released = load_released(previous_index, config, narrow.column("id"))
    anchors = len(released.absent_ids)
    low = low_matrix(paths, released.absent_signatures, config, scratch / "low-bytes")

    def column(name: str, anchor_values: pa.Array) -> pa.ChunkedArray:
        values = narrow.column(name)
        return pa.chunked_array([*values.chunks, anchor_values.cast(values.type)], type=values.type)

    candidates = Candidates(
        ids=column("id", released.absent_ids),
        text_keys=column("text_key", pc.binary_join_element_wise("released:", released.absent_ids, "")),
        is_truncated=np.r_[_numpy(narrow.column("is_truncated"), bool), np.zeros(anchors, dtype=bool)],
        n_chars=np.r_[_numpy(narrow.column("n_chars"), np.int64), np.zeros(anchors, dtype=np.int64)],
        published=column("published_at", pa.nulls(anchors, pa.timestamp("s"))),
        released=np.r_[_numpy(pc.is_in(narrow.column("id"), value_set=released.ids), bool),
                       np.ones(anchors, dtype=bool)],
    )
    return candidates, low, released


def take_column(output: AnyPath, name: str, rows: np.ndarray, units: list[str], unit_rows: list[int]) -> list:
    """One keys column's values at the given record positions (ascending), read only from the units that
    hold some (`unit_rows`: each unit's record count, in record order)."""
    values, start = [], 0
    for unit, count in zip(units, unit_rows, strict=True):
        inside = rows[np.searchsorted(rows, start) : np.searchsorted(rows, start + count)] - start
        if len(inside):
            values += read_table(output, f"keys-{unit}", [name]).column(name).take(pa.array(inside)).to_pylist()
        start += count
    return values


def low_matrix(paths: list[AnyPath], anchors: np.ndarray, config: MinHashConfig, file: Path) -> np.ndarray:
    """The signatures' low bytes (128 an article) of the keys files' records in order, then of the anchors:
    written to `file` through a file handle and mapped read-only, so they stay in the page cache rather
    than in this process — verification touches only the rows of candidate pairs, and the OS can drop the
    pages under pressure."""
    rows = 0
    with file.open("wb") as out:
        for path in paths:
            table = read_parquet(path, ["signature"])
            out.write(low_bytes(_signature_rows(table.column("signature"), table.num_rows, config.num_perm)).data)
            rows += table.num_rows
        out.write(low_bytes(anchors).data)
        rows += len(anchors)
    if not rows:
        return np.zeros((0, config.num_perm), dtype=np.uint8)
    return np.memmap(file, dtype=np.uint8, mode="r", shape=(rows, config.num_perm))


def _numpy(values: pa.ChunkedArray, dtype: type) -> np.ndarray:
    return values.to_numpy().astype(dtype, copy=False) if len(values) else np.zeros(0, dtype=dtype)


def band_columns(output: AnyPath, config: MinHashConfig, released: Released, units: list[str],
                 chosen: list[int] | None = None) -> Iterator[np.ndarray]:
    """Each band's keys, one band at a time (BANDS_PER_READ read per pass): of every candidate, or of the
    `chosen` parts only (indices into `units`; len(units) stands for the released anchors)."""
    chosen = list(range(len(units) + 1)) if chosen is None else chosen
    paths = [path for i in chosen if i < len(units) for path in shard_paths(output, f"keys-{units[i]}")]
    absent = released.absent_signatures if len(units) in chosen else released.absent_signatures[:0]
    anchors = band_keys(absent, config)
    current = sum(shard_row_counts(paths))
    block = np.empty((current + len(anchors), BANDS_PER_READ), dtype=np.uint64)
    for first in range(0, config.bands, BANDS_PER_READ):
        bands = list(range(first, min(first + BANDS_PER_READ, config.bands)))
        start = 0
        for path in paths:
            table = read_parquet(path, [band_column(b) for b in bands])
            for j, band in enumerate(bands):
                block[start : start + table.num_rows, j] = table.column(band_column(band)).to_numpy()
            start += table.num_rows
        block[current:, : len(bands)] = anchors[:, bands]
        for j in range(len(bands)):
            yield np.ascontiguousarray(block[:, j])


def write_index(path: AnyPath, output: AnyPath, keep: np.ndarray, config: MinHashConfig) -> None:
    """The compact MinHash index a release ships (id + signature of every representative, in record order),
    so the next build can dedup against it. Streamed from the keys files."""
    schema = pa.schema([pa.field("id", pa.string(), nullable=False),
                        pa.field("signature", pa.list_(pa.uint32(), config.num_perm), nullable=False)])
    schema = schema.with_metadata({"corpus.minhash": signature_params(config)})
    where, filesystem = arrow_location(path)
    position = 0
    # MinHash values are near-random: zstd spends most of the write on them for ~5% of their size.
    compression = {"id": "zstd", "signature": "none"}
    with pq.ParquetWriter(where, schema, compression=compression, filesystem=filesystem) as writer:
        for batch in read_batches(output, "keys", columns=["id", "signature"]):
            kept = batch.filter(pa.array(keep[position : position + batch.num_rows]))
            writer.write_table(pa.Table.from_batches([kept]).cast(schema))
            position += batch.num_rows
