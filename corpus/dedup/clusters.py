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

    ids: pa.Array  # string
    text_keys: pa.Array  # string: hash of the normalized text
    is_truncated: np.ndarray  # bool
    n_chars: np.ndarray  # int64
    published: pa.Array  # timestamp, nulls for unknown dates
    released: np.ndarray  # bool: the id is in an earlier release

    def __len__(self) -> int:
        return len(self.ids)

    def rank_table(self) -> pa.Table:
        """Columns whose ascending sort puts the preferred representative first."""
        return pa.table({
            "not_released": ~self.released,
            "truncated": self.is_truncated,
            "shorter": -self.n_chars,
            "undated": pc.is_null(self.published),
            "published": pc.fill_null(pc.cast(self.published, pa.int64()), 0),
            "id": self.ids,
        })


def equal_value_pairs(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(first, other) index pairs linking every repeat of a value to its first occurrence."""
    codes = pc.dictionary_encode(values).indices.to_numpy(zero_copy_only=False)
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
    ranked = candidates.rank_table().append_column("label", pa.array(labels))
    order = pc.sort_indices(ranked, sort_keys=[("label", "ascending")] + [
        (name, "ascending") for name in ranked.column_names if name != "label"
    ]).to_numpy()
    _, first_in_order = np.unique(labels[order], return_index=True)  # labels are 0…L-1, each present
    return order[first_in_order][labels].astype(np.int64)
