"""The raw files of an input folder, found in one walk with one stat each.

Every regular file and every symlink under the folder is input, in the order of its path relative to the
folder; names starting with a dot (files or folders) are not. Symlinked folders are not walked into (a
symlink is one input entry, which ingest refuses if it leads outside the folder). The stat each file is
found with serves the unit plan (sizes) and the digest book (corpus.digests), so an incremental build of
a folder of 200k pages stats each file once, not once per question asked of it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from corpus.digests import Stat, as_stat


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


def scan_input(input_dir: Path) -> list[RawFile]:
    """Every raw file under input_dir, sorted by relative path."""
    found: list[RawFile] = []
    folders = [(str(input_dir), "")]
    while folders:
        folder, prefix = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            if not prefix:
                raise
            # An unreadable subfolder is one entry that cannot be stat'ed as a file: ingest ledgers it as
            # unreadable instead of losing whatever it holds without a word.
            found.append(RawFile(prefix.rstrip("/"), False, None))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            relative = prefix + entry.name
            if entry.is_symlink():
                found.append(RawFile(relative, True, _stat(entry.path, follow=True)))
            elif entry.is_dir(follow_symlinks=False):
                folders.append((entry.path, relative + "/"))
            elif entry.is_file(follow_symlinks=False):
                found.append(RawFile(relative, False, _stat(entry.path, follow=False)))
    return sorted(found, key=lambda raw: raw.relative)
