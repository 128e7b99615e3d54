"""Exact duplicates: the same text once case and whitespace are ignored, or the same article id.

Normalization for the key: the cleaned text (already NFC, masked, boilerplate-free) is case-folded and
every whitespace character is removed, so re-wrapped or re-spaced copies collide.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

_WHITESPACE = re.compile(r"\s+")


def exact_key(text: str) -> str:
    return hashlib.sha256(_WHITESPACE.sub("", text.casefold()).encode("utf-8")).hexdigest()


class Candidate(NamedTuple):
    id: str
    text_key: str
    is_truncated: bool
    n_chars: int
    published_at: datetime | None


def representative_rank(candidate: Candidate) -> tuple:
    """Lower is better: not truncated > longer body > earlier date (unknown last) > smaller id."""
    has_date = candidate.published_at is not None
    timestamp = candidate.published_at.timestamp() if has_date else 0.0
    return (candidate.is_truncated, -candidate.n_chars, not has_date, timestamp, candidate.id)


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


def exact_clusters(candidates: Sequence[Candidate]) -> list[int]:
    """For each candidate, the index of its cluster's representative (itself when unique)."""
    union = UnionFind(len(candidates))
    first_seen: dict[tuple[str, str], int] = {}
    for index, candidate in enumerate(candidates):
        for key in (("id", candidate.id), ("text", candidate.text_key)):
            if key in first_seen:
                union.union(first_seen[key], index)
            else:
                first_seen[key] = index
    members: dict[int, list[int]] = {}
    for index in range(len(candidates)):
        members.setdefault(union.find(index), []).append(index)
    representative = [0] * len(candidates)
    for group in members.values():
        best = min(group, key=lambda i: representative_rank(candidates[i]))
        for index in group:
            representative[index] = best
    return representative
