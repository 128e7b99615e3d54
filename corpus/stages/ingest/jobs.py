"""Ingest's unit jobs: a unit's files fingerprinted, read and written as segment shards (or taken from the
cache); a large file's parts read by several jobs and put back together."""

from __future__ import annotations

import os
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus.params import IngestParams
from corpus.plumbing.cache import cached, job_key
from corpus.plumbing.digests import Stat, file_sha256, stat_of
from corpus.plumbing.parts import MisalignedPart
from corpus.plumbing.shards import SubUnitWriter
from corpus.plumbing.storage import AnyPath
from corpus.plumbing.units import ALONE_BYTES, OUTPUT_UNIT_CHARS, Unit, UnitNames
from corpus.record import SEGMENT_SCHEMA
from corpus.sources import BadSourceError, Snapshot, snapshot
from corpus.stages.ingest.reading import ROLES, file_rows, outside_the_input, summary_line

OUTPUT = "segments"


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
    stat: Stat | None = None  # of a file read in parts: its stat when it was hashed


def ingest_unit(job: IngestJob) -> dict[str, Any]:
    """Segment the files of one unit into `segments-<unit>-NNNNN.parquet`, or take them from the cache.
    Returns the unit's counters, one summary line per file, and the files it hashed (for the DigestBook)."""
    if job.unit.part is not None:
        return _ingest_part(job)
    paths = [job.input_dir / relative for relative in job.unit.files]
    prints = [fingerprint(path, job.input_dir, job.params, known, symlink)
              for path, known, symlink in zip(paths, job.trusted, job.symlinks, strict=True)]
    digests, snapshots = [p.digest for p in prints], [p.snapshot for p in prints]
    key = job_key("ingest", job.chain, *(f"{r}:{d}" for r, d in zip(job.unit.files, digests, strict=True)))
    try:
        result = cached("ingest", key, job.cache, job.output, UnitNames(job.unit.name),
                        lambda: _ingest_unit(job, key, paths, digests, snapshots))
    finally:
        for taken in snapshots:
            if taken is not None:
                taken.copy.close()
    root = str(job.input_dir.absolute())
    hashed = [(book_key(root, relative), *p.hashed, p.digest)
              for relative, p in zip(job.unit.files, prints, strict=True) if p.hashed]
    return {**result, "hashed": hashed}


def _ingest_unit(
    job: IngestJob, key: str, paths: list[Path], digests: list[str], snapshots: list[Snapshot | None]
) -> tuple[list[AnyPath] | None, dict[str, Any]]:
    counts: Counter[str] = Counter()
    lines, read_as = [], {}
    with _segment_writer(job, key) as writer:
        for path, taken in zip(paths, snapshots, strict=True):
            per_file: Counter[str] = Counter()
            first_error = None
            for row in file_rows(path, job.input_dir, job.params, per_file, taken):
                provenance = row["provenance"]
                read_as[provenance["source_path"]] = provenance["source_sha256"]
                first_error = first_error or row["error"]
                writer.add(row, len(row["raw_text"]))
            counts.update(per_file)
            lines.append({"text": summary_line(path.relative_to(job.input_dir).as_posix(), per_file, first_error),
                          "errors": per_file["errors"]})
    # Kept only if every file was read as it was hashed (a file rewritten meanwhile is not cached).
    unchanged = all(read_as.get(r, d) == d for r, d in zip(job.unit.files, digests, strict=True) if len(d) == 64)
    return writer.paths if unchanged else None, {"counts": dict(counts), "lines": lines}


def _segment_writer(job: IngestJob, key: str) -> SubUnitWriter:
    return SubUnitWriter(job.output, OUTPUT, UnitNames(job.unit.name), SEGMENT_SCHEMA, chain=job.chain, unit_key=key,
                         unit_size=OUTPUT_UNIT_CHARS)


def _ingest_part(job: IngestJob) -> dict[str, Any]:
    """One part of a large file (its digest and stat taken when it was planned): its rows, and what putting
    the file's parts back together needs (PartedFile)."""
    relative, (digest,), part = job.unit.files[0], job.trusted, job.unit.part
    assert digest is not None and job.stat is not None and part is not None
    key = job_key("ingest", job.chain, f"{relative}:{digest}", f"part:{part[0]}-{part[1]}")

    def produce() -> tuple[list[AnyPath] | None, dict[str, Any]]:
        per_file: Counter[str] = Counter()
        path, first_error, misaligned = job.input_dir / relative, None, None
        try:
            with path.open("rb") as handle, _segment_writer(job, key) as writer:
                for row in file_rows(path, job.input_dir, job.params, per_file, Snapshot(handle, digest), part):
                    first_error = first_error or row["error"]
                    writer.add(row, len(row["raw_text"]))
        except (MisalignedPart, OSError) as error:
            misaligned = str(error)
        if misaligned is None and stat_of(path) != job.stat:
            misaligned = "the file changed while its parts were read"
        result = {"counts": dict(per_file), "lines": [], "part": {
            "file": relative, "unit": job.unit.name, "last": part[1] >= job.stat[0], "first_error": first_error,
            "rows": sum(per_file[role] for role in ROLES), "read_whole": misaligned}}
        return (writer.paths if misaligned is None else None), result

    return {**cached("ingest", key, job.cache, job.output, UnitNames(job.unit.name), produce), "hashed": []}


def book_key(root: str, relative: str) -> str:
    """A raw file's key in the digest book: its absolute path (`root`: the input folder's, as a string)."""
    return os.path.join(root, relative)


class PartedFiles:
    """Puts the parts of each large file back together as their results come in (in order): one result a
    file, its segments' offsets (corpus.stages.offsets), or — when a part found its boundaries were not the
    file's record boundaries, or the file changed — the file read again, whole, by one job."""

    def __init__(self, job: IngestJob) -> None:
        self.job = job  # the fields every unit job shares
        self.offsets: dict[str, int] = {}
        self._file: dict[str, Any] | None = None

    def merge(self, result: dict[str, Any]) -> dict[str, Any] | None:
        """The result to account for; None while the file has parts to come."""
        part = result.get("part")
        if part is None:
            return result
        if self._file is None:
            self._file = {"counts": Counter(), "units": [], "rows": 0, "first_error": None, "read_whole": None}
        whole = self._file
        if whole["rows"]:
            self.offsets[part["unit"]] = whole["rows"]
        whole["counts"].update(result["counts"])
        whole["units"].append(part["unit"])
        whole["rows"] += part["rows"]
        whole["first_error"] = whole["first_error"] or part["first_error"]
        whole["read_whole"] = whole["read_whole"] or part["read_whole"]
        if not part["last"]:
            return None
        self._file = None
        if whole["read_whole"] or not whole["rows"]:
            return self._read_whole(part["file"], whole["units"])
        counts = whole["counts"]
        counts["files"] = 1
        line = summary_line(part["file"], counts, whole["first_error"])
        return {"counts": dict(counts), "hashed": [], "lines": [{"text": line, "errors": counts["errors"]}]}

    def _read_whole(self, relative: str, units: list[str]) -> dict[str, Any]:
        for unit in units:
            self.offsets.pop(unit, None)
            for shard in [*self.job.output.glob(f"{OUTPUT}-{unit}-*"), *self.job.output.glob(f"{OUTPUT}-{unit}_*")]:
                shard.unlink()
        job = self.job
        return ingest_unit(IngestJob(Unit(units[0], (relative,)), job.input_dir, job.output, job.params, job.chain,
                                     job.cache, (None,), (True,)))
