"""Raw input shapes. Each module reads one shape; detection tries the most specific shape first."""

from __future__ import annotations

import fnmatch

from corpus.formats.base import Format, Line, Segment, UndecodableError, detect_encoding, split_lines
from corpus.formats.line_snippets import LineSnippets
from corpus.formats.listing import Listing
from corpus.formats.page_dump import PageDump
from corpus.registry import Registry

FORMATS: Registry[Format] = Registry("format")
for _format in (Listing(), LineSnippets(), PageDump()):
    FORMATS.add(_format.name)(_format)

DETECTION_ORDER = ("listing", "line_snippets", "page_dump")


def choose_format(relative_path: str, lines: list[Line], overrides: dict[str, str]) -> Format | None:
    """The shape named for the path in params (first matching glob), else the first that detects."""
    for pattern, name in overrides.items():
        if fnmatch.fnmatch(relative_path, pattern):
            return FORMATS.get(name)
    return next((FORMATS.get(n) for n in DETECTION_ORDER if FORMATS.get(n).detect(lines)), None)


__all__ = [
    "FORMATS", "Format", "Line", "Segment", "UndecodableError", "choose_format", "detect_encoding", "split_lines",
]
