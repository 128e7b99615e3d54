"""Key columns read back in key-range partitions, so that sorting them never holds more than a partition.

Dedup groups records by equal keys: article ids and text keys (digest bytes) for exact duplicates, each
LSH band's bucket keys (uint64) for near-duplicate candidates. Equal keys share their leading bits, so
cutting the key space into ranges of its first 16 bits puts every group wholly inside one partition; and
a partition's records, read in record order and sorted stably, come out exactly as the same records do
in a sort of the whole column. Concatenated in range order, the partitions' results are the whole
column's, for any partition count (tests compare).

A column lives in a scratch file, read a chunk at a time (`np.fromfile`, so nothing stays mapped), or in
memory (tests; the few keys of new units). Up to PARTITION_ROWS records it is one partition, read whole.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

PARTITION_ROWS = 1 << 20  # records a partition holds on average: what one sort has in memory
CHUNK_ROWS = 1 << 18  # records read from a scratch file at once while picking a partition's
PREFIXES = 1 << 16  # partitions are ranges of a key's first 16 bits


def partition_count(rows: int) -> int:
    return min(PREFIXES, max(1, math.ceil(rows / PARTITION_ROWS)))


def key_prefix(values: np.ndarray) -> np.ndarray:
    """A key's first 16 bits: the top of a uint64, the first two bytes of fixed-width bytes."""
    if values.dtype == np.uint64:
        return (values >> np.uint64(48)).astype(np.int64)
    raw = values.view(np.uint8).reshape(len(values), values.dtype.itemsize)
    return raw[:, 0].astype(np.int64) << 8 | raw[:, 1]


@dataclass(frozen=True)
class Keys:
    """One fixed-width key a record: digest bytes ('S<n>', n >= 2) or uint64; in `path` or in `values`."""

    dtype: np.dtype
    rows: int
    path: Path | None = None
    values: np.ndarray | None = None

    @classmethod
    def of(cls, values: np.ndarray) -> Keys:
        return cls(values.dtype, len(values), values=values)

    def chunk(self, start: int, stop: int) -> np.ndarray:
        if self.values is not None:
            return self.values[start:stop]
        assert self.path is not None
        count = stop - start
        return np.fromfile(self.path, dtype=self.dtype, count=count, offset=start * self.dtype.itemsize)

    def array(self) -> np.ndarray:
        return self.chunk(0, self.rows)

    def take(self, rows: np.ndarray) -> np.ndarray:
        """The keys of these records (a file is mapped for the gather only)."""
        if self.values is not None:
            return self.values[rows]
        return mapped(self.path, self.dtype, self.rows)[rows]

    def partitions(self, count: int | None = None) -> Iterator[tuple[np.ndarray, np.ndarray | None]]:
        """(keys, record positions) of each of `count` partitions (by default: for this column's rows) in
        key-range order, positions ascending; one partition comes whole, with None for positions (0…rows-1)."""
        count = partition_count(self.rows) if count is None else count
        if count == 1:
            yield self.array(), None
            return
        for part in range(count):
            low, high = part * PREFIXES // count, (part + 1) * PREFIXES // count
            values, positions = [], []
            for start in range(0, self.rows, CHUNK_ROWS):
                chunk = self.chunk(start, min(start + CHUNK_ROWS, self.rows))
                prefix = key_prefix(chunk)
                inside = np.flatnonzero((prefix >= low) & (prefix < high))
                values.append(chunk[inside])
                positions.append(inside + start)
            yield np.concatenate(values), np.concatenate(positions)


def mapped(path: Path | None, dtype: np.dtype, rows: int) -> np.ndarray:
    """A scratch file of `rows` values, memory-mapped read-only (an empty array for none). A subarray dtype
    gives rows × its width."""
    if not rows or path is None:
        return np.zeros(0, dtype=dtype)
    return np.memmap(path, dtype=dtype, mode="r", shape=(rows,))


def absent_positions(keys: Keys, among: Keys) -> np.ndarray:
    """Positions (ascending) of the keys that are not among the other column's, a partition at a time."""
    count = partition_count(max(keys.rows, among.rows))
    found = [np.zeros(0, dtype=np.int64)]
    for (values, positions), (others, _) in zip(keys.partitions(count), among.partitions(count), strict=True):
        missing = np.flatnonzero(~np.isin(values, others))
        found.append(missing if positions is None else positions[missing])
    return np.sort(np.concatenate(found))


def equal_value_pairs(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(first, other) index pairs linking every repeat of a value to its first occurrence."""
    if not len(values):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    order = np.argsort(values, kind="stable")  # equal values stay in index order
    ordered = values[order]
    repeat = np.r_[False, ordered[1:] == ordered[:-1]]
    del ordered
    starts = np.flatnonzero(~repeat)
    group = np.cumsum(~repeat) - 1
    first = order[starts[group]]
    return first[repeat].astype(np.int64), order[repeat].astype(np.int64)


def equal_key_pairs(keys: Keys) -> tuple[np.ndarray, np.ndarray]:
    """`equal_value_pairs` of the whole column (record positions), a partition at a time."""
    firsts, others = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for values, positions in keys.partitions():
        first, other = equal_value_pairs(values)
        firsts.append(first if positions is None else positions[first])
        others.append(other if positions is None else positions[other])
    return np.concatenate(firsts), np.concatenate(others)
