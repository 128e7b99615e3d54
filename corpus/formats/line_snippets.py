"""One article per line, often cut by the crawler at a fixed width (seeds 000 and 002)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from corpus.formats.base import Line, Segment, non_blank
from corpus.params import IngestParams

MIN_SNIPPET_CHARS = 150


class LineSnippets:
    name = "line_snippets"

    def detect(self, lines: list[Line]) -> bool:
        filled = non_blank(lines)
        return bool(filled) and all(len(line.stripped) >= MIN_SNIPPET_CHARS for line in filled)

    def segment(self, lines: list[Line], params: IngestParams) -> Iterator[Segment]:
        cut_width = fixed_cut_width(lines)
        for line in non_blank(lines):
            yield Segment(first=line, last=line, body=line.text, cut_hint=len(line.text) == cut_width)


def fixed_cut_width(lines: list[Line]) -> int | None:
    """The width the crawler cut at: the longest length, when at least two lines share it exactly."""
    lengths = Counter(len(line.text) for line in lines if line.stripped)
    if not lengths:
        return None
    width = max(lengths)
    return width if lengths[width] >= 2 else None
