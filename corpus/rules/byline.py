"""Byline steps: the article's bylines → publisher and reporters (names only), cut out of the text.

`byline_v1` reads the opening byline only. `byline_v2` also reads a byline a crawler left after a deck or
a caption, cuts dateline bylines anywhere in the body and the reporter's closing sign-off, takes the outlet
from a byline that names it over the page metadata's, and keeps reporters as names only.
"""

from __future__ import annotations

from corpus.fields.byline import closing_byline, closing_names, dateline_bylines, parse_byline, parse_byline_v1
from corpus.fields.reporters import reporter_names
from corpus.rules import STEPS, Draft
from corpus.rules.edits import Edit, apply, cut

LEAD_CHARS = 1_000  # a byline this near the start, after a deck or caption, is the article's own


@STEPS.add("byline_v1")
def byline_v1(draft: Draft) -> Draft:
    """Reads the opening byline into publisher and reporters (names only) and removes it from the text;
    reporters already known from the page (e.g. a `• 장병기` line) are kept, without repeats."""
    stripped = draft.text.lstrip()
    byline = parse_byline_v1(stripped)
    if byline is None:
        return draft
    reporters = tuple(dict.fromkeys((*draft.reporters, *byline.reporters)))
    text = cut(draft.text, 0, len(draft.text) - len(byline.rest))
    return draft._replace(text=text, publisher=draft.publisher or byline.publisher, reporters=reporters)


@STEPS.add("byline_v2")
def byline_v2(draft: Draft) -> Draft:
    """`byline_v1`, and: the first dateline byline near the start (after a deck or caption the crawler
    glued in front: `요약[이데일리 박지애 기자] 본문`) is read when the text does not open with one and no
    reporter is known yet; every
    dateline byline in the body (`[서울=뉴시스]홍길동 기자 =`, `(서울=연합뉴스) 홍길동 기자 =`,
    `[데일리안 = 손지연 기자]`) is cut out, a paragraph break left where text went on before it; a closing
    sign-off (`…했다.\\n\\n이영희 기자`, `/홍길동 기자 hong@…`, `KBS 뉴스 박성은입니다.`) is cut and its
    reporter kept; an outlet named by a reporter's byline is the publisher even when the page's metadata
    named another (the site that hosts a copy is not its author); reporters are names only (no 기자, no
    place, no outlet, no e-mail)."""
    text, publisher, found = draft.text, draft.publisher, list(draft.reporters)
    byline = parse_byline(text.lstrip())
    if byline is not None:
        text = cut(text, 0, len(text) - len(byline.rest))
    edits = []
    for match in dateline_bylines(text):
        if byline is None and not draft.reporters and match.start() < LEAD_CHARS:
            byline = parse_byline(text[match.start() :])
        line_start = text.rfind("\n", 0, match.start()) + 1
        goes_on = text[line_start : match.start()].strip() and text[match.end() : match.end() + 1] not in ("", "\n")
        edits.append(Edit(match.start(), match.end(), "\n" if goes_on else ""))
    text = apply(edits, text)
    if byline is not None:
        if byline.publisher and (byline.strong or not publisher):
            publisher = byline.publisher
        found += byline.reporters
    if "기자" in text[-160:] or "특파원" in text[-160:] or "입니다" in text[-40:]:
        closing = closing_byline(text)
        if closing is not None:
            outlet, names = closing_names(closing)
            found += names
            publisher = publisher or outlet
            text = cut(text, closing.start(), len(text))
    outlets = [name for name in (publisher, draft.publisher) if name]
    return draft._replace(text=text, publisher=publisher, reporters=reporter_names(found, outlets))
