"""Benchmark items as hashed n-grams, and the articles that hold one.

Text is normalized to what survives re-spacing and re-punctuation: letters and digits only (str.isalnum),
Latin lower-cased. The unit is a character of that (`char`: spaces gone too, so `불편함 없이` and
`불편함없이` are the same) or an eojeol (`eojeol`: the space-separated words, punctuation stripped).
N-grams are hashed to uint64 for a whole batch at once (a polynomial hash from prefix sums: four passes,
whatever n). The index is the sorted (hash, item) pairs of every item's distinct n-grams; an article's
n-grams are first looked up in a table of slots of the index's hashes (64 per n-gram, up to 2^24), so
only the few that may match are searched for.

An article holds an item when it has at least `min_overlap` of the item's distinct n-grams; its hit is
the item it overlaps most (ties: the earlier item). Items with fewer units than n are not indexed.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Literal

import numpy as np

Unit = Literal["char", "eojeol"]
_MAX_SLOTS = 1 << 24  # the look-up table: 64 slots an n-gram (~1.5% set), at most 16 MB
_N_CODES = 0x110000
_SPACE = 0x20


@cache
def _fold_table() -> np.ndarray:
    """Per code point: its folded value if it is kept (a letter or digit; Latin lower-cased), else 0; for
    eojeols whitespace folds to a space (its own table, below)."""
    table = np.fromiter((c if chr(c).isalnum() else 0 for c in range(_N_CODES)), dtype=np.uint32, count=_N_CODES)
    table[0xD800:0xE000] = 0
    table[0x41:0x5B] += 0x20
    return table


@cache
def _word_table() -> np.ndarray:
    table = _fold_table().copy()
    table[[c for c in range(0x3001) if chr(c).isspace()] + [0x3000]] = _SPACE
    return table


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def normalized_points(text: str, unit: Unit) -> np.ndarray:
    """The text's kept code points, folded; for eojeols, with spaces between the words."""
    points = (_fold_table() if unit == "char" else _word_table())[_code_points(text)]
    return points[points != 0]


def _eojeol_hashes(points: np.ndarray) -> np.ndarray:
    words = points.tobytes().decode("utf-32-le").split()
    return np.array([zlib.crc32(w.encode()) << 32 | zlib.crc32(w[::-1].encode()) for w in words], dtype=np.uint64)


def _units(texts: Sequence[str], unit: Unit) -> tuple[np.ndarray, np.ndarray]:
    """Every text's units (folded code points, or word hashes) concatenated, and each text's count."""
    if unit == "eojeol":
        pieces = [_eojeol_hashes(normalized_points(text, unit)) for text in texts]
        values = np.concatenate(pieces) if pieces else np.zeros(0, np.uint64)
        return values, np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
    points = _fold_table()[_code_points("".join(texts))]  # the whole batch in one pass
    kept = points != 0
    counted = np.concatenate([[0], np.cumsum(kept, dtype=np.int64)])
    ends = np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)))
    return points[kept].astype(np.uint64), np.diff(counted[np.concatenate([[0], ends])])


_BASE = 0x9E3779B97F4A7C15  # odd, so invertible modulo 2^64
_powers = [np.ones(1, np.uint64), np.ones(1, np.uint64)]  # base^i and base^-i mod 2^64, grown as needed


def _power_tables(size: int) -> tuple[np.ndarray, np.ndarray]:
    if len(_powers[0]) < size:
        grown = max(size, 2 * len(_powers[0]))
        for i, base in enumerate((_BASE, pow(_BASE, -1, 1 << 64))):
            steps = np.full(grown, base, dtype=np.uint64)
            steps[0] = 1
            _powers[i] = np.cumprod(steps, dtype=np.uint64)  # wraps modulo 2^64
    return _powers[0][:size], _powers[1][:size]


def ngram_hashes(texts: Sequence[str], unit: Unit, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Flat uint64 hashes of every n-gram of every text, and each text's offset into them: a polynomial hash
    from prefix sums (four passes over the batch, whatever n), sum of unit[i+k]·base^k modulo 2^64."""
    values, lengths = _units(texts, unit)
    count = max(len(values) - n + 1, 0)
    forward, backward = _power_tables(len(values))
    with np.errstate(over="ignore"):
        prefix = np.concatenate([np.zeros(1, np.uint64), np.cumsum(values * forward, dtype=np.uint64)])
        windows = (prefix[n : n + count] - prefix[:count]) * backward[:count]
    # windows that start in the last n-1 units of a text run into the next: not n-grams of it
    ends = np.cumsum(lengths)
    crossing = (ends[:, None] - np.arange(1, n)[None, :]).ravel()
    valid = np.ones(count, dtype=bool)
    valid[crossing[(crossing >= 0) & (crossing < count)]] = False
    offsets = np.concatenate([[0], np.cumsum(np.maximum(lengths - n + 1, 0))]).astype(np.uint64)
    return windows[valid], offsets


@dataclass(frozen=True)
class NgramIndex:
    """The distinct n-grams of every indexed item: `hashes` sorted, `items[i]` the item `hashes[i]` is of;
    `item_ngrams[j]` how many distinct n-grams item j has (0: too short, not indexed)."""

    hashes: np.ndarray
    items: np.ndarray
    item_ngrams: np.ndarray

    @classmethod
    def build(cls, texts: Sequence[str], unit: Unit, n: int) -> NgramIndex:
        flat, offsets = ngram_hashes(texts, unit, n)
        counts = np.diff(offsets).astype(np.int64)
        items = np.repeat(np.arange(len(texts), dtype=np.int32), counts)
        order = np.lexsort((items, flat))
        flat, items = flat[order], items[order]
        distinct = np.r_[True, (flat[1:] != flat[:-1]) | (items[1:] != items[:-1])] if len(flat) else np.zeros(0, bool)
        flat, items = flat[distinct], items[distinct]
        item_ngrams = np.bincount(items, minlength=len(texts)).astype(np.int64)
        return cls(flat, items, item_ngrams)

    @cached_property
    def table(self) -> np.ndarray:
        """Whether any indexed n-gram falls in each slot (its hash's low bits)."""
        table = np.zeros(self.slots, dtype=bool)
        table[(self.hashes & np.uint64(self.slots - 1)).astype(np.int64)] = True
        return table

    @property
    def slots(self) -> int:
        return min(_MAX_SLOTS, 1 << max(16, (64 * len(self.hashes)).bit_length()))


@dataclass(frozen=True)
class Hits:
    """Per text of a batch: the item it holds most (-1: none), how many of its n-grams, and that share."""

    item: np.ndarray
    matched: np.ndarray
    overlap: np.ndarray


def find_hits(texts: Sequence[str], index: NgramIndex, unit: Unit, n: int, min_overlap: float) -> Hits:
    """Which item each text holds (at least `min_overlap` of the item's n-grams), vectorized over the batch."""
    size = len(texts)
    hits = Hits(np.full(size, -1, np.int32), np.zeros(size, np.int64), np.zeros(size, np.float64))
    if not size or not len(index.hashes):
        return hits
    flat, offsets = ngram_hashes(texts, unit, n)
    maybe = np.flatnonzero(index.table[(flat & np.uint64(index.slots - 1)).astype(np.int64)])
    found = flat[maybe]
    low = np.searchsorted(index.hashes, found, "left")
    high = np.searchsorted(index.hashes, found, "right")
    real = high > low
    maybe, found, low, high = maybe[real], found[real], low[real], high[real]
    doc = np.searchsorted(offsets, maybe.astype(np.uint64), "right").astype(np.int64) - 1
    # an n-gram an article repeats counts once
    order = np.lexsort((found, doc))
    doc, found, low, high = doc[order], found[order], low[order], high[order]
    once = np.r_[True, (doc[1:] != doc[:-1]) | (found[1:] != found[:-1])] if len(doc) else np.zeros(0, bool)
    doc, low, high = doc[once], low[once], high[once]
    spans = high - low
    positions = np.repeat(low - np.cumsum(spans) + spans, spans) + np.arange(int(spans.sum()))
    pair_doc, pair_item = np.repeat(doc, spans), index.items[positions].astype(np.int64)
    keys, matched = np.unique(pair_doc * len(index.item_ngrams) + pair_item, return_counts=True)
    pair_doc, pair_item = keys // len(index.item_ngrams), keys % len(index.item_ngrams)
    overlap = matched / index.item_ngrams[pair_item]
    good = overlap >= min_overlap
    pair_doc, pair_item, matched, overlap = pair_doc[good], pair_item[good], matched[good], overlap[good]
    best = np.lexsort((pair_item, -matched, -overlap, pair_doc))
    first = best[np.r_[True, pair_doc[best][1:] != pair_doc[best][:-1]]] if len(best) else best
    hits.item[pair_doc[first]] = pair_item[first]
    hits.matched[pair_doc[first]] = matched[first]
    hits.overlap[pair_doc[first]] = overlap[first]
    return hits
