"""The corpus-wide step's inputs, read from the keys files in one pass.

What dedup's clustering needs of every record is held in memory column by column, ~47 bytes an article:
the id and text key as digest bytes (`clusters.digest_bytes`) and the representative-policy columns. The
signatures' low bytes (128 bytes an article) go to a scratch file, memory-mapped read-only, so verification
pages in only the rows candidate pairs touch and the OS can drop them under pressure. Band keys are read
only when the band reader asks, and only of the parts it asks for, into one scratch file per LSH band
(8 bytes an article, read one band at a time). The released anchors — articles of an earlier release
absent now — come last.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

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


@dataclass
class Scratch:
    """The scratch files of one dedup run, for `rows` records (current, then the anchors)."""

    folder: Path
    rows: int
    config: MinHashConfig
    units: list[list[AnyPath]]  # each unit's keys files, in record order
    anchor_keys: np.ndarray  # band keys of the anchors (anchors × bands)
    reads: int = 0

    @property
    def low(self) -> np.ndarray:
        if not self.rows:
            return np.zeros((0, self.config.num_perm), dtype=np.uint8)
        return np.memmap(self.folder / "low-bytes", dtype=np.uint8, mode="r", shape=(self.rows, self.config.num_perm))

    def bands(self, chosen: list[int] | None = None) -> Iterator[np.ndarray]:
        """Each band's bucket keys, one band at a time: of every record, or of the chosen parts only (indices
        into `units`; len(units) stands for the anchors). The band columns of their keys files are read once,
        into one scratch file a band, so a build that reuses the band book reads only its new units'."""
        chosen = list(range(len(self.units) + 1)) if chosen is None else chosen
        self.reads += 1
        folder = self.folder / f"bands-{self.reads}"
        folder.mkdir()
        names = [band_column(b) for b in range(self.config.bands)]
        files = [(folder / f"{name}.u64").open("wb") for name in names]
        try:
            for path in (path for i in chosen if i < len(self.units) for path in self.units[i]):
                table = read_parquet(path, names)
                _append(files, np.stack([_numpy(table.column(name)) for name in names], axis=1))
            if len(self.units) in chosen:
                _append(files, self.anchor_keys)
        finally:
            for file in files:
                file.close()
        for name in names:
            yield np.fromfile(folder / f"{name}.u64", dtype=np.uint64)


def read_candidates(output: AnyPath, config: MinHashConfig, folder: Path, units: list[str], current: int,
                    previous_index: str = "") -> tuple[Candidates, Scratch, Released]:
    """Every current record of the units' keys files (`current` of them, in record order), then the released
    articles absent now (anchors: ranked first, never emitted); their scratch files in `folder`; the
    earlier release."""
    ids = np.empty(current, dtype=f"S{ID_HEX_DIGITS // 2}")
    text_keys = np.empty(current, dtype=f"S{TEXT_KEY_DIGITS // 2}")
    truncated, n_chars = np.empty(current, dtype=bool), np.empty(current, dtype=np.int64)
    published, undated = np.empty(current, dtype=np.int64), np.empty(current, dtype=bool)
    unit_paths = [shard_paths(output, f"keys-{unit}") for unit in units]
    start = 0
    with (folder / "low-bytes").open("wb") as low:
        for path in (path for paths in unit_paths for path in paths):
            table = read_parquet(path, CANDIDATE_COLUMNS)
            rows = slice(start, start + table.num_rows)
            ids[rows] = digest_bytes(table.column("id"), ID_HEX_DIGITS)
            text_keys[rows] = digest_bytes(table.column("text_key"), TEXT_KEY_DIGITS)
            truncated[rows] = _numpy(table.column("is_truncated"))
            n_chars[rows] = _numpy(table.column("n_chars"))
            dates = table.column("published_at")
            published[rows] = _numpy(pc.fill_null(pc.cast(dates, pa.int64()), 0))
            undated[rows] = _numpy(pc.is_null(dates))
            low.write(low_bytes(signature_rows(table.column("signature"), table.num_rows, config.num_perm)).data)
            start += table.num_rows
        if start != current:
            raise ValueError(f"{output}: the keys files hold {start} records, their units {current}")
        released = load_released(previous_index, config, ids)
        anchors = len(released.absent_ids)
        low.write(low_bytes(released.absent_signatures).data)
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
    scratch = Scratch(folder, current + anchors, config, unit_paths, band_keys(released.absent_signatures, config))
    return candidates, scratch, released


def _append(files: list[BinaryIO], block: np.ndarray) -> None:
    """Rows of band keys (rows × bands) onto the end of each band's file."""
    for band, file in enumerate(files):
        file.write(np.ascontiguousarray(block[:, band]).data)


def _then(values: np.ndarray, anchors: np.ndarray) -> np.ndarray:
    """The current records' column followed by the anchors' (no copy when there are none)."""
    return np.concatenate([values, anchors]) if len(anchors) else values


def _numpy(values: pa.ChunkedArray | pa.Array) -> np.ndarray:
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    return values.to_numpy(zero_copy_only=False)
