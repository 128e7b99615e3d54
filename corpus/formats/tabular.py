"""Tabular exports: CSV/TSV (quoted multi-line fields, BOM), JSON Lines and Parquet, one article a row.

Columns are matched by name, case-insensitively, against `ingest.columns` in params.yaml (title, text,
date, url, section, publisher, reporters, each with its common English and Korean names).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from corpus.formats.base import Line, Segment
from corpus.formats.line_snippets import error_segment
from corpus.params import IngestParams
from corpus.sources import LineError, Source

csv.field_size_limit(16 << 20)


def column_map(names: list[str], columns: dict[str, list[str]]) -> dict[str, str]:
    """field → the file's column holding it (first accepted name present, case-insensitive)."""
    by_lower = {name.strip().lower(): name for name in names}
    found = {}
    for field_name, accepted in columns.items():
        match = next((by_lower[a.lower()] for a in accepted if a.lower() in by_lower), None)
        if match is not None:
            found[field_name] = match
    return found


def row_segment(row: dict[str, Any], mapping: dict[str, str], first: Line, last: Line, raw: str) -> Segment:
    def value(field_name: str) -> str | None:
        item = row.get(mapping.get(field_name, ""))
        return None if item is None or str(item).strip() == "" else str(item).strip()

    reporters = row.get(mapping.get("reporters", ""))
    if isinstance(reporters, str):
        reporters = [name.strip() for name in reporters.replace("·", ",").split(",") if name.strip()]
    body = row.get(mapping["text"])
    return Segment(
        first=first, last=last, body="" if body is None else str(body), role="row", raw=raw,
        title=value("title"), date_text=value("date"), url=value("url"), section=value("section"),
        publisher=value("publisher"), reporters=list(reporters or []),
    )


def _missing_text(mapping: dict[str, str], names: list[str], params: IngestParams) -> str | None:
    if "text" in mapping:
        return None
    return (f"no text column: none of {params.columns.get('text')} among the columns {names} "
            f"(map yours under ingest.columns.text)")


class DelimitedText:
    """CSV and TSV, read row by row; each row keeps the byte span of the lines it came from."""

    name = "csv"

    def detect(self, source: Source) -> bool:
        return source.suffix in (".csv", ".tsv")

    def segment(self, source: Source, params: IngestParams) -> Iterator[Segment]:
        delimiter = "\t" if source.suffix == ".tsv" else _sniff_delimiter(source)
        lines = _TrackedLines(source)
        reader = csv.reader(lines, delimiter=delimiter, strict=True)
        header = next(reader, None)
        if header is None:
            return
        mapping = column_map(header, params.columns)
        if problem := _missing_text(mapping, header, params):
            yield _span_error(lines, 1, 0, problem)
            return
        while True:
            start, first_line = lines.offset, lines.number + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                yield _span_error(lines, first_line, start, f"broken CSV at line {first_line}: {error}")
                reader = csv.reader(lines, delimiter=delimiter, strict=True)
                continue
            first = Line(first_line, start, start, "")
            last = Line(lines.number, lines.offset_without_newline, lines.offset_without_newline, "")
            raw = lines.text_since(start)
            if len(cells) != len(header):
                yield Segment(first=first, last=last, body="", raw=raw, role="row",
                              error=f"row at line {first_line} has {len(cells)} fields, header has {len(header)}")
                continue
            yield row_segment(dict(zip(header, cells, strict=True)), mapping, first, last, raw)


class JsonLines:
    """One JSON object per line."""

    name = "jsonl"

    def detect(self, source: Source) -> bool:
        if source.suffix in (".jsonl", ".ndjson"):
            return True
        first = next((line.stripped for line in source.sample_lines() if line.stripped), "")
        if not first.startswith("{"):
            return False
        try:
            return isinstance(json.loads(first), dict)
        except json.JSONDecodeError:
            return False

    def segment(self, source: Source, params: IngestParams) -> Iterator[Segment]:
        for line in source.lines():
            if isinstance(line, LineError):
                yield error_segment(line)
                continue
            if not line.stripped:
                continue
            try:
                row = json.loads(line.text)
            except json.JSONDecodeError as error:
                yield Segment(first=line, last=line, body="", raw=line.text,
                              error=f"line {line.number} is not JSON: {error.msg} at column {error.colno}")
                continue
            if not isinstance(row, dict):
                yield Segment(first=line, last=line, body="", raw=line.text,
                              error=f"line {line.number} is JSON but not an object")
                continue
            mapping = column_map(list(row), params.columns)
            if problem := _missing_text(mapping, list(row), params):
                yield Segment(first=line, last=line, body="", raw=line.text, error=f"line {line.number}: {problem}")
                continue
            yield row_segment(row, mapping, line, line, line.text)


class ParquetRows:
    """Parquet files; a row's span counts rows (row i spans i..i+1), since bytes are not row-addressable."""

    name = "parquet"
    binary = True  # not text: no encoding to detect

    def detect(self, source: Source) -> bool:
        return source.suffix == ".parquet" or source.head.startswith(b"PAR1")

    def segment(self, source: Source, params: IngestParams) -> Iterator[Segment]:
        source.stream.seek(0)
        try:
            parquet = pq.ParquetFile(source.stream)
        except (pa.ArrowInvalid, OSError) as error:
            line = Line(1, 0, source.size, "")
            yield Segment(first=line, last=line, body="", raw="", error=f"not a readable Parquet file: {error}")
            return
        names = parquet.schema_arrow.names
        mapping = column_map(names, params.columns)
        if problem := _missing_text(mapping, names, params):
            line = Line(1, 0, source.size, "")
            yield Segment(first=line, last=line, body="", raw="", error=problem)
            return
        index = 0
        for batch in parquet.iter_batches(batch_size=1024, columns=sorted(set(mapping.values()))):
            for row in batch.to_pylist():
                line = Line(index + 1, index, index + 1, "")
                raw = json.dumps(row, ensure_ascii=False, sort_keys=True, default=str)
                yield row_segment(row, mapping, line, line, raw)
                index += 1


class _TrackedLines:
    """Decoded lines for csv.reader, remembering the byte offset and line number after each."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.codec = "utf-8" if source.encoding == "utf-8-sig" else source.encoding
        self.offset = 3 if source.encoding == "utf-8-sig" else 0
        self.offset_without_newline = self.offset
        self.number = 0
        self.recent: list[tuple[int, str]] = []  # (start offset, text) of the lines read since the last row
        source.stream.seek(self.offset)

    def __iter__(self) -> _TrackedLines:
        return self

    def __next__(self) -> str:
        raw = self.source.stream.readline(self.source.params.max_line_bytes)
        if not raw:
            raise StopIteration
        text = raw.decode(self.codec, errors="replace")
        self.recent.append((self.offset, text))
        self.number += 1
        self.offset += len(raw)
        stripped = raw.rstrip(b"\r\n")
        self.offset_without_newline = self.offset - (len(raw) - len(stripped))
        return text

    def text_since(self, start: int) -> str:
        text = "".join(line for offset, line in self.recent if offset >= start)
        self.recent = []
        return text.rstrip("\r\n")


def _sniff_delimiter(source: Source) -> str:
    sample = "\n".join(line.text for line in source.sample_lines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",\t;|").delimiter
    except csv.Error:
        return ","


def _span_error(lines: _TrackedLines, first_line: int, start: int, reason: str) -> Segment:
    first = Line(first_line, start, start, "")
    last = Line(max(lines.number, first_line), lines.offset_without_newline, lines.offset_without_newline, "")
    return Segment(first=first, last=last, body="", raw=lines.text_since(start), error=reason)
