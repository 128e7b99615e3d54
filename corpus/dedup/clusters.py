"""Duplicate clusters as connected components, and the representative each cluster keeps.

Records join when they share an article id or a normalized-text key, or form a verified near-duplicate
pair; clusters are the connected components of that graph (SciPy, in C: no Python loop per record).
Ids and text keys are hex digests, held as their bytes (12 and 16 an article, `digest_bytes`), so the
corpus-wide step holds a few dozen bytes an article for them rather than Python or Arrow strings.

Representative policy, in order: an article already released (so released ids never disappear), then
not truncated, then the longer body, then the earlier publication date (unknown last), then the
smaller id — a total order, so the choice never depends on input order. Only records in clusters of two
or more are ranked.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

_NIBBLE = np.full(256, 255, dtype=np.uint8)
_NIBBLE[np.frombuffer(b"0123456789", np.uint8)] = np.arange(10)
_NIBBLE[np.frombuffer(b"abcdef", np.uint8)] = np.arange(10, 16)


def digest_bytes(values: pa.Array | pa.ChunkedArray, digits: int) -> np.ndarray:
    """Lowercase hex strings of `digits` digits → their bytes, as a fixed-width numpy array ('S<digits/2>');
    anything else is an error (keys files hold only validated ids and sha256 text keys)."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    try:
        fixed = values.cast(pa.binary(digits))
    except pa.ArrowInvalid as error:
        raise ValueError(f"expected {digits} hex digits: {error}") from None
    raw = np.frombuffer(fixed.buffers()[1], np.uint8)[fixed.offset * digits : (fixed.offset + len(fixed)) * digits]
    nibbles = _NIBBLE[raw].reshape(len(fixed), digits)
    bad = (nibbles == 255).any(axis=1)
    if bad.any():
        raise ValueError(f"expected {digits} lowercase hex digits, got {values[int(np.argmax(bad))]}")
    packed = (nibbles[:, 0::2] << 4) | nibbles[:, 1::2]
    return np.ascontiguousarray(packed).view(f"S{digits // 2}").reshape(len(fixed))


def digest_hex(values: np.ndarray) -> list[str]:
    """`digest_bytes` back to hex strings (the raw bytes: numpy's bytes scalars drop trailing zeros)."""
    width = values.dtype.itemsize
    return [row.tobytes().hex() for row in np.ascontiguousarray(values).view(np.uint8).reshape(-1, width)]


@dataclass
class Candidates:
    """What dedup knows of each record, column by column (no text). Current records first, then the
    released anchors, which have no text key."""

    ids: np.ndarray  # fixed-width bytes of the id
    text_keys: np.ndarray  # fixed-width bytes of the normalized-text key, current records only
    is_truncated: np.ndarray  # bool
    n_chars: np.ndarray  # int64
    published: np.ndarray  # int64 seconds; 0 where unknown
    undated: np.ndarray  # bool
    released: np.ndarray  # bool: the id is in an earlier release

    def __len__(self) -> int:
        return len(self.ids)

    def rank_keys(self, rows: np.ndarray) -> list[np.ndarray]:
        """Sort keys of these records, most significant first, whose ascending order puts the preferred
        representative first."""
        id_rank = np.empty(len(rows), dtype=np.int64)
        id_rank[np.argsort(self.ids[rows], kind="stable")] = np.arange(len(rows))
        return [~self.released[rows], self.is_truncated[rows], -self.n_chars[rows], self.undated[rows],
                self.published[rows], id_rank]


def equal_value_pairs(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(first, other) index pairs linking every repeat of a value to its first occurrence."""
    order = np.argsort(values, kind="stable")  # equal values stay in index order
    ordered = values[order]
    repeat = np.r_[False, ordered[1:] == ordered[:-1]]
    del ordered
    starts = np.flatnonzero(~repeat)
    group = np.cumsum(~repeat) - 1
    first = order[starts[group]]
    return first[repeat].astype(np.int64), order[repeat].astype(np.int64)


def cluster(candidates: Candidates, near_first: np.ndarray, near_second: np.ndarray) -> np.ndarray:
    """For each candidate, the index of its cluster's representative (itself when unique)."""
    n = len(candidates)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    id_first, id_other = equal_value_pairs(candidates.ids)
    text_first, text_other = equal_value_pairs(candidates.text_keys)
    rows = np.concatenate([id_first, text_first, np.asarray(near_first, dtype=np.int64)])
    columns = np.concatenate([id_other, text_other, np.asarray(near_second, dtype=np.int64)])
    graph = coo_matrix((np.ones(len(rows), dtype=np.int8), (rows, columns)), shape=(n, n))
    del rows, columns
    _, labels = connected_components(graph, directed=False)
    del graph
    representative = np.arange(n, dtype=np.int64)
    shared = np.flatnonzero(np.bincount(labels)[labels] > 1)  # records in clusters of two or more
    if len(shared):
        order = np.lexsort([*reversed(candidates.rank_keys(shared)), labels[shared]])  # last key: primary
        ranked_labels = labels[shared][order]
        starts = np.r_[True, ranked_labels[1:] != ranked_labels[:-1]]
        best = shared[order][starts]  # per cluster, in label order
        representative[shared] = best[np.searchsorted(ranked_labels[starts], labels[shared])]
    return representative
