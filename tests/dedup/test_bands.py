import json

import numpy as np
import pytest

from corpus.dedup import bands, partitions
from corpus.dedup.bands import Part, book_params, load_book, verified_pairs
from corpus.dedup.minhash import MinHashConfig, band_keys, low_bytes
from corpus.dedup.minhash import verified_pairs as pairs_in_memory
from corpus.dedup.partitions import Keys
from corpus.plumbing.cache import BAND_BOOK

CONFIG = MinHashConfig()


def _signatures(seed: int, originals: int, copies: int) -> np.ndarray:
    """Few distinct values, so buckets often hold several records; copies differ from an original in ~10% of
    positions (verified), other records agree by chance on ~25% (rejected)."""
    rng = np.random.default_rng(seed)
    base = rng.integers(0, 4, size=(originals, CONFIG.num_perm), dtype=np.uint32)
    copied = base[rng.integers(0, originals, copies)].copy()
    flips = rng.random(copied.shape) < 0.1
    copied[flips] = rng.integers(0, 4, size=int(flips.sum()), dtype=np.uint32)
    return np.vstack([base, copied])[rng.permutation(originals + copies)]


class Corpus:
    """Parts of records by key, in order; reads bands the way the dedup stage does, counting what it read."""

    def __init__(self, parts: dict[str, np.ndarray]) -> None:
        self.parts = [Part(key, len(sigs)) for key, sigs in parts.items()]
        self.sigs = np.vstack(list(parts.values()))
        self.by_part = list(parts.values())
        self.read: list[list[int] | None] = []

    def read_bands(self, chosen):
        self.read.append(chosen)
        rows = self.sigs if chosen is None else np.vstack([self.by_part[i] for i in chosen])
        yield from (Keys.of(keys) for keys in band_keys(rows, CONFIG).T)

    def pairs(self, cache):
        first, second = verified_pairs(self.parts, low_bytes(self.sigs), CONFIG, self.read_bands, cache)
        return sorted(zip(first.tolist(), second.tolist(), strict=True))

    def in_memory(self):
        first, second, _ = pairs_in_memory(band_keys(self.sigs, CONFIG).T, low_bytes(self.sigs), CONFIG)
        return sorted(zip(first.tolist(), second.tolist(), strict=True))


@pytest.fixture
def chunks():
    sigs = _signatures(1, 400, 800)  # families of ~3 near-duplicates, spread over the units
    return {f"unit-{i}": sigs[i * 100 : (i + 1) * 100] for i in range(12)}


def test_without_a_book_the_pairs_are_those_of_the_in_memory_banding(chunks):
    corpus = Corpus(chunks)
    assert corpus.pairs(None) == corpus.in_memory() and len(corpus.in_memory()) > 100


def test_units_added_anywhere_give_the_pairs_of_a_cold_build_and_only_they_are_read(chunks, tmp_path):
    keys = list(chunks)
    first = {k: chunks[k] for k in keys if k not in ("unit-0", "unit-5", "unit-11")}
    Corpus(first).pairs(str(tmp_path))
    grown = Corpus(chunks)
    assert grown.pairs(str(tmp_path)) == grown.in_memory()
    assert grown.read == [[0, 5, 11]]  # the stored units' bands were not read again
    again = Corpus(chunks)
    assert again.pairs(str(tmp_path)) == grown.in_memory() and again.read == []  # nothing new: nothing read


@pytest.mark.parametrize("change", ["removed", "changed", "reordered"])
def test_a_unit_gone_changed_or_moved_is_a_cold_computation(chunks, tmp_path, change):
    Corpus(chunks).pairs(str(tmp_path))
    keys = list(chunks)
    if change == "removed":
        now = {k: chunks[k] for k in keys if k != "unit-3"}
    elif change == "changed":
        now = {**chunks, "unit-3": chunks["unit-3"][:50]}
    else:
        now = {k: chunks[k] for k in [keys[1], keys[0], *keys[2:]]}
    corpus = Corpus(now)
    assert corpus.pairs(str(tmp_path)) == corpus.in_memory()
    assert corpus.read == [None]


@pytest.mark.parametrize("damage", ["not an array", "empty keys", "empty pairs", "parts not a list",
                                    "positions out of range"])
def test_a_damaged_book_is_not_used(chunks, tmp_path, damage):
    Corpus({k: v for k, v in chunks.items() if k != "unit-4"}).pairs(str(tmp_path))
    book = load_book(tmp_path / BAND_BOOK, book_params(CONFIG), CONFIG.bands)
    assert book is not None
    book.close()
    if damage == "not an array":
        (book.folder / "keys-007.npy").write_bytes(b"not an array")
    elif damage == "empty keys":
        (book.folder / "keys-003.npy").write_bytes(b"")
    elif damage == "empty pairs":
        (book.folder / "pairs-002.npy").write_bytes(b"")
    elif damage == "parts not a list":
        state = json.loads((book.folder / "state.json").read_text())
        (book.folder / "state.json").write_text(json.dumps({**state, "parts": None}))
    else:
        docs = np.load(book.folder / "docs-005.npy")
        np.save(book.folder / "docs-005.npy", docs + np.uint32(10**6))
    (tmp_path / BAND_BOOK / "stale.tmp-1").mkdir()  # left by a build that was killed
    corpus = Corpus(chunks)
    assert corpus.pairs(str(tmp_path)) == corpus.in_memory()
    assert corpus.read[-1] is None  # cold
    assert load_book(tmp_path / BAND_BOOK, book_params(CONFIG), CONFIG.bands) is not None  # replaced, whole
    assert sorted(p.name for p in (tmp_path / BAND_BOOK).iterdir()) == sorted([book_digest_of(corpus), "LATEST"])


def book_digest_of(corpus):
    from corpus.dedup.bands import book_digest

    return book_digest(book_params(CONFIG), corpus.parts)


def test_a_book_replaced_while_in_use_is_still_read_whole(chunks, tmp_path):
    Corpus({k: v for k, v in chunks.items() if k != "unit-9"}).pairs(str(tmp_path))
    book = load_book(tmp_path / BAND_BOOK, book_params(CONFIG), CONFIG.bands)
    expected = [array.copy() for array in book.band(3)]
    Corpus(chunks).pairs(str(tmp_path))  # another build replaces the book (and deletes this one's folder)
    assert not book.folder.exists()
    assert all(np.array_equal(a, b) for a, b in zip(book.band(3), expected, strict=True))
    book.close()


def _book_files(cache):
    """The latest book's files: bytes, but the pairs as a set (their order follows how buckets were chunked)."""
    folder = cache / BAND_BOOK / (cache / BAND_BOOK / "LATEST").read_text()
    return {path.name: sorted(np.load(path).tolist()) if path.name.startswith("pairs-") else path.read_bytes()
            for path in sorted(folder.iterdir())}


def test_bands_sorted_a_partition_at_a_time_give_the_same_pairs_and_book(chunks, tmp_path, monkeypatch):
    first = {k: v for k, v in chunks.items() if k not in ("unit-2", "unit-7")}
    whole = [Corpus(first).pairs(tmp_path / "whole"), Corpus(chunks).pairs(tmp_path / "whole")]
    books = _book_files(tmp_path / "whole")
    monkeypatch.setattr(partitions, "PARTITION_ROWS", 128)  # 1,200 records: 10 partitions
    monkeypatch.setattr(partitions, "CHUNK_ROWS", 37)
    monkeypatch.setattr(bands, "CHUNK_ROWS", 37)  # the stored band merged 37 rows at a time
    cold = Corpus(first)
    assert cold.pairs(tmp_path / "parts") == whole[0] and cold.read == [None]
    grown = Corpus(chunks)
    assert grown.pairs(tmp_path / "parts") == whole[1] == grown.in_memory() and grown.read == [[2, 7]]
    assert _book_files(tmp_path / "parts") == books


@pytest.mark.parametrize("seed", range(6))
def test_stored_positions_move_where_their_records_are_now(seed):
    rng = np.random.default_rng(seed)
    stored = [int(n) for n in rng.integers(0, 4, size=8)]  # some parts without records
    new = [int(n) for n in rng.integers(0, 5, size=8)] if seed % 2 else [9] + [0] * 7  # odd: in between; even: first
    starts, at = [], 0
    for stored_rows, new_rows in zip(stored, new, strict=True):
        at += new_rows  # a new part before each stored one
        starts.append(at)
        at += stored_rows
    expected = np.concatenate([np.arange(s, s + n) for s, n in zip(starts, stored, strict=True)])
    move = bands._mover(starts, stored)
    assert move(np.arange(sum(stored))).tolist() == expected.tolist()
