"""Which shape a plain-text file has, decided from the evidence of its whole sample, not vetoed by one line.

Three text shapes look alike line by line: one article per line (crawler snippets cut at a fixed width,
or whole articles with their paragraphs or sentences joined by two spaces) and a page dump (the visible
text of one article page: menus, a dateline, the article's paragraphs one per line, sidebars). What tells
them apart is the file as a whole:

- **one article per line**: most lines are long prose (several sentences), and lines carry the marks of
  whole articles — sentences joined by two spaces inside the line, an opening byline or a closing
  reporter/copyright credit on many lines, or a fixed width several lines were cut at. A few short items
  (a photo caption, a subtitle and an e-mail) do not change that.
- **a page dump**: a `등록 2024-03-07 19:33` dateline on a line of its own, menu-like short lines, and
  paragraphs of one article (short, one to three sentences) rather than whole articles.

The decision and its evidence are recorded (`ShapeEvidence.why`) in every segment's provenance, in
stats.json and in `corpus inspect`.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from corpus.sources import Line, Source
from corpus.text.sentences import SENTENCE_JOIN, sentence_ends

LineShape = Literal["line_snippets", "article_lines", "page_dump"]

DATELINE = re.compile(
    r"^(?:[•·▪]\s*)?(?:등록|입력|승인|기사입력|게재|수정)(?:일|일시)?\s*:?\s*"
    r"(?P<date>\d{4}[-./]\s?\d{1,2}[-./]\s?\d{1,2}\.?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?)"
)
# Page chrome that is never a title, section or article text.
CHROME = frozenset(
    {
        "기사 메일전송", "기사수정", "목록 바로가기", "인쇄", "더보기", "기상청 제공", "이전 기사 보기 다음 기사 보기",
        "가장 많이 본 뉴스", "가장 많이 본 뉴스더보기", "MORE NEWS", "모바일 버전 바로가기", "많이 본 뉴스",
        "관련기사", "최신뉴스", "인기기사", "공유하기", "댓글", "스크랩",
    }
)
# What opens or closes a whole article, not a paragraph: a byline (`[서울=뉴시스]홍길동 기자 =`,
# `(서울=연합뉴스) 홍길동 기자 =`, `[뉴스21/홍길동 기자]`, `매체 홍길동 기자 |`), or a reporter's sign-off or
# copyright line at its end (`홍길동 기자 hong@…`, `무단 전재 및 재배포 금지`, `ⓒ 매체`).
_OPENING_BYLINE = re.compile(
    r"^\s*(?:[\[【(][^\]】)\n]{1,40}(?:[=/]|기자|특파원|통신원)[^\]】)\n]{0,30}[\]】)]"
    r"|\S{1,20}\s+[가-힣]{2,4}\s?(?:기자|특파원)\s?[|=｜])"
)
_CLOSING_CREDIT = re.compile(
    r"(?:기자|특파원|통신원)\s*\(?[\w.+-]+@[\w-]+\.|<EMAIL>|무단\s?전재|재배포\s?금지|저작권자|[ⓒ©]|Copyright",
    re.IGNORECASE,
)
CLOSING_WINDOW = 200  # characters at the end of a line where a closing credit is looked for

LONG_PROSE_CHARS = 200  # a line this long with two sentence ends or more is long prose
MENU_CHARS = 20  # a line shorter than this without a sentence end is menu-like
DATELINE_MAX_CHARS = 60  # a dateline is a short line of its own, not the start of an article
WHOLE_ARTICLE_CHARS = 400  # median length of the long lines above which they read as whole articles
MARKED_SHARE = 1 / 3  # of the long lines carrying a join or an article mark: articles, one a line
LONG_SHARE = 0.6  # of the lines being long prose: one article a line, unless the file looks like a page
MENU_SHARE = 0.2  # of the lines being menu-like: a page
EVIDENCE_LINES = 400  # non-blank lines of the sample read for evidence: enough to see a file's shape
DATELINES_OUTWEIGHED = 4  # whole-article lines per dateline line beyond which a stray dateline is a short item


@dataclass(frozen=True)
class ShapeEvidence:
    """What the sample of a text file shows, and the shape it makes of it."""

    lines: int  # non-blank lines in the sample
    prose: int  # lines of two sentences or more
    long_prose: int  # of those, lines of LONG_PROSE_CHARS or more
    median_long_chars: int
    joined: int  # prose lines with sentences joined by two spaces inside them
    marked: int  # long lines opening with a byline or closing with a reporter or copyright credit
    menu_like: int
    datelines: int
    cut_width: int | None  # the width at least two lines were cut at, if any
    cut_lines: int

    @property
    def shape(self) -> LineShape:
        return self.decision[0]

    @property
    def why(self) -> str:
        return f"{self.shape}: {self.decision[1]} ({self.summary})"

    @property
    def summary(self) -> str:
        return (f"{self.lines} lines, {self.prose} of prose, {self.long_prose} long (median {self.median_long_chars} "
                f"chars), "
                f"{self.joined} with two-space sentence joins, {self.marked} with bylines or credits, "
                f"{self.menu_like} menu-like, {self.datelines} datelines"
                + (f", {self.cut_lines} cut at {self.cut_width} chars" if self.cut_width else ""))

    @property
    def decision(self) -> tuple[LineShape, str]:
        if self.lines <= 1:
            return "article_lines" if self.joined else "line_snippets", "a single line: one article at most"
        per_line = self._per_line()
        if self.datelines and (per_line is None or self.long_prose < DATELINES_OUTWEIGHED * self.datelines):
            return "page_dump", "a dateline on a line of its own"
        if per_line is None:
            return "page_dump", "paragraphs of one page, not whole articles one a line"
        if self.joined >= max(1, self.prose * MARKED_SHARE):
            return "article_lines", f"{per_line}; paragraphs or sentences joined by two spaces"
        return "line_snippets", per_line

    def _per_line(self) -> str | None:
        """Why the lines are whole articles, or None."""
        long = max(1, self.long_prose)
        if self.cut_width and self.cut_lines >= 2 and self.cut_lines >= self.long_prose * MARKED_SHARE:
            return f"{self.cut_lines} lines cut at the same width"
        if self.prose >= 2 and self.joined >= self.prose * MARKED_SHARE:
            return "whole articles one a line"
        if self.long_prose >= 2 and self.marked >= long * MARKED_SHARE:
            return "a byline or credit on many lines"
        mostly_long = self.long_prose >= self.lines * LONG_SHARE and self.median_long_chars >= WHOLE_ARTICLE_CHARS
        if mostly_long and self.menu_like < self.lines * MENU_SHARE:
            return "mostly long prose lines"
        return None


def line_evidence(lines: Sequence[Line]) -> ShapeEvidence:
    """The evidence of a sample's lines (complete lines only: a line cut by the sample window is not read)."""
    filled = [line.stripped for line in lines if line.stripped][:EVIDENCE_LINES]
    prose = [text for text in filled if sentence_ends(text, at_most=2) == 2]
    long_lines = [text for text in prose if len(text) >= LONG_PROSE_CHARS]
    widths = Counter(len(line.text) for line in lines[: 2 * EVIDENCE_LINES] if line.stripped)
    width = max(widths) if widths else None
    cut_width = width if width is not None and width >= 100 and widths[width] >= 2 else None
    return ShapeEvidence(
        lines=len(filled),
        long_prose=len(long_lines),
        median_long_chars=int(statistics.median(map(len, long_lines))) if long_lines else 0,
        prose=len(prose),
        joined=sum(1 for text in prose if _joined(text)),
        marked=sum(1 for text in long_lines if _OPENING_BYLINE.match(text)
                   or _CLOSING_CREDIT.search(text[-CLOSING_WINDOW:])),
        menu_like=sum(1 for text in filled if is_menu_like(text)),
        datelines=sum(1 for text in filled if len(text) <= DATELINE_MAX_CHARS and DATELINE.match(text)),
        cut_width=cut_width,
        cut_lines=widths[cut_width] if cut_width else 0,
    )


def sample_evidence(source: Source) -> ShapeEvidence:
    """The evidence of a raw file's sample, computed once per file (the three text shapes all ask)."""
    if "shape" not in source.memo:
        source.memo["shape"] = line_evidence(source.sample_lines())
    return source.memo["shape"]


def _joined(text: str) -> bool:
    return "  " in text and SENTENCE_JOIN.search(text) is not None


def is_menu_like(text: str) -> bool:
    return text in CHROME or (len(text) < MENU_CHARS and sentence_ends(text) == 0)
