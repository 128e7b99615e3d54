"""The corpus-wide step's inputs, read from the keys files in one pass into scratch files.

Nothing a record has is held in memory for the whole step. Ids and text keys (as digest bytes,
`clusters.digest_bytes`) go to scratch files that are paired by equal value a key-range partition at a
time (`corpus.dedup.partitions`); the representative-policy columns go to one that is read only at the
rows being ranked. The signatures' low bytes (128 bytes an article) go to a scratch file, memory-mapped
read-only, so verification pages in only the rows candidate pairs touch and the OS can drop them under
pressure. Band keys are read only when the band reader asks, and only of the parts it asks for, into one
scratch file per LSH band. The released anchors — articles of an earlier release absent now — come last.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from corpus.dedup.clusters import POLICY, Candidates, digest_bytes
from corpus.dedup.keys import Released, band_column, load_released, signature_rows
from corpus.dedup.minhash import MinHashConfig, band_keys, low_bytes
from corpus.dedup.partitions import Keys, mapped
from corpus.identity import ID_HEX_DIGITS
from corpus.plumbing.shards import read_parquet, shard_paths
from corpus.plumbing.storage import AnyPath

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
        """rows × num_perm low bytes, memory-mapped."""
        return mapped(self.folder / "low-bytes", np.dtype((np.uint8, (self.config.num_perm,))), self.rows)

    def bands(self, chosen: list[int] | None = None) -> Iterator[Keys]:
        """Each band's bucket keys, one band at a time: of every record, or of the chosen parts only (indices
        into `units`; len(units) stands for the anchors). The band columns of their keys files are read once,
        into one scratch file a band, so a build that reuses the band book reads only its new units'."""
        chosen = list(range(len(self.units) + 1)) if chosen is None else chosen
        self.reads += 1
        folder = self.folder / f"bands-{self.reads}"
        folder.mkdir()
        names = [band_column(b) for b in range(self.config.bands)]
        files = [(folder / f"{name}.u64").open("wb") for name in names]
        rows = 0
        try:
            for path in (path for i in chosen if i < len(self.units) for path in self.units[i]):
                table = read_parquet(path, names)
                _append(files, np.stack([_numpy(table.column(name)) for name in names], axis=1))
                rows += table.num_rows
            if len(self.units) in chosen:
                _append(files, self.anchor_keys)
                rows += len(self.anchor_keys)
        finally:
            for file in files:
                file.close()
        for name in names:
            yield Keys(np.dtype(np.uint64), rows, folder / f"{name}.u64")


def read_candidates(output: AnyPath, config: MinHashConfig, folder: Path, units: list[str], current: int,
                    previous_index: str = "") -> tuple[Candidates, Scratch, Released]:
    """Every current record of the units' keys files (`current` of them, in record order), then the released
    articles absent now (anchors: ranked first, never emitted); their scratch files in `folder`; the
    earlier release."""
    unit_paths = [shard_paths(output, f"keys-{unit}") for unit in units]
    start = 0
    with ExitStack() as files:
        ids, text_keys, policy, low = (files.enter_context((folder / name).open("wb"))
                                       for name in ("ids", "text-keys", "policy", "low-bytes"))
        for path in (path for paths in unit_paths for path in paths):
            table = read_parquet(path, CANDIDATE_COLUMNS)
            ids.write(digest_bytes(table.column("id"), ID_HEX_DIGITS).data)
            text_keys.write(digest_bytes(table.column("text_key"), TEXT_KEY_DIGITS).data)
            dates = table.column("published_at")
            policy.write(_policy(_numpy(table.column("is_truncated")), _numpy(table.column("n_chars")),
                                 _numpy(pc.fill_null(pc.cast(dates, pa.int64()), 0)), _numpy(pc.is_null(dates))).data)
            low.write(low_bytes(signature_rows(table.column("signature"), table.num_rows, config.num_perm)).data)
            start += table.num_rows
        if start != current:
            raise ValueError(f"{output}: the keys files hold {start} records, their units {current}")
        id_type = np.dtype(f"S{ID_HEX_DIGITS // 2}")
        ids.flush()
        released = load_released(previous_index, config, Keys(id_type, current, folder / "ids"), folder)
        anchors = len(released.absent_ids)
        ids.write(digest_bytes(released.absent_ids, ID_HEX_DIGITS).data)
        policy.write(_policy(np.zeros(anchors, dtype=bool), np.zeros(anchors, dtype=np.int64),
                             np.zeros(anchors, dtype=np.int64), np.ones(anchors, dtype=bool)).data)
        low.write(low_bytes(released.absent_signatures).data)
    rows = current + anchors
    all_ids = Keys(id_type, rows, folder / "ids")
    candidates = Candidates(
        ids=all_ids,
        text_keys=Keys(np.dtype(f"S{TEXT_KEY_DIGITS // 2}"), current, folder / "text-keys"),
        policy=mapped(folder / "policy", POLICY, rows),
        released=lambda at: _released(at, current, released, all_ids),
    )
    scratch = Scratch(folder, rows, config, unit_paths, band_keys(released.absent_signatures, config))
    return candidates, scratch, released


def _released(rows: np.ndarray, current: int, released: Released, ids: Keys) -> np.ndarray:
    """Anchors are released by definition; a current record is when the release published its id."""
    flags = rows >= current
    now = np.flatnonzero(~flags)
    if len(now) and released.ids.rows:
        flags[now] = released.contains(ids.take(rows[now]))
    return flags


def _policy(truncated: np.ndarray, n_chars: np.ndarray, published: np.ndarray, undated: np.ndarray) -> np.ndarray:
    rows = np.empty(len(truncated), dtype=POLICY)
    rows["is_truncated"], rows["n_chars"], rows["published"], rows["undated"] = truncated, n_chars, published, undated
    return rows


def _append(files: list[BinaryIO], block: np.ndarray) -> None:
    """Rows of band keys (rows × bands) onto the end of each band's file."""
    for band, file in enumerate(files):
        file.write(np.ascontiguousarray(block[:, band]).data)


def _numpy(values: pa.ChunkedArray | pa.Array) -> np.ndarray:
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    return values.to_numpy(zero_copy_only=False)
