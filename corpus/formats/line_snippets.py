"""One article per line: crawler snippets cut at a fixed width (seeds 000 and 002), and article-per-line
corpora whose paragraph breaks were replaced by two spaces. Both stream line by line."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from corpus.formats.base import Line, Segment, non_blank
from corpus.params import IngestParams
from corpus.sources import LineError, Source

MIN_SNIPPET_CHARS = 150
PARAGRAPH_JOIN = re.compile(r"(?<=[.!?\"'”’])  +(?=\S)")


class LineSnippets:
    name = "line_snippets"

    def detect(self, source: Source) -> bool:
        filled = False
        for line in source.sample_lines():
            if line.stripped:
                if len(line.stripped) < MIN_SNIPPET_CHARS:
                    return False
                filled = True
        return filled

    def segment(self, source: Source, params: IngestParams) -> Iterator[Segment]:
        cut_width = fixed_cut_width(source.sample_lines())
        for line in source.lines():
            if isinstance(line, LineError):
                yield error_segment(line)
            elif line.stripped:
                yield Segment(first=line, last=line, body=self.body(line.text), raw=line.text,
                              cut_hint=len(line.text) == cut_width)

    def body(self, text: str) -> str:
        return text


class ArticleLines(LineSnippets):
    """Whole articles, one per line, paragraphs joined by two spaces (`…했다.  다음 문단`)."""

    name = "article_lines"

    def detect(self, source: Source) -> bool:
        if not super().detect(source):
            return False
        filled = non_blank(source.sample_lines())
        joined = sum(1 for line in filled if PARAGRAPH_JOIN.search(line.text))
        return joined >= max(1, len(filled) // 3)

    def body(self, text: str) -> str:
        return PARAGRAPH_JOIN.sub("\n", text)


def fixed_cut_width(lines: list[Line]) -> int | None:
    """The width the crawler cut at: the longest length, when at least two lines share it exactly."""
    lengths = Counter(len(line.text) for line in lines if line.stripped)
    if not lengths:
        return None
    width = max(lengths)
    return width if lengths[width] >= 2 else None


def error_segment(error: LineError) -> Segment:
    line = Line(error.number, error.start, error.end, "")
    return Segment(first=line, last=line, body="", raw="", error=error.reason)
