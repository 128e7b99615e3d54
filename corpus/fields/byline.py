"""byline_v1: the opening byline of a Korean news article → publisher, reporters, and the body without it.

Forms (all seen in the seeds or in Korean wire copy):
    [뉴스21/장병기 기자]  [TV서울=심현주 서울1본부장]  [이데일리 홍길동 기자]  [세종타임즈]
    (서울=연합뉴스) 홍길동 기자 =  [서울=뉴시스]홍길동 기자 =  데일리굿타임 유종운 기자 |
"""

from __future__ import annotations

import re
from typing import NamedTuple

from corpus.rules import STEPS, Draft
from corpus.rules.edits import cut

NAME = r"[가-힣]{2,4}"
TITLE = r"\S*(?:기자|본부장|특파원|통신원|선임기자|전문기자|논설위원|에디터|PD|앵커)"
_OUTLET_PERSON = re.compile(r"^\[(?P<left>[^\]=/]{1,20})[=/]\s*(?P<right>[^\]]{0,30})\]\s*")
_PERSON = re.compile(rf"^(?P<name>{NAME})?(?:\s*{TITLE})?\s*$")
_WIRE_REPORTER = re.compile(rf"^\s*(?P<name>{NAME})\s?(?:{TITLE})\s?=\s*")
_PAREN_WIRE = re.compile(r"^\((?P<place>[^)=]{1,10})=(?P<outlet>[^)]{1,20})\)\s*")
_OUTLET_NAME_IN_BRACKETS = re.compile(rf"^\[(?P<outlet>\S{{1,20}})\s+(?P<name>{NAME})\s?{TITLE}\]\s*")
_OUTLET_ONLY = re.compile(r"^\[(?P<outlet>[^\]\s=/]{2,20})\]\s*")
_OUTLET_PIPE = re.compile(rf"^(?P<outlet>\S{{1,20}})\s+(?P<name>{NAME})\s?{TITLE}\s?[|｜]\s*")
# Bracketed tags that open an article but are not outlets.
_NOT_OUTLETS = frozenset({
    "단독", "속보", "종합", "포토", "사진", "영상", "인터뷰", "앵커", "기자", "리포트", "기고",
    "사설", "칼럼", "오피니언", "특집", "기획", "르포", "팩트체크", "알림", "정정보도", "반론보도",
})


class Byline(NamedTuple):
    publisher: str | None
    reporters: tuple[str, ...]
    rest: str


def parse_byline(text: str) -> Byline | None:
    """The byline at the very start of `text`, or None when the text does not open with one."""
    if match := _OUTLET_PERSON.match(text):
        rest = text[match.end() :]
        left, right = match["left"].strip(), match["right"].strip()
        if wire := _WIRE_REPORTER.match(rest):  # [서울=뉴시스]홍길동 기자 =
            return Byline(right, (wire["name"],), rest[wire.end() :])
        if person := _PERSON.match(right):  # [뉴스21/장병기 기자], [TV서울=심현주 서울1본부장]
            return Byline(left, (person["name"],) if person["name"] else (), rest)
        return Byline(right, (), rest)  # [서울=뉴시스] without a reporter
    if match := _PAREN_WIRE.match(text):  # (서울=연합뉴스) 홍길동 기자 =
        rest = text[match.end() :]
        wire = _WIRE_REPORTER.match(rest)
        return Byline(match["outlet"].strip(), (wire["name"],) if wire else (), rest[wire.end() :] if wire else rest)
    if match := _OUTLET_NAME_IN_BRACKETS.match(text):  # [이데일리 홍길동 기자]
        return Byline(match["outlet"], (match["name"],), text[match.end() :])
    if (match := _OUTLET_ONLY.match(text)) and match["outlet"] not in _NOT_OUTLETS:  # [세종타임즈]
        return Byline(match["outlet"], (), text[match.end() :])
    if match := _OUTLET_PIPE.match(text):  # 데일리굿타임 유종운 기자 |
        return Byline(match["outlet"], (match["name"],), text[match.end() :])
    return None


@STEPS.add("byline_v1")
def byline_v1(draft: Draft) -> Draft:
    """Reads the opening byline into publisher and reporters (names only) and removes it from the text;
    reporters already known from the page (e.g. a `• 장병기` line) are kept, without repeats."""
    stripped = draft.text.lstrip()
    byline = parse_byline(stripped)
    if byline is None:
        return draft
    reporters = tuple(dict.fromkeys((*draft.reporters, *byline.reporters)))
    text = cut(draft.text, 0, len(draft.text) - len(byline.rest))
    return draft._replace(text=text, publisher=draft.publisher or byline.publisher, reporters=reporters)
