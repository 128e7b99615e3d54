"""Where stage folders live: a local folder, or any fsspec URL (s3://, gs://, memory:// …).

A URL becomes a universal-pathlib path (the pathlib API over its fsspec filesystem); a plain path stays a
`pathlib.Path`. Shards are written and read by pyarrow through the same filesystem, so unit jobs on a
Dask cluster can share a bucket instead of a disk. Raw input, the result cache, sort scratch space and the
release folder stay local.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pyarrow.fs as pafs

AnyPath = Any  # pathlib.Path, or an upath.UPath for a URL


def location(value: str | os.PathLike[str]) -> AnyPath:
    text = os.fspath(value)
    if "://" not in text:
        return Path(text)
    from upath import UPath

    return UPath(text)


def is_local(path: AnyPath) -> bool:
    return isinstance(path, Path)


def arrow_location(path: AnyPath) -> tuple[str, pafs.FileSystem | None]:
    """What pyarrow's readers and writers take: a path string and, for a URL, its filesystem."""
    if is_local(path):
        return str(path), None
    return path.path, pafs.PyFileSystem(pafs.FSSpecHandler(path.fs))


def remove_tree(path: AnyPath) -> None:
    if is_local(path):
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists():
        path.fs.rm(path.path, recursive=True)


def local_scratch(path: AnyPath) -> Path | None:
    """A folder for temporary files beside `path` when it is local, else the system's temporary folder."""
    return path if is_local(path) else None


def put_file(source: Path, target: AnyPath) -> None:
    """A local file into place: hard-linked where possible (no copy, no extra disk), else copied."""
    if not is_local(target):
        target.fs.put_file(str(source), target.path)
        return
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:  # another filesystem, or links not allowed
        shutil.copyfile(source, target)


def get_file(source: AnyPath, target: Path) -> None:
    """A file from any location to a local path (hard-linked when both are local)."""
    if is_local(source):
        put_file(source, target)
    else:
        source.fs.get_file(source.path, str(target))

