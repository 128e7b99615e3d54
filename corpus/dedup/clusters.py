"""Duplicate clusters by union-find, and the representative each cluster keeps.

Representative policy, in order: an article already released (so released ids never disappear), then
not truncated, then the longer body, then the earlier publication date (unknown last), then the
smaller id — a total order, so the choice never depends on input order.
"""

from __future__ import annotations

from collections.abc import Iterable

from corpus.dedup.exact import Candidate


class UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: int, b: int) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[max(root_a, root_b)] = min(root_a, root_b)


def representative_rank(candidate: Candidate, released: frozenset[str] = frozenset()) -> tuple:
    """Lower is better (see the module docstring)."""
    has_date = candidate.published_at is not None
    timestamp = candidate.published_at.timestamp() if has_date else 0.0
    return (candidate.id not in released, candidate.is_truncated, -candidate.n_chars, not has_date, timestamp,
            candidate.id)


def cluster(
    candidates: list[Candidate], near_pairs: Iterable[tuple[int, int]], released: frozenset[str] = frozenset()
) -> list[int]:
    """For each candidate, the index of its cluster's representative (itself when unique). Records join
    when they share an article id or a normalized-text hash, or form a verified near-duplicate pair."""
    union = UnionFind(len(candidates))
    first_seen: dict[tuple[str, str], int] = {}
    for index, candidate in enumerate(candidates):
        for key in (("id", candidate.id), ("text", candidate.text_key)):
            if key in first_seen:
                union.union(first_seen[key], index)
            else:
                first_seen[key] = index
    for a, b in near_pairs:
        union.union(a, b)
    members: dict[int, list[int]] = {}
    for index in range(len(candidates)):
        members.setdefault(union.find(index), []).append(index)
    representative = [0] * len(candidates)
    for group in members.values():
        best = min(group, key=lambda i: representative_rank(candidates[i], released))
        for index in group:
            representative[index] = best
    return representative
