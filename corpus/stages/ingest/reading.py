"""One raw file (or one part of it) → segment rows with provenance, or an error row saying why not."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from corpus import __version__
from corpus.formats import Format, Segment, UndecodableError, choose_format
from corpus.identity import article_id, segment_id
from corpus.params import IngestParams
from corpus.plumbing.parts import MisalignedPart
from corpus.rawfiles import scan_input
from corpus.sources import BadSourceError, Snapshot, Source, open_source


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
    path: Path, relative: str, params: IngestParams, input_dir: Path, taken: Snapshot | None = None,
    part: tuple[int, int] | None = None,
) -> Iterator[dict[str, Any]]:
    """Segment rows for one raw file (read from its snapshot when one was `taken`; only the records of `part`,
    a nominal byte window, when given); a file that cannot be read yields one error row saying why."""
    if taken is not None:
        yield from _source_rows(path, relative, params, taken, part)
        return
    if path.is_symlink() and not path.exists():
        yield _error_row(relative, "", 0, "broken symlink")
        return
    if outside_the_input(path, input_dir):
        yield _error_row(relative, "", 0, "refused: a symlink that leads outside the input folder")
        return
    yield from _source_rows(path, relative, params, None)


def _source_rows(path: Path, relative: str, params: IngestParams, taken: Snapshot | None,
                 part: tuple[int, int] | None = None) -> Iterator[dict[str, Any]]:
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
        if part is not None and not reads_in_parts(shape, source):
            if part[0] > 0:
                return  # the first part reads the whole file
            part = None
        source.part = part
        found = False
        encoding = "binary" if getattr(shape, "binary", False) else source.encoding
        for index, segment in enumerate(shape.segment(source, params)):
            found = True
            yield _segment_row(segment, source, shape.name, why, encoding, index)
        if not found and part is None:  # a part without records: the file is counted when all its parts are in
            yield _error_row(relative, source.sha256, source.size, f"no article found in a {shape.name} file",
                             shape.name, encoding, why)
    except (UndecodableError, BadSourceError) as error:
        yield _error_row(relative, source.sha256, source.size, f"undecodable: {error}"
                         if isinstance(error, UndecodableError) else str(error))
    except MisalignedPart:
        raise
    except Exception as error:  # a parser bug must not stop the build: the file is quarantined, and said why
        if params.on_bad_input == "error":
            raise
        yield _error_row(relative, source.sha256, source.size, f"parser failed ({type(error).__name__}): {error}")
    finally:
        source.close()


def reads_in_parts(shape: Format, source: Source) -> bool:
    """Whether several jobs can read this file at once: a shape of one record a line (or CSV row, or Parquet
    row group), stored uncompressed, in an encoding whose newline is one byte."""
    binary = getattr(shape, "binary", False)
    return (getattr(shape, "splittable", False) and source.compression is None
            and (binary or not source.encoding.replace("_", "-").startswith("utf-16")))


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
    path: Path, input_dir: Path, params: IngestParams, counts: Counter[str], taken: Snapshot | None = None,
    part: tuple[int, int] | None = None,
) -> Iterator[dict[str, Any]]:
    """Segment rows of one raw file (or of one part of it); counts its segments by role (and errors) and by
    format."""
    relative = path.relative_to(input_dir).as_posix()
    for row in read_file(path, relative, params, input_dir, taken, part):
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
