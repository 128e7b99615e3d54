"""The raw files of an input folder, found in one walk with one stat each, streamed in path order.

Every regular file and every symlink under the folder is input, in the order of its path relative to the
folder; names starting with a dot (files or folders) are not. Symlinked folders are not walked into (a
symlink is one input entry, which ingest refuses if it leads outside the folder). The stat each file is
found with serves the unit plan (sizes) and the digest book (corpus.plumbing.digests), so an incremental build of
a folder of 200k pages stats each file once, not once per question asked of it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from corpus.plumbing.digests import Stat, as_stat


@dataclass(frozen=True, slots=True)
class RawFile:
    relative: str  # posix path under the input folder
    symlink: bool
    stat: Stat | None  # of what the path leads to; None when that cannot be stat'ed (a broken symlink)

    @property
    def size(self) -> int:
        return self.stat[0] if self.stat else 0


def _stat(path: str, follow: bool) -> Stat | None:
    try:
        return as_stat(os.stat(path, follow_symlinks=follow))
    except OSError:
        return None


FILE, LINK, FOLDER = "file", "link", "folder"


def scan_input(input_dir: Path, stat: bool = True) -> Iterator[RawFile]:
    """Every raw file under input_dir, in the order of its path relative to it, as the walk reaches it.

    A folder's entries (names and kinds) are listed and sorted, a subfolder as if its name ended in "/":
    that is where its files fall among its siblings in path order, so walking the sorted entries depth
    first gives the files sorted by path. What is held is the listings of the folders on the way down, not
    every file found. `stat=False` skips the stat (None), for counting."""
    yield from _walk(str(input_dir), "", stat, top=True)


def count_input(input_dir: Path) -> int:
    """How many raw files scan_input will find (one walk, no stat)."""
    return sum(1 for _ in scan_input(input_dir, stat=False))


def _walk(folder: str, prefix: str, stat: bool, top: bool = False) -> Iterator[RawFile]:
    try:
        with os.scandir(folder) as listing:
            entries = [(entry.name, _kind(entry)) for entry in listing if not entry.name.startswith(".")]
    except OSError:
        if top:
            raise
        # An unreadable subfolder is one entry that cannot be stat'ed as a file: ingest ledgers it as
        # unreadable instead of losing whatever it holds without a word.
        yield RawFile(prefix.rstrip("/"), False, None)
        return
    for name, kind in sorted(entries, key=lambda entry: entry[0] + "/" if entry[1] == FOLDER else entry[0]):
        relative, path = prefix + name, os.path.join(folder, name)
        if kind == FOLDER:
            yield from _walk(path, relative + "/", stat)
        elif kind == LINK:
            yield RawFile(relative, True, _stat(path, follow=True) if stat else None)
        elif kind == FILE:
            yield RawFile(relative, False, _stat(path, follow=False) if stat else None)


def _kind(entry: os.DirEntry) -> str | None:
    """Symlinks (to anything: a symlinked folder is one entry, not walked into), folders, regular files;
    None for the rest (sockets, devices …), which are not input."""
    if entry.is_symlink():
        return LINK
    if entry.is_dir(follow_symlinks=False):
        return FOLDER
    return FILE if entry.is_file(follow_symlinks=False) else None
