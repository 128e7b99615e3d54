"""Ingest: raw files → candidate article segments with provenance, or an error row saying why not."""

from __future__ import annotations

import functools
import os
import sys
import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus import __version__
from corpus.errors import ParamsError, UsageError
from corpus.formats import FORMATS, Segment, UndecodableError, choose_format
from corpus.identity import article_id, segment_id
from corpus.params import IngestParams, chain_sha256
from corpus.plumbing.cache import cached, job_key
from corpus.plumbing.digests import DigestBook, Stat, file_sha256, stat_of
from corpus.plumbing.executors import current_executor
from corpus.plumbing.progress import interactive, progress
from corpus.plumbing.shards import ROOT_CHAIN, ShardWriter, fresh_directory
from corpus.plumbing.storage import AnyPath
from corpus.plumbing.units import ALONE_BYTES, Unit, plan_units
from corpus.rawfiles import RawFile, count_input, scan_input
from corpus.record import SEGMENT_SCHEMA
from corpus.sources import BadSourceError, Snapshot, Source, open_source, snapshot
from corpus.stages import StagePaths

OUTPUT = "segments"
WRITE_BATCH_ROWS = 1_000
LIST_FILES_UP_TO = 100  # a line per raw file on stderr; beyond this many files, only those with errors
REMEMBER_EVERY = 10_000  # hashed raw files written to the digest book at a time


class BadInputError(RuntimeError):
    """Raised instead of quarantining when params say `on_bad_input: error`."""


def outside_the_input(path: Path, input_dir: Path) -> bool:
    """A symlink (or a path through one) that leads out of the input folder is refused. Folders are resolved
    once each: a file that is not itself a symlink lives where its folder resolves to."""
    real = path.resolve() if path.is_symlink() else _resolved(str(path.parent)) / path.name
    return not real.is_relative_to(_resolved(str(input_dir)))


@functools.lru_cache(maxsize=4096)
def _resolved(folder: str) -> Path:
    return Path(folder).resolve()


def read_file(
    path: Path, relative: str, params: IngestParams, input_dir: Path, taken: Snapshot | None = None
) -> Iterator[dict[str, Any]]:
    """Segment rows for one raw file (read from its snapshot when one was `taken`); a file that cannot be
    read yields one error row saying why."""
    if taken is not None:
        yield from _source_rows(path, relative, params, taken)
        return
    if path.is_symlink() and not path.exists():
        yield _error_row(relative, "", 0, "broken symlink")
        return
    if outside_the_input(path, input_dir):
        yield _error_row(relative, "", 0, "refused: a symlink that leads outside the input folder")
        return
    yield from _source_rows(path, relative, params, None)


def _source_rows(path: Path, relative: str, params: IngestParams, taken: Snapshot | None) -> Iterator[dict[str, Any]]:
    try:
        source = open_source(path, relative, params, taken)
    except BadSourceError as error:
        yield _error_row(relative, error.sha256, path.stat().st_size, str(error))
        return
    except OSError as error:
        yield _error_row(relative, "", 0, f"unreadable: {error.strerror or error}")
        return
    try:
        shape, why = choose_format(source, params.formats)
        if shape is None:
            yield _error_row(relative, source.sha256, source.size, "unknown shape: no format recognised the file",
                             evidence=why)
            return
        found = False
        encoding = "binary" if getattr(shape, "binary", False) else source.encoding
        for index, segment in enumerate(shape.segment(source, params)):
            found = True
            yield _segment_row(segment, source, shape.name, why, encoding, index)
        if not found:
            yield _error_row(relative, source.sha256, source.size, f"no article found in a {shape.name} file",
                             shape.name, encoding, why)
    except (UndecodableError, BadSourceError) as error:
        yield _error_row(relative, source.sha256, source.size, f"undecodable: {error}"
                         if isinstance(error, UndecodableError) else str(error))
    except Exception as error:  # a parser bug must not stop the build: the file is quarantined, and said why
        if params.on_bad_input == "error":
            raise
        yield _error_row(relative, source.sha256, source.size, f"parser failed ({type(error).__name__}): {error}")
    finally:
        source.close()


def _segment_row(segment: Segment, source: Source, shape: str, why: str, encoding: str, index: int
                 ) -> dict[str, Any]:
    start, end = segment.first.start, segment.last.end
    raw_text = segment.raw if segment.raw is not None else decode_span(source.read_bytes(), start, end, encoding)
    provenance = _provenance(source.relative, source.sha256, start, end, segment.first.number, segment.last.number,
                             shape, why, encoding, index, segment.role)
    return {
        "segment_id": provenance["segment_id"],
        "article_id": None if segment.error else article_id(raw_text, segment.url),
        "raw_text": raw_text,
        "body": segment.body,
        "title": segment.title,
        "date_text": segment.date_text,
        "publisher": segment.publisher,
        "reporters": segment.reporters,
        "section": segment.section,
        "url": segment.url,
        "cut_hint": segment.cut_hint,
        "error": segment.error,
        "note": segment.note,
        "provenance": provenance,
    }


def decode_span(data: bytes, start: int, end: int, encoding: str) -> str:
    codec = {"utf-8-sig": "utf-8", "utf-16": "utf-16-be" if data.startswith(b"\xfe\xff") else "utf-16-le"}
    return data[start:end].decode(codec.get(encoding, encoding))


def _error_row(
    relative: str, sha: str, size: int, reason: str, shape: str = "unknown", encoding: str = "unknown",
    evidence: str = "not read as any shape",
) -> dict[str, Any]:
    provenance = _provenance(relative, sha, 0, size, 0, 0, shape, evidence, encoding, 0, "file")
    return {
        "segment_id": provenance["segment_id"],
        "article_id": None,
        "raw_text": "",
        "body": "",
        "reporters": [],
        "cut_hint": False,
        "error": reason,
        "note": None,
        "provenance": provenance,
    }


def _provenance(relative: str, sha: str, start: int, end: int, line_start: int, line_end: int,
                shape: str, evidence: str, encoding: str, index: int, role: str) -> dict[str, Any]:
    return {
        "segment_id": segment_id(relative, sha, start, end),
        "source_path": relative,
        "source_sha256": sha,
        "byte_start": start,
        "byte_end": end,
        "line_start": line_start,
        "line_end": line_end,
        "source_format": shape,
        "shape_evidence": evidence,
        "encoding": encoding,
        "segment_index": index,
        "role": role,
        "pipeline_version": __version__,
        "params_sha256": "",
    }


ROLES = ("article", "teaser", "listing_entry", "link_list", "row", "errors")  # what a segment is, or an error


def file_rows(
    path: Path, input_dir: Path, params: IngestParams, counts: Counter[str], taken: Snapshot | None = None
) -> Iterator[dict[str, Any]]:
    """Segment rows of one raw file; counts its segments by role (and errors) and by format."""
    relative = path.relative_to(input_dir).as_posix()
    for row in read_file(path, relative, params, input_dir, taken):
        if row["error"] and params.on_bad_input == "error":
            raise BadInputError(f"{relative}: {row['error']}")
        counts["errors" if row["error"] else row["provenance"]["role"]] += 1
        counts[f"format_{row['provenance']['source_format']}"] += 1
        yield row
    counts["files"] += 1


NOUNS = {"article": "articles", "teaser": "teasers", "listing_entry": "listing entries", "link_list": "link lists",
         "row": "rows", "errors": "errors"}


def summary_line(relative: str, counts: Counter[str], error: str | None = None) -> str:
    """`ingest: a.txt: 12 articles, 1 error (why the first one)`."""
    kinds = {k: n for k, n in counts.items() if k in ROLES}
    parts = [f"{n} {kind if n == 1 and kind != 'errors' else NOUNS[kind]}" if kind != "errors"
             else f"{n} {'error' if n == 1 else 'errors'}" for kind, n in sorted(kinds.items())]
    return f"ingest: {relative}: " + ", ".join(parts) + (f" ({'first: ' if kinds.get('errors', 0) > 1 else ''}"
                                                         f"{error})" if error else "")


def run(input_dir: Path, params: IngestParams, counts: Counter[str]) -> Iterator[dict[str, Any]]:
    """Segment rows for every raw file under input_dir, in one process; fills `counts`."""
    for raw in scan_input(input_dir):
        yield from file_rows(input_dir / raw.relative, input_dir, params, counts)


@dataclass(frozen=True)
class Fingerprint:
    """What the cache key knows of a raw file: its sha256, or why it will not be read at all."""

    digest: str
    snapshot: Snapshot | None = None  # the bytes hashed, for a small file (read once, not twice)
    hashed: tuple[Stat, int] | None = None  # the stat seen before hashing and when hashing began (DigestBook)


def fingerprint(path: Path, input_dir: Path, params: IngestParams, trusted: str | None = None,
                symlink: bool = True) -> Fingerprint:
    """The file's digest: `trusted` (remembered by stat, corpus.plumbing.digests) or hashed now. A small file is
    snapshotted on the way (the copy that is hashed is the copy that is read); a large one is hashed now
    and snapshotted when read. `symlink` false: the input scan found a regular file, so a trusted digest
    is taken without resolving its path; a file about to be read is checked again whatever the scan saw
    (it may have been swapped for a symlink since)."""
    try:
        check = symlink or trusted is None
        if check and path.is_symlink() and not path.exists():
            return Fingerprint("broken symlink")
        if check and outside_the_input(path, input_dir):
            return Fingerprint("outside")
        if trusted is not None:
            return Fingerprint(trusted)
        began, seen = time.time_ns(), stat_of(path)
        if seen[0] > params.max_file_bytes:
            return Fingerprint(f"too large:{seen[0]}")
        if seen[0] < ALONE_BYTES:
            try:
                taken = snapshot(path, params)
            except BadSourceError:  # grew past max_file_bytes meanwhile: read (and refused) later
                return Fingerprint("changing")
            return Fingerprint(taken.sha256, taken, (seen, began))
        return Fingerprint(file_sha256(path), None, (seen, began))
    except OSError as error:
        return Fingerprint(f"unreadable:{error.errno}")


@dataclass(frozen=True)
class IngestJob:
    unit: Unit
    input_dir: Path
    output: AnyPath
    params: IngestParams
    chain: str
    cache: str | None
    trusted: tuple[str | None, ...]  # per file of the unit: its digest remembered by stat, if any
    symlinks: tuple[bool, ...]  # per file of the unit: the input scan found a symlink


def ingest_unit(job: IngestJob) -> dict[str, Any]:
    """Segment the files of one unit into `segments-<unit>-NNNNN.parquet`, or take them from the cache.
    Returns the unit's counters, one summary line per file, and the files it hashed (for the DigestBook)."""
    paths = [job.input_dir / relative for relative in job.unit.files]
    prints = [fingerprint(path, job.input_dir, job.params, known, symlink)
              for path, known, symlink in zip(paths, job.trusted, job.symlinks, strict=True)]
    digests, snapshots = [p.digest for p in prints], [p.snapshot for p in prints]
    key = job_key("ingest", job.chain, *(f"{r}:{d}" for r, d in zip(job.unit.files, digests, strict=True)))
    try:
        result = cached("ingest", key, job.cache, job.output, [job.unit.name],
                        lambda: _ingest_unit(job, key, paths, digests, snapshots))
    finally:
        for taken in snapshots:
            if taken is not None:
                taken.copy.close()
    root = str(job.input_dir.absolute())
    hashed = [(_book_key(root, relative), *p.hashed, p.digest)
              for relative, p in zip(job.unit.files, prints, strict=True) if p.hashed]
    return {**result, "hashed": hashed}


def _ingest_unit(
    job: IngestJob, key: str, paths: list[Path], digests: list[str], snapshots: list[Snapshot | None]
) -> tuple[list[AnyPath] | None, dict[str, Any]]:
    counts: Counter[str] = Counter()
    lines, read_as = [], {}
    with ShardWriter(job.output, f"{OUTPUT}-{job.unit.name}", SEGMENT_SCHEMA, chain=job.chain, unit_key=key) as writer:
        for path, taken in zip(paths, snapshots, strict=True):
            per_file: Counter[str] = Counter()
            batch: list[dict[str, Any]] = []
            first_error = None
            for row in file_rows(path, job.input_dir, job.params, per_file, taken):
                read_as[row["provenance"]["source_path"]] = row["provenance"]["source_sha256"]
                first_error = first_error or row["error"]
                batch.append(row)
                if len(batch) >= WRITE_BATCH_ROWS:
                    writer.write(batch)
                    batch = []
            writer.write(batch)
            counts.update(per_file)
            lines.append({"text": summary_line(path.relative_to(job.input_dir).as_posix(), per_file, first_error),
                          "errors": per_file["errors"]})
    # Kept only if every file was read as it was hashed (a file rewritten meanwhile is not cached).
    unchanged = all(read_as.get(r, d) == d for r, d in zip(job.unit.files, digests, strict=True) if len(d) == 64)
    return writer.paths if unchanged else None, {"counts": dict(counts), "lines": lines}


def _book_key(root: str, relative: str) -> str:
    """A raw file's key in the digest book: its absolute path (`root`: the input folder's, as a string)."""
    return os.path.join(root, relative)


def _segments(result: dict[str, Any]) -> int:
    return sum(result["counts"].get(role, 0) for role in ROLES if role != "errors")


def _planned(input_dir: Path, book: DigestBook) -> Iterator[tuple[Unit, tuple[str | None, ...], tuple[bool, ...]]]:
    """The units, as the walk of the input reaches them, each with its files' digests remembered by stat (if
    any) and whether each is a symlink — looked up a unit at a time, so nothing is held of every raw file."""
    root = str(input_dir.absolute())
    scanned: deque[RawFile] = deque()  # found, not yet in a unit: at most a unit and one file

    def sizes() -> Iterator[tuple[str, int]]:
        for raw in scan_input(input_dir):
            scanned.append(raw)
            yield raw.relative, raw.size

    planned = False
    for unit in plan_units(sizes()):
        raws = [scanned.popleft() for _ in unit.files]
        absolute = [_book_key(root, raw.relative) for raw in raws]
        trusted = book.trusted(dict(zip(absolute, (raw.stat for raw in raws), strict=True)))
        yield unit, tuple(trusted.get(path) for path in absolute), tuple(raw.symlink for raw in raws)
        planned = True
    if not planned:
        yield Unit("00000", ()), (), ()


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
    jobs = (IngestJob(unit, paths.input_dir, output, params, chain, paths.cache, trusted, symlinks)
            for unit, trusted, symlinks in _planned(paths.input_dir, book))
    total_files = count_input(paths.input_dir) if interactive() else None  # for the bar's ETA: a walk, no stat
    counts: Counter[str] = Counter()
    hashed, files = [], 0
    held: list[dict[str, Any]] | None = []  # every file's line, until there are too many to list
    for result in progress(current_executor().map(ingest_unit, jobs), total=total_files, unit="file",
                           desc="ingest", articles=_segments, noun="segments", steps=lambda r: len(r["lines"])):
        counts.update(result["counts"])
        hashed += result["hashed"]
        if len(hashed) >= REMEMBER_EVERY:  # written as they come, not held for every raw file until the end
            book.remember(hashed)
            hashed = []
        files += len(result["lines"])
        if held is not None:
            held += result["lines"]
            if files > LIST_FILES_UP_TO:  # too many: from now on, only the files with errors
                _print_lines(line for line in held if line["errors"])
                held = None
        else:
            _print_lines(line for line in result["lines"] if line["errors"])
    book.remember(hashed)
    if held is not None:
        _print_lines(held)
    else:
        print(summary_line(f"{files} files (listed above: those with errors)", counts), file=sys.stderr)
    total = sum(counts[k] for k in ROLES)
    return {"total": total, **dict(sorted(counts.items()))}


def _print_lines(lines: Iterable[dict[str, Any]]) -> None:
    for line in lines:
        print(line["text"], file=sys.stderr)
