"""Content-addressed results of unit jobs, so a rebuild redoes only the units whose inputs changed.

A job's key names its input and params: for ingest, each raw file's path and sha256; for later stages,
the key of the unit they read (carried in the shards' metadata), and always the stage params. The cache
stores a result under that key combined with the code: the package source and the versions of Python
and of the installed dependencies. (The code stays out of the keys written into shards, so a stage's
output bytes depend only on what dvc.yaml declares.) Equal key and code, equal output: a hit links the
stored shards into the stage folder instead of recomputing them, and the build is byte-identical to one
without a cache (tests compare).

An entry is a folder `<root>/<stage>/<key[:2]>/<key>/` holding the job's files, with unit names replaced
by their position in the job (`records-#0-00000.parquet`), and `result.json` (the job's counters and the
size of each file). Files are hard-linked both ways where the filesystem allows, so an entry costs no
extra disk while the stage folder still holds its files. Entries are never edited in place; writers
replace whole files. Two books live beside the entries: raw files' digests by stat (corpus.plumbing.digests) and
dedup's band buckets (corpus.dedup.bands). Delete the folder to start cold (`corpus cache clear`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
from collections.abc import Callable
from functools import cache
from importlib.metadata import PackageNotFoundError, requires, version
from pathlib import Path
from typing import Any

from corpus.plumbing.storage import AnyPath, get_file, put_file
from corpus.plumbing.units import UNIT_NAME, UnitNames

RESULT = "result.json"
BAND_BOOK = "dedup-bands"  # corpus.dedup.bands keeps its book here, beside the stage folders of entries
_UNIT_FILE = re.compile(rf"^(?P<kind>[a-z_]+)-(?P<unit>{UNIT_NAME})-(?P<rest>[^/]+)$")
_ENTRY_FILE = re.compile(r"^(?P<kind>[a-z_]+)-#(?P<index>\d+)-(?P<rest>[^/]+)$")


def package_source_sha256() -> str:
    """sha256 over the package's source files: which code built the data (no commit id: that would change
    the bytes with every commit, code change or not)."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parents[1]  # corpus/, not this folder
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@cache
def code_key() -> str:
    """The package source plus Python's and every declared dependency's version."""
    names = sorted({re.split(r"[\s<>=!~;\[(]", line, maxsplit=1)[0] for line in requires("korean-news-corpus") or []
                    if "extra ==" not in line}) if _installed() else []
    versions = [f"{name}=={_version(name)}" for name in names]
    toolchain = f"python {sys.version_info.major}.{sys.version_info.minor}:" + ",".join(versions)
    return hashlib.sha256(f"{package_source_sha256()}:{toolchain}".encode()).hexdigest()


def _installed() -> bool:
    try:
        version("korean-news-corpus")
        return True
    except PackageNotFoundError:
        return False


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "absent"


def job_key(stage: str, *parts: str) -> str:
    """The identity of a job's output: its stage, input keys and params (not the code)."""
    return hashlib.sha256("\0".join((stage, *parts)).encode("utf-8")).hexdigest()


class ResultCache:
    """Stored job results under `root`; with no root, nothing is stored or found."""

    def __init__(self, root: str | Path | None) -> None:
        self.root = Path(root) if root else None

    def _entry(self, stage: str, key: str) -> Path:
        assert self.root is not None
        stored = hashlib.sha256(f"{key}:{code_key()}".encode()).hexdigest()
        return self.root / stage / stored[:2] / stored

    def fetch(self, stage: str, key: str, output: AnyPath, units: list[str] | UnitNames) -> dict[str, Any] | None:
        """Put a stored result's files into `output` under these unit names; its counters, or None."""
        if self.root is None:
            return None
        entry = self._entry(stage, key)
        try:
            stored = json.loads((entry / RESULT).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        files = stored["files"]
        if any(_size(entry / name) != size for name, size in files.items()):
            return None  # damaged or half-deleted entry: recompute
        for name in files:
            match = _ENTRY_FILE.match(name)
            assert match is not None, name
            target = f"{match['kind']}-{units[int(match['index'])]}-{match['rest']}"
            put_file(entry / name, output / target)
        return stored["result"]

    def store(self, stage: str, key: str, files: list[AnyPath], units: list[str] | UnitNames,
              result: dict[str, Any]) -> None:
        """Keep a job's output files (named `<kind>-<unit>-…` for the given units) and its counters."""
        if self.root is None:
            return
        entry = self._entry(stage, key)
        if entry.exists():
            return
        partial = entry.with_name(f"{entry.name}.partial-{os.getpid()}")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        sizes = {}
        for file in files:
            match = _UNIT_FILE.match(file.name)
            if match is None or match["unit"] not in units:
                raise ValueError(f"{file.name} is not named <kind>-<unit>-… for a unit of this job {units}")
            name = f"{match['kind']}-#{units.index(match['unit'])}-{match['rest']}"
            get_file(file, partial / name)
            sizes[name] = (partial / name).stat().st_size
        document = {"files": sizes, "result": result}
        (partial / RESULT).write_text(json.dumps(document, sort_keys=True, ensure_ascii=False), encoding="utf-8")
        try:
            partial.rename(entry)
        except OSError:  # another process stored the same key first
            shutil.rmtree(partial, ignore_errors=True)


def cached(
    stage: str, key: str, root: str | None, output: AnyPath, units: list[str] | UnitNames,
    produce: Callable[[], tuple[list[AnyPath] | None, dict[str, Any]]],
) -> dict[str, Any]:
    """A unit job's result: from the cache under `key`, else `produce()` — which writes the job's files into
    `output` and returns them (None: keep nothing) with the job's counters — and then stored."""
    cache = ResultCache(root)
    if (stored := cache.fetch(stage, key, output, units)) is not None:
        return stored
    files, result = produce()
    if files is not None:
        cache.store(stage, key, files, units, result)
    return result


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return -1


def usage(root: Path) -> dict[str, dict[str, int]]:
    """Per stage: entries, bytes, and entries whose files no stage folder links to any more."""
    report: dict[str, dict[str, int]] = {}
    for stage in sorted(p for p in Path(root).iterdir() if p.is_dir()) if Path(root).is_dir() else []:
        if stage.name == BAND_BOOK:
            continue
        entries = [entry for entry in stage.glob("*/*") if (entry / RESULT).exists()]
        files = [file for entry in entries for file in entry.iterdir() if file.name != RESULT]
        report[stage.name] = {
            "entries": len(entries),
            "bytes": sum(file.stat().st_size for file in files),
            "unlinked_entries": sum(1 for entry in entries if not _linked(entry)),
        }
    return report


def prune(root: Path) -> tuple[int, int]:
    """Remove the entries no stage folder links to (their files have no other hard link): (entries, bytes).
    What the current build uses stays; what only older builds used goes."""
    removed = freed = 0
    for entry in Path(root).glob("*/*/*"):
        if (entry / RESULT).exists() and not _linked(entry):
            freed += sum(file.stat().st_size for file in entry.iterdir())
            shutil.rmtree(entry)
            removed += 1
    return removed, freed


def _linked(entry: Path) -> bool:
    return any(file.stat().st_nlink > 1 for file in entry.iterdir() if file.name != RESULT)
