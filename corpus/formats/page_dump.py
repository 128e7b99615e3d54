"""Page dumps: the visible text of one article page, with menus, widgets and sidebars around it.

The main article is anchored on its dateline (`등록 2024-03-07 19:33:20`): the title is the nearest
heading above it, the body is the run of paragraphs below it. Long paragraphs elsewhere on the page
are sidebar teasers ("most read", related and section lists) and become their own segments.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from corpus.formats.base import Line, Segment, ends_like_a_sentence
from corpus.formats.shape import CHROME, DATELINE, sample_evidence
from corpus.params import IngestParams
from corpus.sources import Source

LIST_ITEM = re.compile(r"^\s+(?:[•·▪◦\-]|\d{1,2}\.)\s")
REPORTER_ITEM = re.compile(r"^\s*[•·▪]\s*(?P<name>[가-힣]{2,4})(?:\s*기자)?\s*$")
NEW_BYLINE = re.compile(r"^\s*[\[【(][^\]】)]{1,30}(?:기자|특파원|본부장|통신원)[^\]】)]*[\]】)]")
SECTION_LABEL = re.compile(r"^[가-힣·/ ]{2,10}$")
TEASER_MIN_CHARS = 80


class PageDump:
    name = "page_dump"

    def detect(self, source: Source) -> str | None:
        evidence = sample_evidence(source)
        return evidence.why if evidence.lines and evidence.shape == self.name else None

    def segment(self, source: Source, params: IngestParams) -> Iterator[Segment]:
        lines = source.all_lines()
        main = _main_article(lines, params.min_paragraph_chars)
        used = range(main.first.number, main.last.number + 1) if main else range(0)
        segments = [main] if main else []
        segments += _teasers([line for line in lines if line.number not in used])
        yield from sorted(segments, key=lambda segment: segment.first.number)


def is_chrome(line: Line) -> bool:
    return line.stripped in CHROME


def is_paragraph(line: Line, min_chars: int) -> bool:
    text = line.stripped
    if not text or LIST_ITEM.match(line.text) or is_chrome(line) or text.startswith(("▲", "▶", "△")):
        return False
    return len(text) >= min_chars or (len(text) >= 15 and ends_like_a_sentence(text))


def _main_article(lines: list[Line], min_chars: int) -> Segment | None:
    dateline_at = next((i for i, line in enumerate(lines) if DATELINE.match(line.stripped)), None)
    if dateline_at is None:
        return _longest_body(lines, min_chars)
    above = [line for line in lines[:dateline_at] if line.stripped and not is_chrome(line)]
    reporters = [m["name"] for line in above if (m := REPORTER_ITEM.match(line.text))]
    headings = [line for line in above if not LIST_ITEM.match(line.text)]
    if not headings:
        return None
    title = headings[-1]
    section = headings[-2].stripped if len(headings) > 1 and SECTION_LABEL.match(headings[-2].stripped) else None
    body = _body(lines, dateline_at + 1, min_chars)
    if not body:
        return None
    match = DATELINE.match(lines[dateline_at].stripped)
    assert match is not None
    return Segment(
        first=title,
        last=body[-1],
        body="\n".join(line.text for line in body),
        title=title.stripped,
        date_text=match["date"],
        reporters=reporters,
        section=section,
    )


def _longest_body(lines: list[Line], min_chars: int) -> Segment | None:
    """Without a dateline, the page's article is its longest run of paragraphs (plain article files too)."""
    best: list[Line] = []
    start = 0
    while start < len(lines):
        body = _body(lines, start, min_chars)
        if not body:
            break
        if sum(len(line.stripped) for line in body) > sum(len(line.stripped) for line in best):
            best = body
        start = body[-1].number  # lines are 1-based: index of the line after the run
    if not best:
        return None
    above = [line for line in lines[: best[0].number - 1] if line.stripped and not is_chrome(line)]
    heading = above[-1] if above and not LIST_ITEM.match(above[-1].text) and len(above[-1].stripped) < 80 else None
    body = "\n".join(line.text for line in lines[best[0].number - 1 : best[-1].number])
    return Segment(first=heading or best[0], last=best[-1], body=body, title=heading.stripped if heading else None)


def _body(lines: list[Line], start: int, min_chars: int) -> list[Line]:
    """Paragraphs from the first one after the dateline until a line that is not part of the article.

    A short line inside the body (a subheading) is kept when a paragraph follows it, unless that
    paragraph opens with a new byline: then the short line was the next article's headline.
    """
    first = next((i for i in range(start, len(lines)) if is_paragraph(lines[i], min_chars)), None)
    if first is None:
        return []
    body = [lines[first]]
    for i in range(first + 1, len(lines)):
        line = lines[i]
        if not line.stripped:
            continue
        if is_paragraph(line, min_chars):
            body.append(line)
            continue
        following = next((later for later in lines[i + 1 :] if later.stripped), None)
        subheading = (
            following is not None
            and not is_chrome(line)
            and not LIST_ITEM.match(line.text)
            and is_paragraph(following, min_chars)
            and not NEW_BYLINE.match(following.text)
        )
        if not subheading:
            break
        body.append(line)
    return [line for line in lines[body[0].number - 1 : body[-1].number]]


def _teasers(lines: list[Line]) -> list[Segment]:
    """Long lines outside the main article; a short heading right above one is its title."""
    teasers = []
    previous: Line | None = None
    for line in lines:
        if not line.stripped:
            continue
        if len(line.stripped) >= TEASER_MIN_CHARS and not is_chrome(line):
            has_heading = (
                previous is not None
                and not is_chrome(previous)
                and not LIST_ITEM.match(previous.text)
                and len(previous.stripped) < TEASER_MIN_CHARS
                and not SECTION_LABEL.match(previous.stripped)
                and previous.number >= line.number - 3
            )
            first = previous if has_heading and previous is not None else line
            title = previous.stripped if has_heading and previous is not None else None
            teasers.append(Segment(first=first, last=line, body=line.text, role="teaser", title=title, cut_hint=True))
        previous = line
    return teasers
