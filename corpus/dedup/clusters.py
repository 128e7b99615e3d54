"""Duplicate clusters as connected components, and the representative each cluster keeps.

Records join when they share an article id or a normalized-text key, or form a verified near-duplicate
pair; clusters are the connected components of that graph (SciPy, in C: no Python loop per record).

Representative policy, in order: an article already released (so released ids never disappear), then
not truncated, then the longer body, then the earlier publication date (unknown last), then the
smaller id — a total order, so the choice never depends on input order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components


@dataclass
class Candidates:
    """What dedup knows of each record, column by column (no text)."""

    ids: pa.Array | pa.ChunkedArray  # string
    text_keys: pa.Array | pa.ChunkedArray  # string: hash of the normalized text
    is_truncated: np.ndarray  # bool
    n_chars: np.ndarray  # int64
    published: pa.Array | pa.ChunkedArray  # timestamp, nulls for unknown dates
    released: np.ndarray  # bool: the id is in an earlier release

    def __len__(self) -> int:
        return len(self.ids)

    def rank_keys(self) -> list[np.ndarray]:
        """Sort keys, most significant first, whose ascending order puts the preferred representative first."""
        id_order = pc.sort_indices(self.ids).to_numpy()
        id_rank = np.empty(len(id_order), dtype=np.int64)
        id_rank[id_order] = np.arange(len(id_order))
        published = pc.fill_null(pc.cast(self.published, pa.int64()), 0)
        return [~self.released, self.is_truncated, -self.n_chars,
                _as_numpy(pc.is_null(self.published)), _as_numpy(published), id_rank]


def _as_numpy(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    if isinstance(values, pa.ChunkedArray):
        return values.to_numpy() if len(values) else np.zeros(0, dtype=np.int64)
    return values.to_numpy(zero_copy_only=False)


def equal_value_pairs(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(first, other) index pairs linking every repeat of a value to its first occurrence."""
    encoded = pc.dictionary_encode(values)  # one dictionary for every chunk
    chunks = encoded.chunks if isinstance(encoded, pa.ChunkedArray) else [encoded]
    codes = np.concatenate([chunk.indices.to_numpy() for chunk in chunks]) if chunks else np.zeros(0, np.int64)
    _, first_of_code = np.unique(codes, return_index=True)  # codes are 0…k-1, each present
    first = first_of_code[codes].astype(np.int64)
    positions = np.arange(len(codes), dtype=np.int64)
    repeat = first != positions
    return first[repeat], positions[repeat]


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
    _, labels = connected_components(graph, directed=False)
    order = np.lexsort([*reversed(candidates.rank_keys()), labels])  # lexsort: the last key is the primary
    _, first_in_order = np.unique(labels[order], return_index=True)  # labels are 0…L-1, each present
    return order[first_in_order][labels].astype(np.int64)
