"""Near-duplicates: MinHash over character n-grams, LSH banding, candidate verification.

Korean needs no word segmenter for this: character 5-grams of the cleaned text (whitespace folded)
capture reprinted wire copy well. Shingles are hashed for a whole batch at once with NumPy (a
polynomial rolling hash over code points), and signatures come from rensa (Rust MinHash) fed those
token hashes. LSH splits each signature into `bands` × `rows`; documents sharing a band bucket are
candidates, and a candidate pair is kept only if its signatures agree on at least `jaccard` of their
positions (the MinHash estimate of Jaccard similarity). Permissive banding gives recall; verification
gives precision.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import rensa

_MIX = np.uint64(0x9E3779B97F4A7C15)  # 2^64 / golden ratio, for the rolling hash and band keys


@dataclass(frozen=True)
class MinHashConfig:
    shingle: int = 5
    bands: int = 32
    rows: int = 4
    jaccard: float = 0.7  # verification threshold on the estimated Jaccard similarity
    seed: int = 1729

    @property
    def num_perm(self) -> int:
        return self.bands * self.rows

    @property
    def lsh_threshold(self) -> float:
        """Similarity at which a pair becomes a candidate with probability ~1/2: (1/b)^(1/r)."""
        return (1 / self.bands) ** (1 / self.rows)

    def candidate_probability(self, jaccard: float) -> float:
        return 1 - (1 - jaccard**self.rows) ** self.bands


def fold(text: str) -> str:
    """Whitespace runs → one space, ends stripped: the text MinHash and the exact key see."""
    return " ".join(text.split())


def shingle_hashes(folded_texts: Sequence[str], k: int) -> tuple[np.ndarray, np.ndarray]:
    """Flat uint64 hashes of every character k-gram of every (folded) text, and row offsets; computed
    for the whole batch at once over the concatenated code points."""
    texts = [text.ljust(k) for text in folded_texts]  # a text shorter than one shingle is one shingle
    lengths = np.fromiter((len(text) for text in texts), dtype=np.int64, count=len(texts))
    points = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    windows = np.zeros(len(points) - k + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            windows = windows * _MIX + points[j : len(points) - k + 1 + j]
    ends = np.cumsum(lengths)
    starts = ends - lengths
    counts = lengths - k + 1
    valid = np.concatenate([np.arange(start, start + count) for start, count in zip(starts, counts, strict=True)])
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.uint64)
    return windows[valid], offsets


def signatures(texts: Sequence[str], config: MinHashConfig, folded: bool = False) -> np.ndarray:
    """One row of `num_perm` uint32 MinHash values per text."""
    if not texts:
        return np.zeros((0, config.num_perm), dtype=np.uint32)
    flat, offsets = shingle_hashes(texts if folded else [fold(text) for text in texts], config.shingle)
    matrix = rensa.RMinHash.digest_matrix_from_flat_token_hashes(flat, offsets, config.num_perm, config.seed)
    return np.asarray(matrix.to_rows(), dtype=np.uint32)


def band_keys(signatures_: np.ndarray, config: MinHashConfig) -> np.ndarray:
    """uint64 bucket key per (document, band): shape (n, bands)."""
    n = signatures_.shape[0]
    bands = signatures_.reshape(n, config.bands, config.rows).astype(np.uint64)
    keys = np.zeros((n, config.bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for row in range(config.rows):
            keys = keys * _MIX + bands[:, :, row] + np.uint64(row + 1)
    return keys


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.count_nonzero(a == b)) / len(a)


def candidate_pairs(keys: np.ndarray) -> Iterator[tuple[int, int]]:
    """Pairs (i, j), i < j, that share a bucket in some band. Within a bucket each member is paired with
    the bucket's first member and with its predecessor, which with union-find suffices to join them."""
    for band in range(keys.shape[1]):
        column = keys[:, band]
        order = np.argsort(column, kind="stable")
        sorted_keys = column[order]
        starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
        ends = np.r_[starts[1:], len(sorted_keys)]
        for start, end in zip(starts, ends, strict=True):
            if end - start < 2:
                continue
            members = np.sort(order[start:end])
            first = int(members[0])
            for position in range(1, len(members)):
                yield first, int(members[position])
                if position > 1:
                    yield int(members[position - 1]), int(members[position])


def near_duplicate_pairs(signatures_: np.ndarray, config: MinHashConfig) -> dict[tuple[int, int], float]:
    """Verified pairs → estimated Jaccard similarity."""
    verified: dict[tuple[int, int], float] = {}
    seen: set[tuple[int, int]] = set()
    for pair in candidate_pairs(band_keys(signatures_, config)):
        if pair in seen:
            continue
        seen.add(pair)
        similarity = estimated_jaccard(signatures_[pair[0]], signatures_[pair[1]])
        if similarity >= config.jaccard:
            verified[pair] = similarity
    return verified
