"""Near-duplicates: MinHash over character n-grams, LSH banding, candidate verification.

Korean needs no word segmenter for this: character 5-grams of the cleaned text (whitespace folded)
capture reprinted wire copy well. Shingles are hashed for a whole batch at once with NumPy (a
polynomial rolling hash over code points), and signatures come from rensa (Rust MinHash) fed those
token hashes. LSH splits each signature into `bands` × `rows`; documents sharing a band bucket are
candidates, and a candidate pair is kept only if its signatures agree on at least `jaccard` of their
positions (the MinHash estimate of Jaccard similarity). Permissive banding gives recall; verification
gives precision.

Verification reads only the lowest 8 bits of each MinHash value (b-bit minwise hashing, Li & König
2010): 128 bytes per article instead of 512, so a million articles verify in 128 MB. Two unequal values
agree on their low byte with probability 1/256, which the estimate corrects for:
J = (agreement − 1/256) / (1 − 1/256).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import rensa

_MIX = np.uint64(0x9E3779B97F4A7C15)  # 2^64 / golden ratio, for the rolling hash and band keys
_CHANCE = 1 / 256  # two unequal MinHash values agree on their lowest byte by chance


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
    # Cleaned text separates paragraphs with one blank line and has no other layout; isprintable() is false
    # for every whitespace character but the plain space, so this fast path is exact when it applies.
    flat = text.replace("\n\n", " ")
    if flat.isprintable() and "  " not in flat and flat[:1] != " " and flat[-1:] != " ":
        return flat
    return " ".join(text.split())


def shingle_hashes(folded_texts: Sequence[str], k: int) -> tuple[np.ndarray, np.ndarray]:
    """Flat uint64 hashes of every character k-gram of every (folded) text, and row offsets; computed
    for the whole batch at once over the concatenated code points."""
    texts = [text.ljust(k) for text in folded_texts]  # a text shorter than one shingle is one shingle
    lengths = np.fromiter((len(text) for text in texts), dtype=np.int64, count=len(texts))
    points = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    count = len(points) - k + 1
    windows = points[:count].copy()
    with np.errstate(over="ignore"):
        for j in range(1, k):
            np.multiply(windows, _MIX, out=windows)
            np.add(windows, points[j : j + count], out=windows)
    # Windows starting in the last k-1 characters of a text run into the next text: not shingles.
    ends = np.cumsum(lengths)
    crossing = (ends[:, None] - np.arange(1, k)[None, :]).ravel()
    valid = np.ones(count, dtype=bool)
    valid[crossing[crossing < count]] = False
    offsets = np.concatenate([[0], np.cumsum(lengths - k + 1)]).astype(np.uint64)
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
    keys = np.zeros((n, config.bands), dtype=np.uint64)
    bands = signatures_.reshape(n, config.bands, config.rows)
    with np.errstate(over="ignore"):
        for row in range(config.rows):
            keys = keys * _MIX + bands[:, :, row].astype(np.uint64) + np.uint64(row + 1)
    return keys


def low_bytes(signatures_: np.ndarray) -> np.ndarray:
    """The lowest byte of every MinHash value: what verification compares."""
    return (signatures_ & 0xFF).astype(np.uint8)


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """From two full signatures."""
    return float(np.count_nonzero(a == b)) / len(a)


PAIRS_PER_STEP = 65_536  # pairs compared at once: ~25 MB of gathered rows


def estimated_jaccard_low(low: np.ndarray, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Jaccard estimates for row pairs (first[i], second[i]) of a low-byte signature matrix."""
    agreement = np.empty(len(first))
    for start in range(0, len(first), PAIRS_PER_STEP):
        rows = slice(start, start + PAIRS_PER_STEP)
        agreement[rows] = _equal_bytes(low[first[rows]], low[second[rows]]) / low.shape[1]
    return np.clip((agreement - _CHANCE) / (1 - _CHANCE), 0.0, 1.0)


_BYTE_ONES = np.uint64(0x0101010101010101)


def _equal_bytes(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per row, how many positions two uint8 matrices agree on. The 0/1 bytes of the comparison are summed
    eight at a time: multiplying a word by 0x0101010101010101 adds all its bytes into the top one."""
    equal = a == b
    words = equal.shape[1] // 8 * 8
    counts = np.count_nonzero(equal[:, words:], axis=1).astype(np.int64)
    if words:
        packed = np.ascontiguousarray(equal[:, :words]).view(np.uint64)
        packed *= _BYTE_ONES
        packed >>= np.uint64(56)
        counts += packed.sum(axis=1, dtype=np.int64)
    return counts


BUCKET_ROWS = 65_536  # sorted records whose candidate pairs are formed at once (whole buckets)


def bucket_pairs(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i, j), i < j, that share a bucket of one band. Within a bucket each member is paired with
    the bucket's first member and with its predecessor, which suffices to connect them all."""
    chunks = list(bucket_pair_chunks(keys))
    if not chunks:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    return np.concatenate([c[0] for c in chunks]), np.concatenate([c[1] for c in chunks])


def bucket_pair_chunks(keys: np.ndarray, order: np.ndarray | None = None,
                       step: int = BUCKET_ROWS) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """`bucket_pairs` a run of whole buckets at a time (about `step` records), so that the pair arrays of
    a band in which most records share a bucket are never all in memory at once."""
    order = np.argsort(keys, kind="stable") if order is None else order  # stable: a bucket keeps index order
    ordered = keys[order]
    start = 0
    while start < len(order):
        stop = min(start + step, len(order))
        if stop < len(order):  # run on to the end of the bucket the cut falls in
            stop = int(np.searchsorted(ordered, ordered[stop - 1], side="right"))
        yield _pairs_of_buckets(ordered[start:stop], order[start:stop])
        start = stop


def _pairs_of_buckets(ordered: np.ndarray, order: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    same_as_previous = np.r_[False, ordered[1:] == ordered[:-1]]
    members = np.flatnonzero(same_as_previous)  # positions (in `order`) of every non-first member
    if not len(members):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    starts = np.flatnonzero(~same_as_previous)  # positions of every bucket's first member
    bucket_start = starts[np.searchsorted(starts, members, side="right") - 1]  # of each non-first member
    first = order[bucket_start]
    previous = order[members - 1]
    second = order[members]
    not_first = members - 1 != bucket_start  # predecessor pairs that are not the first pair again
    return np.r_[first, previous[not_first]].astype(np.int64), np.r_[second, second[not_first]].astype(np.int64)


def verified_pairs(
    band_columns: Iterable[np.ndarray], low: np.ndarray, config: MinHashConfig
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidates of every band (one band's keys at a time), verified: (first, second, estimated Jaccard),
    each pair once, first < second."""
    found: list[np.ndarray] = []
    for keys in band_columns:
        first, second = bucket_pairs(keys)
        similarity = estimated_jaccard_low(low, first, second)
        keep = similarity >= config.jaccard
        found.append(np.stack([first[keep], second[keep]], axis=1))
    pairs = np.unique(np.concatenate(found), axis=0) if found else np.zeros((0, 2), dtype=np.int64)
    return pairs[:, 0], pairs[:, 1], estimated_jaccard_low(low, pairs[:, 0], pairs[:, 1])


def near_duplicate_pairs(signatures_: np.ndarray, config: MinHashConfig) -> dict[tuple[int, int], float]:
    """Verified pairs → estimated Jaccard similarity, for a signature matrix held in memory."""
    keys = band_keys(signatures_, config)
    first, second, similarity = verified_pairs(keys.T, low_bytes(signatures_), config)
    return {(int(a), int(b)): float(s) for a, b, s in zip(first, second, similarity, strict=True)}
