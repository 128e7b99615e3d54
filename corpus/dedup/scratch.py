"""The corpus-wide step's inputs, read from the keys files in one pass.

What dedup's clustering needs of every record is held in memory column by column, ~47 bytes an article:
the id and text key as digest bytes (`clusters.digest_bytes`) and the representative-policy columns. The
rest goes to scratch files beside it, read back a little at a time: the signatures' low bytes (128 bytes
an article, memory-mapped read-only, so verification pages in only the rows candidate pairs touch and the
OS can drop them under pressure) and one file of bucket keys per LSH band (8 bytes an article, read one
band at a time). The released anchors — articles of an earlier release absent now — come last.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from corpus.dedup.clusters import Candidates, digest_bytes
from corpus.dedup.keys import Released, band_column, load_released, signature_rows
from corpus.dedup.minhash import MinHashConfig, band_keys, low_bytes
from corpus.identity import ID_HEX_DIGITS
from corpus.shards import read_parquet, shard_paths
from corpus.storage import AnyPath

TEXT_KEY_DIGITS = 32  # corpus.dedup.exact.exact_key
CANDIDATE_COLUMNS = ["id", "text_key", "is_truncated", "n_chars", "published_at", "signature"]


@dataclass(frozen=True)
class Scratch:
    """The scratch files of one dedup run: low bytes and band keys of `rows` records (current, then anchors)."""

    folder: Path
    rows: int
    config: MinHashConfig

    @property
    def low(self) -> np.ndarray:
        if not self.rows:
            return np.zeros((0, self.config.num_perm), dtype=np.uint8)
        return np.memmap(self.folder / "low-bytes", dtype=np.uint8, mode="r", shape=(self.rows, self.config.num_perm))

    def bands(self, rows: np.ndarray | None = None) -> Iterator[np.ndarray]:
        """Each band's bucket keys, one band at a time: of every record, or of these record positions."""
        for band in range(self.config.bands):
            path = self.folder / f"{band_column(band)}.u64"
            if rows is None:
                yield np.fromfile(path, dtype=np.uint64)
            elif not len(rows):
                yield np.zeros(0, dtype=np.uint64)
            else:
                yield np.array(np.memmap(path, dtype=np.uint64, mode="r", shape=(self.rows,))[rows])


def read_candidates(output: AnyPath, config: MinHashConfig, folder: Path, current: int,
                    previous_index: str = "") -> tuple[Candidates, Scratch, Released]:
    """Every current record of the keys files (`current` of them, in record order), then the released
    articles absent now (anchors: ranked first, never emitted); their scratch files in `folder`; the
    earlier release."""
    ids = np.empty(current, dtype=f"S{ID_HEX_DIGITS // 2}")
    text_keys = np.empty(current, dtype=f"S{TEXT_KEY_DIGITS // 2}")
    truncated, n_chars = np.empty(current, dtype=bool), np.empty(current, dtype=np.int64)
    published, undated = np.empty(current, dtype=np.int64), np.empty(current, dtype=bool)
    writer = _ScratchWriter(folder, config)
    start = 0
    with writer:
        for path in shard_paths(output, "keys"):
            table = read_parquet(path, CANDIDATE_COLUMNS + [band_column(b) for b in range(config.bands)])
            rows = slice(start, start + table.num_rows)
            ids[rows] = digest_bytes(table.column("id"), ID_HEX_DIGITS)
            text_keys[rows] = digest_bytes(table.column("text_key"), TEXT_KEY_DIGITS)
            truncated[rows] = _numpy(table.column("is_truncated"))
            n_chars[rows] = _numpy(table.column("n_chars"))
            dates = table.column("published_at")
            published[rows] = _numpy(pc.fill_null(pc.cast(dates, pa.int64()), 0))
            undated[rows] = _numpy(pc.is_null(dates))
            writer.write(signature_rows(table.column("signature"), table.num_rows, config.num_perm),
                         np.stack([_numpy(table.column(band_column(b))) for b in range(config.bands)], axis=1))
            start += table.num_rows
        if start != current:
            raise ValueError(f"{output}: the keys files hold {start} records, their units {current}")
        released = load_released(previous_index, config, ids)
        anchors = len(released.absent_ids)
        writer.write(released.absent_signatures, band_keys(released.absent_signatures, config))
    released_now = np.isin(ids, released.ids) if len(released.ids) else np.zeros(current, dtype=bool)
    candidates = Candidates(
        ids=_then(ids, digest_bytes(released.absent_ids, ID_HEX_DIGITS)),
        text_keys=text_keys,
        is_truncated=_then(truncated, np.zeros(anchors, dtype=bool)),
        n_chars=_then(n_chars, np.zeros(anchors, dtype=np.int64)),
        published=_then(published, np.zeros(anchors, dtype=np.int64)),
        undated=_then(undated, np.ones(anchors, dtype=bool)),
        released=_then(released_now, np.ones(anchors, dtype=bool)),
    )
    return candidates, Scratch(folder, current + anchors, config), released


class _ScratchWriter:
    """Appends records' low bytes and band keys to the scratch files, through file handles."""

    def __init__(self, folder: Path, config: MinHashConfig) -> None:
        self.low = (folder / "low-bytes").open("wb")
        self.bands = [(folder / f"{band_column(b)}.u64").open("wb") for b in range(config.bands)]

    def write(self, signatures: np.ndarray, keys: np.ndarray) -> None:
        self.low.write(low_bytes(signatures).data)
        for band, file in enumerate(self.bands):
            file.write(np.ascontiguousarray(keys[:, band]).data)

    def __enter__(self) -> _ScratchWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        for file in [self.low, *self.bands]:
            file.close()


def _then(values: np.ndarray, anchors: np.ndarray) -> np.ndarray:
    """The current records' column followed by the anchors' (no copy when there are none)."""
    return np.concatenate([values, anchors]) if len(anchors) else values


def _numpy(values: pa.ChunkedArray | pa.Array) -> np.ndarray:
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    return values.to_numpy(zero_copy_only=False)
