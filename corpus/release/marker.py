"""A release folder says it is one: publish writes a marker file into it, and a command that would replace a
folder replaces only a folder that has it (or an empty one), never a folder of someone's own files."""

from __future__ import annotations

from pathlib import Path

from corpus.errors import UsageError

MARKER = ".corpus-release"
MARKER_TEXT = "A release folder written by korean-news-corpus; `corpus run` and `dvc repro` replace it whole.\n"


def write_marker(folder: Path) -> None:
    (folder / MARKER).write_text(MARKER_TEXT, encoding="utf-8")


def is_release(folder: Path) -> bool:
    return (folder / MARKER).is_file()


def check_replaceable(folder: Path, what: str = "output") -> None:
    """`folder` may be written: absent, an empty folder, or a release this package wrote. Else a UsageError."""
    if not folder.exists():
        return
    if not folder.is_dir():
        raise UsageError(f"{what} {folder} is a file, not a folder: name a folder for the release")
    if is_release(folder) or not any(folder.iterdir()):
        return
    raise UsageError(f"{what} folder {folder} already holds files and is not a release this package wrote "
                     f"(no {MARKER}): it would be replaced; name a new or empty folder")
