"""Raw file digests remembered by stat, as git's index and DVC do, so that an incremental build does not read
every unchanged raw file again only to hash it for its cache key.

A remembered sha256 is trusted while the file's size, mtime and ctime (in ns), inode and device are those
seen just before it was hashed — ctime moves on every write and every `touch`, so even a same-size rewrite
that restores the old mtime shows — and only if the file had last been modified RACY_NS or more before
that hashing began:
a file written in the same instant it was hashed could change again without its mtime moving (git's "racy"
rule). This is the trust DVC already places in stats before it decides a stage is up to date. The book
lives beside the result cache (`<cache>/raw-digests.sqlite`), keyed by absolute path; it holds no data, and
deleting it only costs one build's hashing.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

Stat = tuple[int, int, int, int, int]  # size, mtime_ns, ctime_ns, inode, device
RACY_NS = 2_000_000_000
BOOK = "raw-digests.sqlite"
LOOKUP_BATCH = 500  # paths per query (SQLite allows 32,766 parameters)


def file_sha256(path: Path) -> str:
    """sha256 of a file, streamed: a large raw file or release file is never read whole."""
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def stat_of(path: Path) -> Stat:
    return as_stat(path.stat())


def as_stat(seen: os.stat_result) -> Stat:
    """What the book compares: size, mtime and ctime in ns, inode, device."""
    return seen.st_size, seen.st_mtime_ns, seen.st_ctime_ns, seen.st_ino, seen.st_dev


class DigestBook:
    def __init__(self, cache_root: str | None) -> None:
        self.path = Path(cache_root) / BOOK if cache_root else None

    def trusted(self, seen: dict[str, Stat | None]) -> dict[str, str]:
        """Absolute path → sha256, for the files whose stat (`seen`: absolute path → stat now) still matches
        what was recorded."""
        if self.path is None or not self.path.exists():
            return {}
        found = {}
        paths = [path for path, now in seen.items() if now is not None]
        with _connect(self.path) as book:
            for start in range(0, len(paths), LOOKUP_BATCH):
                batch = paths[start : start + LOOKUP_BATCH]
                rows = book.execute("SELECT path, size, mtime_ns, ctime_ns, inode, device, hashed_ns, sha256 FROM "
                                    f"digests WHERE path IN ({','.join('?' * len(batch))})", batch)
                for path, *recorded, hashed_ns, sha in rows:
                    now = seen[path]
                    if tuple(recorded) == now and now[1] <= hashed_ns - RACY_NS:
                        found[path] = sha
        return found

    def remember(self, hashed: Iterable[tuple[str, Stat, int, str]]) -> None:
        """(absolute path, stat before hashing, when hashing began in ns, sha256) of files just hashed."""
        rows = [(path, *stat, began, sha) for path, stat, began, sha in hashed]
        if self.path is None or not rows:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with _connect(self.path) as book:
            book.executemany("INSERT OR REPLACE INTO digests VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)


@contextmanager
def _connect(path: Path) -> Iterator[sqlite3.Connection]:
    book = sqlite3.connect(path, timeout=60)
    try:
        book.execute("CREATE TABLE IF NOT EXISTS digests (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, "
                     "ctime_ns INTEGER, inode INTEGER, device INTEGER, hashed_ns INTEGER, sha256 TEXT)")
        with book:  # one transaction, committed on success
            yield book
    finally:
        book.close()
