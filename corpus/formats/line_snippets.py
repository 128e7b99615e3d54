"""One article per line: crawler snippets cut at a fixed width (seeds 000 and 002), and article-per-line
corpora whose paragraphs or sentences were joined by two spaces. Both stream line by line; which of the
text shapes a file has is decided from its whole sample (corpus.formats.shape)."""

from __future__ import annotations

from collections.abc import Iterator

from corpus.formats.base import Line, Segment
from corpus.formats.shape import sample_evidence
from corpus.params import IngestParams
from corpus.sources import LineError, Source
from corpus.text.sentences import SENTENCE_JOIN


class LineSnippets:
    name = "line_snippets"
    splittable = True  # a record a line: a part starts past any newline

    def detect(self, source: Source) -> str | None:
        evidence = sample_evidence(source)
        return evidence.why if evidence.lines and evidence.shape == self.name else None

    def segment(self, source: Source, params: IngestParams) -> Iterator[Segment]:
        cut_width = sample_evidence(source).cut_width
        for line in filled_lines(source):
            if isinstance(line, Segment):
                yield line
            else:
                yield Segment(first=line, last=line, body=self.body(line.text), raw=line.text,
                              cut_hint=len(line.text) == cut_width)

    def body(self, text: str) -> str:
        return text


class ArticleLines(LineSnippets):
    """Whole articles, one per line, paragraphs (or sentences) joined by two spaces (`…했다.  다음 문단`,
    `…했다  다음 문장`): each join becomes a paragraph break."""

    name = "article_lines"

    def body(self, text: str) -> str:
        return SENTENCE_JOIN.sub("\n", text)


def filled_lines(source: Source) -> Iterator[Line | Segment]:
    """The file's non-blank lines, streamed; a line that cannot be read comes as its error segment."""
    for line in source.lines():
        if isinstance(line, LineError):
            yield error_segment(line)
        elif line.stripped:
            yield line


def error_segment(error: LineError) -> Segment:
    line = Line(error.number, error.start, error.end, "")
    return Segment(first=line, last=line, body="", raw="", error=error.reason)
