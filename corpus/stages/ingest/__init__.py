"""Ingest: raw files → candidate article segments with provenance, or an error row saying why not.

`reading` turns one file into rows; `jobs` runs a unit (a run of small files, a large file, or a part of a
very large one) and puts a file's parts back together; this module plans the units and runs them.
"""

from __future__ import annotations

import sys
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from corpus.errors import ParamsError, UsageError
from corpus.formats import FORMATS
from corpus.params import IngestParams, chain_sha256
from corpus.plumbing.digests import DigestBook, Stat
from corpus.plumbing.executors import current_executor
from corpus.plumbing.parts import Part, marks, plan_parts
from corpus.plumbing.progress import interactive, progress
from corpus.plumbing.shards import ROOT_CHAIN, fresh_directory
from corpus.plumbing.units import Unit, plan_units
from corpus.rawfiles import RawFile, count_input, scan_input
from corpus.stages import StagePaths
from corpus.stages.ingest.jobs import OUTPUT, Fingerprint, IngestJob, PartedFiles, book_key, fingerprint, ingest_unit
from corpus.stages.ingest.reading import ROLES, BadInputError, decode_span, file_rows, read_file, run, summary_line
from corpus.stages.offsets import write_offsets

__all__ = ["OUTPUT", "BadInputError", "Fingerprint", "IngestJob", "check_params", "decode_span", "file_rows",
           "fingerprint", "ingest_unit", "main", "read_file", "run", "summary_line"]

LIST_FILES_UP_TO = 100  # a line per raw file on stderr; beyond this many files, only those with errors
REMEMBER_EVERY = 10_000  # hashed raw files written to the digest book at a time


def _segments(result: dict[str, Any]) -> int:
    return sum(result["counts"].get(role, 0) for role in ROLES if role != "errors")


def _planned(input_dir: Path, book: DigestBook, params: IngestParams, hashed: list[tuple[Any, ...]]
             ) -> Iterator[tuple[Unit, tuple[str | None, ...], tuple[bool, ...], Stat | None]]:
    """The units, as the walk of the input reaches them, each with its files' digests remembered by stat (if
    any), whether each is a symlink, and — for a part of a large file — the file's stat when it was hashed
    (here, once for all its parts; appended to `hashed`). Looked up a unit at a time, so nothing is held of
    every raw file."""
    root = str(input_dir.absolute())
    scanned: deque[RawFile] = deque()  # found, not yet in a unit: at most a unit and one file

    def sizes() -> Iterator[tuple[str, int]]:
        for raw in scan_input(input_dir):
            scanned.append(raw)
            yield raw.relative, raw.size

    planned, parted, parts = False, None, iter(())
    for unit in plan_units(sizes()):
        planned = True
        if unit.part is not None:
            if unit.part[0] == 0:
                raw = scanned.popleft()
                known = book.trusted({book_key(root, raw.relative): raw.stat}).get(book_key(root, raw.relative))
                print_ = fingerprint(input_dir / raw.relative, input_dir, params, known, raw.symlink)
                if print_.hashed:
                    hashed.append((book_key(root, raw.relative), *print_.hashed, print_.digest))
                parted = (print_.digest, print_.hashed[0] if print_.hashed else raw.stat, raw.symlink)
                parts = _counted_parts(input_dir / raw.relative, raw.size) if len(print_.digest) == 64 else iter(())
                if len(print_.digest) != 64:  # not readable as it is: one job says why
                    yield Unit(unit.name, unit.files), (known,), (raw.symlink,), None
            assert parted is not None
            if len(parted[0]) == 64:
                counted = next(parts)
                assert counted[:2] == unit.part, "the plan and the counts cut the file alike"
                yield replace(unit, part=counted), (parted[0],), (parted[2],), parted[1]
            continue
        raws = [scanned.popleft() for _ in unit.files]
        absolute = [book_key(root, raw.relative) for raw in raws]
        trusted = book.trusted(dict(zip(absolute, (raw.stat for raw in raws), strict=True)))
        yield unit, tuple(trusted.get(path) for path in absolute), tuple(raw.symlink for raw in raws), None
    if not planned:
        yield Unit("00000", ()), (), (), None


def _counted_parts(path: Path, size: int) -> Iterator[Part]:
    """The parts of a large file, with the newlines and quotes before each end, counted here in one pass."""
    windows = plan_parts(size)
    with path.open("rb") as handle:
        counted = marks(handle, [start for start, _ in windows] + [size])
    return (Part(start, end, counted[k], counted[k + 1]) for k, (start, end) in enumerate(windows))


def check_params(params: IngestParams, config_dir: Path | None = None) -> None:
    """A format named in params that does not exist: a ParamsError before any file is read (`config_dir`:
    where params' relative paths are resolved; ingest's params name no file)."""
    for name in params.formats.values():
        if name not in FORMATS:
            raise ParamsError(f"ingest.formats: unknown format {name!r}; known: {', '.join(FORMATS.names())}")


def main(paths: StagePaths, params: IngestParams) -> dict[str, Any]:
    if not paths.input_dir.is_dir():
        raise UsageError(f"input folder {paths.input_dir} does not exist or is not a folder")
    check_params(params)
    output = fresh_directory(paths.stage("ingest"))
    chain = chain_sha256(ROOT_CHAIN, params)
    book = DigestBook(paths.cache)
    hashed: list[tuple[Any, ...]] = []  # raw files hashed: their digests, for the book
    jobs = (IngestJob(unit, paths.input_dir, output, params, chain, paths.cache, trusted, symlinks, stat)
            for unit, trusted, symlinks, stat in _planned(paths.input_dir, book, params, hashed))
    parted = PartedFiles(IngestJob(Unit("", ()), paths.input_dir, output, params, chain, paths.cache, (), ()))
    total_files = count_input(paths.input_dir) if interactive() else None  # for the bar's ETA: a walk, no stat
    counts: Counter[str] = Counter()
    files = 0
    held: list[dict[str, Any]] | None = []  # every file's line, until there are too many to list
    for result in progress(current_executor().map(ingest_unit, jobs), total=total_files, unit="file",
                           desc="ingest", articles=_segments, noun="segments",
                           steps=lambda r: len(r["lines"]) or int(r.get("part", {}).get("last", False))):
        if (result := parted.merge(result)) is None:
            continue
        counts.update(result["counts"])
        hashed += result["hashed"]
        if len(hashed) >= REMEMBER_EVERY:  # written as they come, not held for every raw file until the end
            book.remember(hashed)
            hashed.clear()  # (the plan appends the large files it hashes to this very list)
        files += len(result["lines"])
        if held is not None:
            held += result["lines"]
            if files > LIST_FILES_UP_TO:  # too many: from now on, only the files with errors
                _print_lines(line for line in held if line["errors"])
                held = None
        else:
            _print_lines(line for line in result["lines"] if line["errors"])
    book.remember(hashed)
    write_offsets(output, parted.offsets)
    if held is not None:
        _print_lines(held)
    else:
        print(summary_line(f"{files} files (listed above: those with errors)", counts), file=sys.stderr)
    total = sum(counts[k] for k in ROLES)
    return {"total": total, **dict(sorted(counts.items()))}


def _print_lines(lines: Iterable[dict[str, Any]]) -> None:
    for line in lines:
        print(line["text"], file=sys.stderr)
