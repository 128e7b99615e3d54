"""Raw input shapes, one module each. Detection tries the most specific shape first.

Order: by content type (Parquet, HTML, CSV/TSV, JSON Lines, JSON documents — by file name or by their first
bytes), then the text shapes: records one a line without a header, listing pages, and — decided together
from the evidence of the whole sample (corpus.formats.shape) — article-per-line corpora, line snippets and
page dumps (which also take any other text, finding its longest run of paragraphs).
"""

from __future__ import annotations

import fnmatch

from corpus.formats.base import Format, Line, Segment, UndecodableError, detect_encoding, split_lines
from corpus.formats.fielded_lines import FieldedLines
from corpus.formats.html import Html
from corpus.formats.json_records import JsonDocument, JsonLines
from corpus.formats.line_snippets import ArticleLines, LineSnippets
from corpus.formats.listing import Listing
from corpus.formats.page_dump import PageDump
from corpus.formats.tabular import DelimitedText, ParquetRows
from corpus.registry import Registry
from corpus.sources import Source

FORMATS: Registry[Format] = Registry("format")
DETECTION_ORDER = ("parquet", "html", "csv", "jsonl", "json", "fielded_lines", "listing", "article_lines",
                   "line_snippets", "page_dump")
for _format in (ParquetRows(), Html(), DelimitedText(), JsonLines(), JsonDocument(), FieldedLines(), Listing(),
                ArticleLines(), LineSnippets(), PageDump()):
    FORMATS.add(_format.name)(_format)


def choose_format(source: Source, overrides: dict[str, str]) -> tuple[Format | None, str]:
    """The shape named for the path in params (first matching glob), else the first that detects; and why."""
    for pattern, name in overrides.items():
        if fnmatch.fnmatch(source.relative, pattern):
            return FORMATS.get(name), f"{name}: ingest.formats names it for {pattern!r}"
    for name in DETECTION_ORDER:
        if (why := FORMATS.get(name).detect(source)) is not None:
            return FORMATS.get(name), why
    return None, "no shape recognised the file"


__all__ = [
    "FORMATS", "Format", "Line", "Segment", "UndecodableError", "choose_format", "detect_encoding", "split_lines",
]
