"""Tabular exports: CSV/TSV (quoted multi-line fields, BOM) and Parquet, one article a row.

Columns are matched by name (corpus.formats.records); a CSV row keeps the byte span of the lines it came
from, a Parquet row its row number.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from corpus.formats.base import Line, Segment
from corpus.formats.records import column_map, missing_text, record_segment
from corpus.params import IngestParams
from corpus.plumbing.parts import MisalignedPart, Window
from corpus.sources import Source

csv.field_size_limit(16 << 20)


class DelimitedText:
    """CSV and TSV, read row by row; each row keeps the byte span of the lines it came from."""

    name = "csv"
    splittable = True  # a part starts past a newline with an even count of quotes before it

    def detect(self, source: Source) -> str | None:
        return f"csv: the file name ends in {source.suffix}" if source.suffix in (".csv", ".tsv") else None

    def segment(self, source: Source, params: IngestParams) -> Iterator[Segment]:
        delimiter = "\t" if source.suffix == ".tsv" else _sniff_delimiter(source)
        lines = _TrackedLines(source)
        reader = csv.reader(lines, delimiter=delimiter, strict=True)
        header = next(reader, None)
        if header is None:
            return
        mapping = column_map(header, params.columns)
        if problem := missing_text(mapping, header, params.columns):
            if source.part is None or source.part[0] == 0:
                yield _span_error(lines, 1, 0, problem)
            return
        lines.enter(source.window(lines.offset, quote=b'"'))
        while True:
            start, first_line = lines.offset, lines.number + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                if lines.cut_short:
                    raise MisalignedPart(f"a record crosses the end of the part at byte {lines.offset}") from None
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
            yield record_segment(dict(zip(header, cells, strict=True)), mapping, first, last, raw)


class ParquetRows:
    """Parquet files; a row's span counts rows (row i spans i..i+1), since bytes are not row-addressable."""

    name = "parquet"
    binary = True  # not text: no encoding to detect
    splittable = True  # a part reads the row groups that start in its window

    def detect(self, source: Source) -> str | None:
        if source.suffix == ".parquet":
            return "parquet: the file name ends in .parquet"
        return "parquet: the file starts with Parquet's magic bytes" if source.head.startswith(b"PAR1") else None

    def segment(self, source: Source, params: IngestParams) -> Iterator[Segment]:
        source.stream.seek(0)
        whole_file = source.part is None or source.part[0] == 0  # the part that speaks for the whole file
        try:
            parquet = pq.ParquetFile(source.stream)
        except (pa.ArrowInvalid, OSError) as error:
            if whole_file:
                line = Line(1, 0, source.size, "")
                yield Segment(first=line, last=line, body="", raw="", error=f"not a readable Parquet file: {error}")
            return
        names = parquet.schema_arrow.names
        mapping = column_map(names, params.columns)
        if problem := missing_text(mapping, names, params.columns):
            if whole_file:
                line = Line(1, 0, source.size, "")
                yield Segment(first=line, last=line, body="", raw="", error=problem)
            return
        groups, index = _row_groups(parquet.metadata, source.part)
        if not groups:
            return
        for batch in parquet.iter_batches(batch_size=1024, row_groups=groups, columns=sorted(set(mapping.values()))):
            for row in batch.to_pylist():
                line = Line(index + 1, index, index + 1, "")
                raw = json.dumps(row, ensure_ascii=False, sort_keys=True, default=str)
                yield record_segment(row, mapping, line, line, raw)
                index += 1


def _row_groups(metadata: pq.FileMetaData, part: tuple[int, int] | None) -> tuple[list[int], int]:
    """The row groups a part reads (those whose first page starts in its window) and the number of the rows
    before them."""
    every = range(metadata.num_row_groups)
    if part is None:
        return list(every), 0
    starts = [_first_page(metadata.row_group(group)) for group in every]
    chosen = [group for group in every if part[0] <= starts[group] < part[1]]
    before = sum(metadata.row_group(group).num_rows for group in every if chosen and group < chosen[0])
    return chosen, before


def _first_page(group: pq.RowGroupMetaData) -> int:
    column = group.column(0)
    return column.dictionary_page_offset if column.has_dictionary_page else column.data_page_offset


class _TrackedLines:
    """Decoded lines for csv.reader, remembering the byte offset and line number after each."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.codec = "utf-8" if source.encoding == "utf-8-sig" else source.encoding
        self.offset = 3 if source.encoding == "utf-8-sig" else 0
        self.offset_without_newline = self.offset
        self.number = 0
        self.recent: list[tuple[int, str]] = []  # (start offset, text) of the lines read since the last row
        self.end: int | None = None  # a part's end: no line from here on is read
        self.cut_short = False  # the reader was stopped at a part's end before the end of the file
        source.stream.seek(self.offset)

    def enter(self, window: Window) -> None:
        """Go on at the window's first record (after the header), and stop at its end."""
        if window.start != self.offset:
            self.offset = self.offset_without_newline = window.start
            self.number = window.first_line - 1
        self.source.stream.seek(self.offset)  # aligning the window read elsewhere in the file
        self.end = None if window.last else window.end

    def __iter__(self) -> _TrackedLines:
        return self

    def __next__(self) -> str:
        if self.end is not None and self.offset >= self.end:
            self.cut_short = True
            raise StopIteration
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
