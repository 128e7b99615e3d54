"""Incremental LSH: the last build's band buckets, kept beside the result cache, so that a build which adds
articles verifies only the candidates of the buckets they fall into.

Candidates are formed bucket by bucket (`minhash.bucket_pairs`: each member with the bucket's first member
and with its predecessor, in record order), so the verified pairs of a bucket depend only on its members.
The book stores, per band, every article's bucket key (sorted) and the verified pairs with the bucket they
came from. The next build, if its articles are the stored ones plus new units (record order kept: units
are keyed by content, `corpus.plumbing.units`), reuses the pairs of every bucket no new article joined and forms
and verifies only the changed buckets' candidates, which it finds by binary search in the sorted keys.
The result is the pair set a cold build finds, exactly (tests compare). Anything else — a unit gone or
changed, other MinHash params, other code, a damaged book — is a cold computation, which then replaces
the book.

On disk: `<cache>/dedup-bands/<digest>/` (state.json; per band `keys-NNN.npy` sorted bucket keys,
`docs-NNN.npy` their record positions, `pairs-NNN.npy` its verified pairs), and `LATEST` naming the digest.
Nothing holds a whole band: a cold build sorts a band a key-range partition at a time
(`corpus.dedup.partitions`; buckets never straddle two) and streams the book's files out in key order;
a rebuild binary-searches the stored band through a memory map and streams the merged one out a chunk
at a time. The pairs found are kept once each, as they come. Written aside and swapped in, so a build
that stops half-way leaves the previous book.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np

from corpus.dedup.minhash import MinHashConfig, bucket_pair_chunks, estimated_jaccard_low
from corpus.dedup.partitions import CHUNK_ROWS, Keys
from corpus.plumbing.cache import BAND_BOOK, code_key

LATEST = "LATEST"
PAIR_FIELDS = [("key", "<u8"), ("first", "<i8"), ("second", "<i8")]

# A callable giving each band's bucket keys (in band order) for the rows of the parts at these indices
# (all parts when None), in record order.
BandReader = Callable[[list[int] | None], Iterator[Keys]]


@dataclass(frozen=True)
class Part:
    """A run of consecutive records whose signatures are fixed by `key` (a keys unit's cache key)."""

    key: str
    rows: int


@dataclass(frozen=True)
class Book:
    """What a build left for the next one. Its band files are held open from the moment it is read, so a
    concurrent build replacing the book cannot take them away half-way; each band is read when used."""

    folder: Path
    parts: list[Part]
    files: list[tuple[BinaryIO, BinaryIO, BinaryIO]]  # per band: keys, docs, pairs

    def band(self, band: int) -> tuple[np.ndarray, np.ndarray]:
        """Every record's bucket key in this band, sorted, and the records' positions in that order, as
        read-only memory maps (what is searched or gathered is paged in, not the band)."""
        return _mapped(self.files[band][0]), _mapped(self.files[band][1])

    def rows(self, band: int, kind: int, start: int, stop: int) -> np.ndarray:
        """Rows start…stop of the band's keys (kind 0) or positions (kind 1), read, not mapped."""
        file = self.files[band][kind]
        dtype, _, offset = _header(file)
        file.seek(offset + start * dtype.itemsize)
        return np.fromfile(file, dtype=dtype, count=stop - start)

    def pairs(self, band: int) -> np.ndarray:
        """The band's verified pairs (PAIR_FIELDS) with the bucket they came from."""
        return _load(self.files[band][2])

    def close(self) -> None:
        _close(self.files)


def _load(file: BinaryIO) -> np.ndarray:
    file.seek(0)
    return np.load(file)


def _header(file: BinaryIO) -> tuple[np.dtype, tuple[int, ...], int]:
    """An .npy file's dtype, shape and where its data starts."""
    file.seek(0)
    version = np.lib.format.read_magic(file)
    read = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
    shape, _, dtype = read(file)
    return dtype, shape, file.tell()


def _mapped(file: BinaryIO) -> np.ndarray:
    dtype, shape, offset = _header(file)
    if not shape[0]:
        return np.zeros(shape, dtype=dtype)
    return np.memmap(file, dtype=dtype, mode="r", offset=offset, shape=shape)


def _close(files: list[tuple[BinaryIO, ...]]) -> None:
    for band in files:
        for file in band:
            file.close()


@dataclass
class PairSet:
    """Verified pairs of `rows` records, each once: first * rows + second, sorted."""

    rows: int
    codes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def add(self, pairs: np.ndarray) -> None:
        self.codes = np.union1d(self.codes, pairs["first"] * self.rows + pairs["second"])

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        return self.codes // self.rows, self.codes % self.rows


def book_params(config: MinHashConfig) -> str:
    """What a stored book is valid for: the MinHash settings, the verification threshold and the code."""
    return f"{config.shingle}:{config.bands}:{config.rows}:{config.seed}:{config.jaccard}:{code_key()}"


def book_digest(params: str, parts: list[Part]) -> str:
    listed = json.dumps([[part.key, part.rows] for part in parts])
    return hashlib.sha256(f"{params}\0{listed}".encode()).hexdigest()


def verified_pairs(parts: list[Part], low: np.ndarray, config: MinHashConfig, read_bands: BandReader,
                   cache: str | None) -> tuple[np.ndarray, np.ndarray]:
    """(first, second) of every verified near-duplicate pair (first < second, each once, sorted),
    incrementally from the book under `cache` when it applies; the book is then replaced by this build's."""
    params = book_params(config)
    folder = Path(cache) / BAND_BOOK if cache else None
    previous = load_book(folder, params, config.bands) if folder else None
    digest = book_digest(params, parts)
    found = PairSet(len(low))  # low: a row per record
    try:
        if previous is not None and previous.folder.name == digest:  # the same records as last time
            for band in range(config.bands):
                found.add(previous.pairs(band))
        else:
            found = _computed(previous, parts, low, config, read_bands, folder, digest, params)
    finally:
        if previous is not None:
            previous.close()
    return found.arrays()


def _computed(previous: Book | None, parts: list[Part], low: np.ndarray, config: MinHashConfig,
              read_bands: BandReader, folder: Path | None, digest: str, params: str) -> PairSet:
    """The pairs, from the previous book when it applies, else cold; this build's book written aside and
    swapped in (a build that fails leaves no half-written book behind)."""
    writer = BookWriter(folder, digest, params, parts) if folder else None
    try:
        if previous is not None and _extends(previous.parts, parts):
            try:
                found = _incremental(previous, parts, low, config, read_bands, writer)
            except (ValueError, IndexError, EOFError) as error:  # a book damaged past its headers
                print(f"dedup: band book unusable ({error}); verifying every bucket", file=sys.stderr)
                found = _cold(low, config, read_bands(None), writer)
        else:
            found = _cold(low, config, read_bands(None), writer)
        if writer is not None:
            writer.finish()
    finally:
        if writer is not None:
            shutil.rmtree(writer.aside, ignore_errors=True)
    return found


def _extends(stored: list[Part], parts: list[Part]) -> bool:
    """The stored records are all here, in the same order, and no unit appears twice in either."""
    position = {part.key: i for i, part in enumerate(parts)}
    present = set(parts)
    if len(position) != len(parts) or len({p.key for p in stored}) != len(stored):
        return False
    if any(part not in present for part in stored):
        return False
    order = [position[part.key] for part in stored]
    return order == sorted(order)


def _verified(keys: np.ndarray, docs: np.ndarray | None, low: np.ndarray, config: MinHashConfig,
              order: np.ndarray | None = None) -> np.ndarray:
    """The verified candidate pairs of the buckets these records form (`docs` ascending: record order;
    None: the records are 0…n-1). `order`: the keys' stable argsort, if known. Candidates are formed and
    verified a run of buckets at a time; only the verified ones are kept."""
    found = [np.zeros(0, dtype=PAIR_FIELDS)]
    for local_first, local_second in bucket_pair_chunks(keys, order):
        first, second = (local_first, local_second) if docs is None else (docs[local_first], docs[local_second])
        kept = estimated_jaccard_low(low, first, second) >= config.jaccard
        pairs = np.empty(int(np.count_nonzero(kept)), dtype=PAIR_FIELDS)
        pairs["key"], pairs["first"], pairs["second"] = keys[local_second[kept]], first[kept], second[kept]
        found.append(pairs)
    return np.concatenate(found)


def _cold(low: np.ndarray, config: MinHashConfig, bands: Iterator[Keys], writer: BookWriter | None) -> PairSet:
    found = PairSet(len(low))
    for band, keys in enumerate(bands):
        if writer is not None:
            writer.begin(band, keys.rows)
        found_in_parts = []
        for values, positions in keys.partitions():
            order = np.argsort(values, kind="stable")  # for the buckets and for the book
            found_in_parts.append(_verified(values, positions, low, config, order))
            if writer is not None:
                writer.append(values[order], order if positions is None else positions[order])
        pairs = np.concatenate(found_in_parts)
        found.add(pairs)
        if writer is not None:
            writer.end(pairs)
    return found


def _incremental(previous: Book, parts: list[Part], low: np.ndarray, config: MinHashConfig, read_bands: BandReader,
                 writer: BookWriter | None) -> PairSet:
    starts = dict(zip((p.key for p in parts), np.cumsum([0] + [p.rows for p in parts]).tolist(), strict=False))
    move = _mover([starts[p.key] for p in previous.parts], [p.rows for p in previous.parts])
    stored = set(previous.parts)
    fresh = [i for i, part in enumerate(parts) if part not in stored]
    fresh_docs = _positions([starts[parts[i].key] for i in fresh], [parts[i].rows for i in fresh])
    new_bands = read_bands(fresh) if fresh else iter([Keys.of(np.zeros(0, np.uint64))] * config.bands)
    found = PairSet(len(low))
    for band, new in enumerate(new_bands):
        new_keys = new.array()
        old_keys, old_docs = previous.band(band)
        changed = np.unique(new_keys)
        members = _ranges(np.searchsorted(old_keys, changed, "left"), np.searchsorted(old_keys, changed, "right"))
        docs = np.concatenate([move(old_docs[members]), fresh_docs])
        keys = np.concatenate([old_keys[members], new_keys])
        by_record = np.argsort(docs, kind="stable")
        kept = previous.pairs(band)
        kept = kept[~np.isin(kept["key"], changed)]
        kept["first"], kept["second"] = move(kept["first"]), move(kept["second"])
        pairs = np.concatenate([_verified(keys[by_record], docs[by_record], low, config), kept])
        found.add(pairs)
        if writer is not None:
            order = np.argsort(new_keys, kind="stable")
            _write_merged(writer, band, previous, np.searchsorted(old_keys, new_keys[order], "right"),
                          new_keys[order], fresh_docs[order], move)
            writer.end(pairs)
        del old_keys, old_docs
    return found


def _write_merged(writer: BookWriter, band: int, previous: Book, at: np.ndarray, new_keys: np.ndarray,
                  new_docs: np.ndarray, move: Callable[[np.ndarray], np.ndarray]) -> None:
    """The stored band with the new keys inserted before the stored rows at `at` (np.insert's meaning),
    a chunk of stored rows at a time; stored positions moved to where their records are now."""
    stored = previous.files[band][0]
    rows = _header(stored)[1][0]
    writer.begin(band, rows + len(new_keys))
    for start in range(0, max(rows, 1), CHUNK_ROWS):
        stop = min(start + CHUNK_ROWS, rows)
        low = np.searchsorted(at, start, "left")
        high = np.searchsorted(at, stop, "left") if stop < rows else len(at)
        writer.append(np.insert(previous.rows(band, 0, start, stop), at[low:high] - start, new_keys[low:high]),
                      np.insert(move(previous.rows(band, 1, start, stop)), at[low:high] - start, new_docs[low:high]))


def _mover(starts: list[int], rows: list[int]) -> Callable[[np.ndarray], np.ndarray]:
    """Stored record position → its position now, for stored runs of `rows` records (in stored order) that
    now start at `starts`. The shift changes only where new units were put in between: usually once."""
    stored_starts = np.cumsum([0, *rows], dtype=np.int64)[:-1]
    shift = np.asarray(starts, dtype=np.int64) - stored_starts
    runs = np.r_[0, np.flatnonzero(np.diff(shift)) + 1].astype(np.int64) if len(shift) else np.zeros(0, np.int64)
    run_starts, run_shift = stored_starts[runs], shift[runs]

    def move(positions: np.ndarray) -> np.ndarray:
        positions = np.asarray(positions, dtype=np.int64)
        if len(run_shift) == 1:
            return positions + run_shift[0]
        return positions + run_shift[np.searchsorted(run_starts, positions, "right") - 1]

    return move


def _positions(starts: list[int], lengths: list[int]) -> np.ndarray:
    """The record positions of runs of records (start, length), concatenated."""
    starts_, lengths_ = np.asarray(starts, dtype=np.int64), np.asarray(lengths, dtype=np.int64)
    return _ranges(starts_, starts_ + lengths_)


def _ranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Every position in the half-open ranges [starts[i], ends[i]), in order."""
    lengths = ends - starts
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - np.r_[0, np.cumsum(lengths)[:-1]], lengths)
    return np.arange(total, dtype=np.int64) + offsets


def load_book(folder: Path, params: str, bands: int) -> Book | None:
    """The book the last build left, if it is there whole and made with these params."""
    files: list[tuple[BinaryIO, BinaryIO, BinaryIO]] = []
    try:
        digest = (folder / LATEST).read_text(encoding="utf-8").strip()
        state = json.loads((folder / digest / "state.json").read_text(encoding="utf-8"))
        if state["params"] != params or state["bands"] != bands:
            return None
        parts = [Part(key, rows) for key, rows in state["parts"]]
        rows = sum(part.rows for part in parts)
        for band in range(bands):
            keys, docs, pairs = (folder / digest / f"{kind}-{band:03d}.npy" for kind in ("keys", "docs", "pairs"))
            if any(np.load(path, mmap_mode="r").shape != (rows,) for path in (keys, docs)):  # header and size only
                raise ValueError(f"band {band} of the book does not hold {rows} rows")
            if np.load(pairs, mmap_mode="r").dtype != np.dtype(PAIR_FIELDS):
                raise ValueError(f"band {band} of the book has no pairs")
            files.append((keys.open("rb"), docs.open("rb"), pairs.open("rb")))
        return Book(folder / digest, parts, files)
    except (OSError, ValueError, KeyError, TypeError, EOFError):  # missing, damaged or from another version
        _close(files)
        return None


def _npy_writer(path: Path, dtype: type, rows: int) -> BinaryIO:
    """An .npy file of `rows` values, open for them to be appended (the header np.save would write)."""
    file = path.open("wb")
    header = {"descr": np.lib.format.dtype_to_descr(np.dtype(dtype)), "fortran_order": False, "shape": (rows,)}
    np.lib.format.write_array_header_1_0(file, header)
    return file


class BookWriter:
    """Writes a book aside, band by band, and swaps it in as the latest once whole."""

    def __init__(self, folder: Path, digest: str, params: str, parts: list[Part]) -> None:
        self.folder, self.digest = folder, digest
        self.state = {"params": params, "bands": 0, "parts": [[p.key, p.rows] for p in parts]}
        self.aside = folder / f"{digest}.tmp-{os.getpid()}"
        shutil.rmtree(self.aside, ignore_errors=True)
        self.aside.mkdir(parents=True)

    def begin(self, band: int, rows: int) -> None:
        """Start a band of `rows` records: its keys and positions are then appended in sorted order."""
        self._open = [_npy_writer(self.aside / f"{kind}-{band:03d}.npy", dtype, rows)
                      for kind, dtype in (("keys", np.uint64), ("docs", np.uint32))]
        self._band, self._rows, self._written = band, rows, 0

    def append(self, keys: np.ndarray, docs: np.ndarray) -> None:
        self._open[0].write(np.ascontiguousarray(keys, dtype=np.uint64).data)
        self._open[1].write(np.ascontiguousarray(docs, dtype=np.uint32).data)
        self._written += len(keys)

    def end(self, pairs: np.ndarray) -> None:
        for file in self._open:
            file.close()
        if self._written != self._rows:
            raise RuntimeError(f"band {self._band}: {self._written} rows written for {self._rows}")
        np.save(self.aside / f"pairs-{self._band:03d}.npy", pairs)
        self.state["bands"] = self._band + 1

    def finish(self) -> None:
        (self.aside / "state.json").write_text(json.dumps(self.state), encoding="utf-8")
        try:
            os.replace(self.aside, self.folder / self.digest)
        except OSError:  # a concurrent build wrote the same book (same digest, same content) first
            shutil.rmtree(self.aside, ignore_errors=True)
        pointer = self.folder / f"{LATEST}.tmp-{os.getpid()}"
        pointer.write_text(self.digest, encoding="utf-8")
        os.replace(pointer, self.folder / LATEST)
        for other in self.folder.iterdir():  # older books, and what builds that stopped half-way left aside
            if other.is_dir() and other.name != self.digest:
                shutil.rmtree(other, ignore_errors=True)
