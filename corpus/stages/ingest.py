"""Ingest: raw files → candidate article segments with provenance, or an error row saying why not."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from corpus import __version__
from corpus.formats import Segment, UndecodableError, choose_format
from corpus.identity import article_id, segment_id
from corpus.params import IngestParams, chain_sha256
from corpus.progress import progress
from corpus.record import SEGMENT_SCHEMA
from corpus.shards import ROOT_CHAIN, ShardWriter, fresh_directory
from corpus.sources import BadSourceError, Source, open_source
from corpus.stages import StagePaths

OUTPUT = "segments"
WRITE_BATCH_ROWS = 1_000


class BadInputError(RuntimeError):
    """Raised instead of quarantining when params say `on_bad_input: error`."""


def raw_files(input_dir: Path) -> Iterator[Path]:
    """Every regular file under the input folder, in a stable order; dotfiles are not input."""
    for path in sorted(input_dir.rglob("*"), key=lambda p: p.relative_to(input_dir).as_posix()):
        relative = path.relative_to(input_dir)
        if (path.is_file() or path.is_symlink()) and not any(part.startswith(".") for part in relative.parts):
            yield path


def outside_the_input(path: Path, input_dir: Path) -> bool:
    """A symlink (or a path through one) that leads out of the input folder is refused."""
    return not path.resolve().is_relative_to(input_dir.resolve())


def read_file(path: Path, relative: str, params: IngestParams, input_dir: Path) -> Iterator[dict[str, Any]]:
    """Segment rows for one raw file; a file that cannot be read yields one error row saying why."""
    if path.is_symlink() and not path.exists():
        yield _error_row(relative, "", 0, "broken symlink")
        return
    if outside_the_input(path, input_dir):
        yield _error_row(relative, "", 0, "refused: a symlink that leads outside the input folder")
        return
    try:
        source = open_source(path, relative, params)
    except BadSourceError as error:
        yield _error_row(relative, error.sha256, path.stat().st_size, str(error))
        return
    except OSError as error:
        yield _error_row(relative, "", 0, f"unreadable: {error.strerror or error}")
        return
    try:
        shape = choose_format(source, params.formats)
        if shape is None:
            yield _error_row(relative, source.sha256, source.size, "unknown shape: no format recognised the file")
            return
        found = False
        encoding = "binary" if getattr(shape, "binary", False) else source.encoding
        for index, segment in enumerate(shape.segment(source, params)):
            found = True
            yield _segment_row(segment, source, shape.name, encoding, index)
        if not found:
            yield _error_row(relative, source.sha256, source.size, f"no article found in a {shape.name} file",
                             shape.name, encoding)
    except (UndecodableError, BadSourceError) as error:
        yield _error_row(relative, source.sha256, source.size, f"undecodable: {error}"
                         if isinstance(error, UndecodableError) else str(error))
    except Exception as error:  # a parser bug must not stop the build: the file is quarantined, and said why
        if params.on_bad_input == "error":
            raise
        yield _error_row(relative, source.sha256, source.size, f"parser failed ({type(error).__name__}): {error}")
    finally:
        source.close()


def _segment_row(segment: Segment, source: Source, shape: str, encoding: str, index: int) -> dict[str, Any]:
    start, end = segment.first.start, segment.last.end
    raw_text = segment.raw if segment.raw is not None else decode_span(source.read_bytes(), start, end, encoding)
    provenance = _provenance(source.relative, source.sha256, start, end, segment.first.number, segment.last.number,
                             shape, encoding, index, segment.role)
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
    relative: str, sha: str, size: int, reason: str, shape: str = "unknown", encoding: str = "unknown"
) -> dict[str, Any]:
    provenance = _provenance(relative, sha, 0, size, 0, 0, shape, encoding, 0, "file")
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
                shape: str, encoding: str, index: int, role: str) -> dict[str, Any]:
    return {
        "segment_id": segment_id(relative, sha, start, end),
        "source_path": relative,
        "source_sha256": sha,
        "byte_start": start,
        "byte_end": end,
        "line_start": line_start,
        "line_end": line_end,
        "source_format": shape,
        "encoding": encoding,
        "segment_index": index,
        "role": role,
        "pipeline_version": __version__,
        "params_sha256": "",
    }


def run(input_dir: Path, params: IngestParams, counts: Counter[str]) -> Iterator[dict[str, Any]]:
    """Segment rows for every raw file under input_dir; fills `counts` and reports a line per file."""
    files = list(raw_files(input_dir))  # paths only, to know the total for progress
    for path in progress(files, total=len(files), unit="file", desc="ingest"):
        relative = path.relative_to(input_dir).as_posix()
        per_file: Counter[str] = Counter()
        for row in read_file(path, relative, params, input_dir):
            if row["error"] and params.on_bad_input == "error":
                raise BadInputError(f"{relative}: {row['error']}")
            per_file["errors" if row["error"] else row["provenance"]["role"]] += 1
            counts[f"format_{row['provenance']['source_format']}"] += 1
            yield row
        counts["files"] += 1
        counts.update(per_file)
        summary = ", ".join(f"{n} {kind}" for kind, n in sorted(per_file.items()))
        print(f"ingest: {relative}: {summary}", file=sys.stderr)


def main(paths: StagePaths, params: IngestParams) -> dict[str, Any]:
    output = fresh_directory(paths.stage("ingest"))
    counts: Counter[str] = Counter()
    chain = chain_sha256(ROOT_CHAIN, params)
    with ShardWriter(output, OUTPUT, SEGMENT_SCHEMA, chain=chain) as writer:
        batch: list[dict[str, Any]] = []
        for row in run(paths.input_dir, params, counts):
            batch.append(row)
            if len(batch) >= WRITE_BATCH_ROWS:
                writer.write(batch)
                batch = []
        writer.write(batch)
    total = sum(counts[k] for k in ("article", "teaser", "listing_entry", "errors"))
    return {"total": total, **dict(sorted(counts.items()))}
