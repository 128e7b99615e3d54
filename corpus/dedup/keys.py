"""Dedup's keys files (`keys-<unit>-NNNNN.parquet`): what the corpus-wide step needs of every record, no text.

Written per unit on the executor: id, segment id, exact text key, the representative-policy columns, the
MinHash signature and its LSH band keys. Read back by the stage process once (`corpus.dedup.scratch`), and
for the few rows that need more (the duplicates' segment ids, `take_column`), so the corpus-wide step never
holds the records.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from corpus.dedup import INDEX_STEM, MINHASH_KEY
from corpus.dedup.clusters import digest_bytes
from corpus.dedup.exact import exact_key
from corpus.dedup.minhash import MinHashConfig, band_keys, fold, signatures
from corpus.dedup.partitions import CHUNK_ROWS, Keys, absent_positions
from corpus.identity import ID_HEX_DIGITS
from corpus.plumbing.shards import read_table
from corpus.plumbing.storage import AnyPath
from corpus.record import RECORD_SCHEMA

RECORD_COLUMNS = ["id", "text", "is_truncated", "quality", "published_at", "provenance"]


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


def index_schema(config: MinHashConfig) -> pa.Schema:
    """The MinHash index's columns (see corpus.dedup), the signature params in its metadata."""
    return pa.schema([pa.field("id", pa.string(), nullable=False),
                      pa.field("signature", pa.list_(pa.uint32(), config.num_perm), nullable=False)],
                     metadata={MINHASH_KEY: signature_params(config)})


def index_table(keys: pa.Table, keep: np.ndarray, config: MinHashConfig) -> pa.Table:
    """The index rows of one unit: its keys' id and signature, of the records kept."""
    return keys.select(["id", "signature"]).filter(pa.array(keep)).cast(index_schema(config))


def index_files(path: str) -> list[Path]:
    """An earlier release's index files (a release folder), or the one file named."""
    if Path(path).is_dir():
        return sorted((Path(path) / "dedup").glob(f"{INDEX_STEM}*.parquet"))
    return [Path(path)]


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


def signature_rows(column: pa.ChunkedArray | pa.Array, rows: int, num_perm: int) -> np.ndarray:
    return pc.list_flatten(column).to_numpy().reshape(rows, num_perm)


@dataclass
class Released:
    """An earlier release's index: every id it published (digest bytes, in a scratch file), and the ids and
    signatures of those absent now (the anchors)."""

    ids: Keys
    absent_ids: pa.Array
    absent_signatures: np.ndarray

    def contains(self, ids: np.ndarray) -> np.ndarray:
        """Which of these ids (digest bytes; a handful, not the corpus) the release published."""
        found = np.zeros(len(ids), dtype=bool)
        for start in range(0, self.ids.rows, CHUNK_ROWS):
            found |= np.isin(ids, self.ids.chunk(start, min(start + CHUNK_ROWS, self.ids.rows)))
        return found


def load_released(path: str, config: MinHashConfig, present: Keys, folder: Path) -> Released:
    """Ids and signatures of an earlier release (a release folder or one of its index files); none if unset.
    `present`: the current records' ids as digest bytes. The release's ids go to a scratch file in `folder`
    and are matched against the present ones a key-range partition at a time."""
    none = np.zeros(0, dtype=present.dtype)
    if not path:
        return Released(Keys.of(none), pa.array([], pa.string()), np.zeros((0, config.num_perm), dtype=np.uint32))
    paths = index_files(path)
    if not paths:
        raise ValueError(f"{path}: no {INDEX_STEM} files in its dedup/ folder")
    files = [pq.ParquetFile(file) for file in paths]
    expected = signature_params(config).encode()
    for file, index in zip(paths, files, strict=True):
        stored = (index.schema_arrow.metadata or {}).get(MINHASH_KEY.encode())
        if stored != expected:
            raise ValueError(f"{file}: MinHash index built with {stored!r}, params say {expected!r}")
    with (folder / "released-ids").open("wb") as spilled:
        for index in files:
            for batch in index.iter_batches(columns=["id"]):
                spilled.write(digest_bytes(batch.column("id"), ID_HEX_DIGITS).data)
    ids = Keys(present.dtype, sum(index.metadata.num_rows for index in files), folder / "released-ids")
    absent = absent_positions(ids, present)
    absent_ids, blocks = [pa.array([], pa.string())], [np.zeros((0, config.num_perm), dtype=np.uint32)]
    position = 0
    for batch in (batch for index in files for batch in index.iter_batches()):
        inside = absent[np.searchsorted(absent, position) : np.searchsorted(absent, position + batch.num_rows)]
        kept = batch.take(pa.array(inside - position))
        absent_ids.append(kept.column("id"))
        blocks.append(signature_rows(kept.column("signature"), kept.num_rows, config.num_perm).astype(np.uint32))
        position += batch.num_rows
    return Released(ids, pa.concat_arrays(absent_ids), np.vstack(blocks))


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
