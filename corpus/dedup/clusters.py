"""Duplicate clusters as connected components, the representative each cluster keeps, and what happens to
each record.

Records join when they share an article id or a normalized-text key, or form a verified near-duplicate
pair; clusters are the connected components of that graph (SciPy, in C: no Python loop per record).
Ids and text keys are hex digests, held as their bytes (12 and 16 an article, `digest_bytes`) in scratch
files, and paired by equal value a key-range partition at a time (`corpus.dedup.partitions`). Only the
records of some pair enter the graph, so what clustering holds follows the duplicates, not the corpus.

Representative policy, in order: an article already released (so released ids never disappear), then
not truncated, then the longer body, then the earlier publication date (unknown last), then the
smaller id — a total order, so the choice never depends on input order. Only records in clusters of two
or more are ranked.

The decisions (`decide`) are held for the records in clusters of two or more only, as arrays (~60 bytes
a duplicate, no Python object per record); each unit's keep flags, cluster sizes and ledger notices are
made from them when that unit's decisions are written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from corpus.dedup.minhash import estimated_jaccard_low
from corpus.dedup.partitions import Keys, equal_key_pairs

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


POLICY = np.dtype([("is_truncated", "?"), ("n_chars", "<i8"), ("published", "<i8"), ("undated", "?")])


@dataclass
class Candidates:
    """What dedup knows of each record (no text): current records first, then the released anchors. Columns
    are in scratch files (`corpus.dedup.scratch`) or in memory (tests); the policy columns and ids are only
    ever read at the rows being ranked or reported."""

    ids: Keys  # fixed-width bytes of the id, every record
    text_keys: Keys  # fixed-width bytes of the normalized-text key, current records only
    policy: np.ndarray  # POLICY, every record (published: int64 seconds, 0 where unknown)
    released: Callable[[np.ndarray], np.ndarray]  # rows → bool: the record's id is in an earlier release

    def __len__(self) -> int:
        return self.ids.rows

    def rank_keys(self, rows: np.ndarray) -> list[np.ndarray]:
        """Sort keys of these records, most significant first, whose ascending order puts the preferred
        representative first."""
        id_rank = np.empty(len(rows), dtype=np.int64)
        id_rank[np.argsort(self.ids.take(rows), kind="stable")] = np.arange(len(rows))
        policy = self.policy[rows]
        return [~self.released(rows), policy["is_truncated"], -policy["n_chars"], policy["undated"],
                policy["published"], id_rank]


@dataclass(frozen=True)
class Clusters:
    """The records in clusters of two or more (ascending), with their cluster's representative; every other
    record is its own."""

    members: np.ndarray
    representative: np.ndarray


def cluster(candidates: Candidates, near_first: np.ndarray, near_second: np.ndarray) -> Clusters:
    """Connected components of the records joined by an equal id, an equal text key or a near pair. Only
    the records of some pair enter the graph, so its size follows the duplicates, not the corpus."""
    id_first, id_other = equal_key_pairs(candidates.ids)
    text_first, text_other = equal_key_pairs(candidates.text_keys)
    first = np.concatenate([id_first, text_first, np.asarray(near_first, dtype=np.int64)])
    second = np.concatenate([id_other, text_other, np.asarray(near_second, dtype=np.int64)])
    members = np.unique(np.concatenate([first, second]))
    if not len(members):
        return Clusters(members, members)
    edges = (np.searchsorted(members, first), np.searchsorted(members, second))
    graph = coo_matrix((np.ones(len(first), dtype=np.int8), edges), shape=(len(members), len(members)))
    del first, second, edges
    _, labels = connected_components(graph, directed=False)
    del graph
    order = np.lexsort([*reversed(candidates.rank_keys(members)), labels])  # last key: primary
    ranked_labels = labels[order]
    starts = np.r_[True, ranked_labels[1:] != ranked_labels[:-1]]
    best = members[order][starts]  # per cluster, in label order
    return Clusters(members, best[np.searchsorted(ranked_labels[starts], labels)])


SAME_ID, SAME_TEXT, NEAR = range(3)  # why a duplicate is one, in order of precedence


@dataclass(frozen=True)
class Decisions:
    """What happens to the current records, held for those in clusters of two or more: every other record
    is kept, in a cluster of one."""

    duplicates: np.ndarray  # the records removed, ascending…
    ids: np.ndarray  # …their ids (digest bytes)…
    best_ids: np.ndarray  # …their representatives' ids…
    why: np.ndarray  # …SAME_ID, SAME_TEXT or NEAR…
    similarity: np.ndarray  # …and estimated Jaccard with the representative
    grouped: np.ndarray  # the records in clusters of two or more, ascending…
    sizes: np.ndarray  # …and their clusters' sizes (in current records)
    clusters: int  # clusters of two or more current records

    def keep(self, start: int, rows: int) -> np.ndarray:
        """Kept or not, for records start…start+rows."""
        keep = np.ones(rows, dtype=bool)
        keep[self.removed_in(start, rows) - start] = False
        return keep

    def cluster_size(self, start: int, rows: int) -> np.ndarray:
        sizes = np.ones(rows, dtype=np.int64)
        at = self._within(self.grouped, start, rows)
        sizes[self.grouped[at] - start] = self.sizes[at]
        return sizes

    def removed_in(self, start: int, rows: int) -> np.ndarray:
        """The removed records among start…start+rows."""
        return self.duplicates[self._within(self.duplicates, start, rows)]

    def notices(self, start: int, rows: int, segment_ids: list[str]) -> list[dict[str, Any]]:
        """The ledger notices of the removed records among start…start+rows (`segment_ids`: theirs)."""
        at = self._within(self.duplicates, start, rows)
        notices = []
        for segment, id_, best_id, why, jaccard in zip(
            segment_ids, digest_hex(self.ids[at]), digest_hex(self.best_ids[at]), self.why[at].tolist(),
            self.similarity[at].tolist(), strict=True,
        ):
            if why == SAME_ID:
                reason = "exact: same article id"
            elif why == SAME_TEXT:
                reason = "exact: same normalized text"
            else:
                reason = f"near-duplicate: estimated Jaccard {jaccard:.2f} with {best_id}"
            notices.append({"segment_id": segment, "article_id": id_, "fate": f"duplicate_of:{best_id}",
                            "reasons": [reason]})
        return notices

    @staticmethod
    def _within(rows: np.ndarray, start: int, count: int) -> slice:
        """Where an ascending array's values in start…start+count are."""
        return slice(int(np.searchsorted(rows, start)), int(np.searchsorted(rows, start + count)))


def decide(candidates: Candidates, low: np.ndarray, current: int, clusters: Clusters) -> Decisions:
    """Each current record in a cluster of two or more: removed unless it is the representative, and why."""
    now = clusters.members < current
    grouped, representative = clusters.members[now], clusters.representative[now]
    _, cluster_of, counts = np.unique(representative, return_inverse=True, return_counts=True)
    removed = grouped != representative
    duplicates, best = grouped[removed], representative[removed]
    ids, best_ids = candidates.ids.take(duplicates), candidates.ids.take(best)
    same_text = np.zeros(len(duplicates), dtype=bool)
    texted = best < current  # released anchors have no text key
    same_text[texted] = candidates.text_keys.take(duplicates[texted]) == candidates.text_keys.take(best[texted])
    why = np.where(ids == best_ids, SAME_ID, np.where(same_text, SAME_TEXT, NEAR)).astype(np.uint8)
    return Decisions(duplicates, ids, best_ids, why, estimated_jaccard_low(low, duplicates, best), grouped,
                     counts[cluster_of].astype(np.int64), int(np.count_nonzero(counts > 1)))
