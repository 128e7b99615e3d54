"""Bylines of Korean news articles → publisher and reporters: at the opening, inside the body, at the close.

Opening forms (seen in the seeds and in real exports; `[` may be `【`):
    [뉴스21/장병기 기자]  [TV서울=심현주 서울1본부장]  [이데일리 홍길동 기자]  [세종타임즈]  [데일리안 = 손지연 기자]
    (서울=연합뉴스) 홍길동 기자 =  [서울=뉴시스]홍길동 기자 =  데일리굿타임 유종운 기자 |  [김성수 기자(=남원)(…)]
    디지털데일리 이상일기자 …  (an outlet-shaped word, a name and 기자, then the text)
A *dateline byline* — one that names a reporter inside brackets or with `=` (`[서울=뉴시스]홍길동 기자 =`,
`(서울=연합뉴스) 홍길동 기자 =`, `[데일리안 = 손지연 기자]`, `[이데일리 박지애 기자]`) — is specific enough to be found
anywhere in a body: where a crawler glued a photo caption, a deck or another article in front of the article.
Closing forms: a last paragraph or a tail `이영희 기자`, `/홍길동 기자 hong@…`, `(홍길동 기자)`,
`이보배 한경닷컴 객원기자 newsinfo@…`, and a broadcast's sign-off `KBS 뉴스 박성은입니다.`

Pure functions; the cleaning steps that use them are in corpus.rules.byline.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from corpus.fields.reporters import OUTLET_PARTS, is_person_name, reporter_names

NAME = r"[가-힣]{2,4}"
NAMES = rf"{NAME}(?:\s?[·,]\s?{NAME}|\s{NAME}(?=\s?\S*(?:기자|특파원)))*"  # 홍길동·김철수 / 신정훈 박종대 기자
TITLE = r"\S*(?:기자|본부장|특파원|통신원|선임기자|전문기자|논설위원|에디터|PD|앵커)"
OPEN, CLOSE = r"[\[【]", r"[\]】]"
_EMAIL = r"(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+|<EMAIL>)"
_ASIDES = r"(?:\s?\([^()\n]{0,40}\))*"  # `(=남원)(hong@…)` after a name and title

# byline_v1's forms, kept as they were (a step's behaviour never changes under its name).
_OUTLET_PERSON_V1 = re.compile(r"^\[(?P<left>[^\]=/]{1,20})[=/]\s*(?P<right>[^\]]{0,30})\]\s*")
_WIRE_REPORTER_V1 = re.compile(rf"^\s*(?P<name>{NAME})\s?(?:{TITLE})\s?=\s*")
_OUTLET_NAME_IN_BRACKETS_V1 = re.compile(rf"^\[(?P<outlet>\S{{1,20}})\s+(?P<name>{NAME})\s?{TITLE}\]\s*")
_OUTLET_ONLY_V1 = re.compile(r"^\[(?P<outlet>[^\]\s=/]{2,20})\]\s*")

_OUTLET_PERSON = re.compile(rf"^{OPEN}(?P<left>[^\]】=/\n]{{1,20}})[=/]\s*(?P<right>[^\]】\n]{{0,30}}){CLOSE}\s*")
_PERSON = re.compile(rf"^(?P<name>{NAME})?(?:\s*{TITLE})?\s*$")
_WIRE_REPORTER = re.compile(rf"^\s*(?P<name>{NAMES})\s?(?:{TITLE})\s?=\s*")
_PAREN_WIRE = re.compile(r"^\((?P<place>[^)=]{1,10})=(?P<outlet>[^)]{1,20})\)\s*")
_OUTLET_NAME_IN_BRACKETS = re.compile(
    rf"^{OPEN}(?P<outlet>[^\s\]】=/]{{1,20}})\s+(?P<name>{NAMES})\s?{TITLE}{CLOSE}\s*")
_REPORTER_IN_BRACKETS = re.compile(rf"^{OPEN}\s?(?P<name>{NAMES})\s?{TITLE}{_ASIDES}\s?{CLOSE}\s*")
_OUTLET_ONLY = re.compile(rf"^{OPEN}(?P<outlet>[^\]】\s=/]{{2,20}}){CLOSE}\s*")
_OUTLET_PIPE = re.compile(rf"^(?P<outlet>\S{{1,20}})\s+(?P<name>{NAME})\s?{TITLE}\s?[|｜]\s*")
_OUTLET_SPACE = re.compile(rf"^(?P<outlet>\S{{2,20}})\s+(?P<name>{NAME})\s?(?:기자|특파원)\s+(?=\S)")
# Bracketed tags that open an article but are not outlets.
_NOT_OUTLETS = frozenset({
    "단독", "속보", "종합", "포토", "사진", "영상", "인터뷰", "앵커", "기자", "리포트", "기고",
    "사설", "칼럼", "오피니언", "특집", "기획", "르포", "팩트체크", "알림", "정정보도", "반론보도",
})
# Dateline bylines, wherever they sit (they name a reporter: a bracketed word alone is not one).
DATELINE_BYLINE = re.compile(
    rf"{OPEN}[^\]】=/\n]{{1,20}}=\s?[^\]】=\n]{{1,20}}{CLOSE}\s?{NAMES}\s?{TITLE}\s?="
    rf"|\([^)=\n]{{1,10}}=[^)\n]{{1,20}}\)\s?{NAMES}\s?{TITLE}\s?="
    rf"|{OPEN}[^\]】=/\n]{{1,20}}\s?[=/]\s?{NAMES}\s?{TITLE}{_ASIDES}{CLOSE}"
    rf"|{OPEN}[^\s\]】=/\n]{{1,20}}\s{NAMES}\s?{TITLE}{CLOSE}"
    rf"|{OPEN}\s?{NAMES}\s?{TITLE}{_ASIDES}\s?{CLOSE}"
)
# A closing sign-off: the last paragraph, or glued after the last sentence.
CLOSING_BYLINE = re.compile(
    rf"(?:(?<=\n)|(?<=[.!?”\"'’)．])\s?|^)[ \t]*[/(\[【]?\s?(?:(?P<lead>[^\s\[\]()【】]{{1,20}})\s)?(?P<names>{NAMES})"
    rf"(?:\s[^\s\[\]()【】]{{1,12}})?\s?(?:{TITLE}){_ASIDES}[)\]】]?(?:\s*\(?{_EMAIL}\)?)?\s*$"
    rf"|(?:(?<=\n)|(?<=[.!?”\"'’)．])\s?)[ \t]*(?:(?P<outlet>[A-Za-z가-힣0-9]{{2,12}})\s?(?:뉴스\s)?)?"
    rf"(?P<anchor>{NAME})입니다\.?\s*$"
)


TITLE_WORDS = ("기자", "본부장", "특파원", "통신원", "논설위원", "에디터", "PD", "앵커")  # what TITLE ends in
# A title word followed by what can close a dateline byline (`=`, `]`, `】`, or `(` of asides), after one space.
_TITLE_CLOSING = re.compile(rf"(?:{'|'.join(TITLE_WORDS)}) ?[=\]】(]")
BEFORE_TITLE, AFTER_TITLE = 100, 120  # how far a dateline byline reaches on either side of its title


@functools.lru_cache(maxsize=2)
def dateline_bylines(text: str) -> tuple[re.Match[str], ...]:
    """Every DATELINE_BYLINE in `text`, as `finditer` finds them, looked for only around its title words (each
    form names a reporter with one): the full pattern, tried at every bracket of a long text, costs far more.
    The last texts' answers are kept: two cleaning steps ask in turn, about the same text ~half the time."""
    anchors = [match.start() for match in _TITLE_CLOSING.finditer(text)]
    found: list[re.Match[str]] = []
    for at in anchors:
        if found and at < found[-1].end():
            continue
        start = max(found[-1].end() if found else 0, at - BEFORE_TITLE)
        match = DATELINE_BYLINE.search(text, start, min(len(text), at + AFTER_TITLE))
        if match is not None and match.start() <= at < match.end():
            found.append(match)
    return tuple(found)





class Byline(NamedTuple):
    publisher: str | None
    reporters: tuple[str, ...]
    rest: str
    strong: bool = True  # names a reporter or a dateline, not only a bracketed word


def parse_byline_v1(text: str) -> Byline | None:
    """byline_v1's reading of the byline at the very start of `text` (its forms only)."""
    if match := _OUTLET_PERSON_V1.match(text):
        rest = text[match.end() :]
        left, right = match["left"].strip(), match["right"].strip()
        if wire := _WIRE_REPORTER_V1.match(rest):
            return Byline(right, (wire["name"],), rest[wire.end() :])
        if person := _PERSON.match(right):
            return Byline(left, (person["name"],) if person["name"] else (), rest)
        return Byline(right, (), rest)
    if match := _PAREN_WIRE.match(text):
        rest = text[match.end() :]
        wire = _WIRE_REPORTER_V1.match(rest)
        return Byline(match["outlet"].strip(), (wire["name"],) if wire else (), rest[wire.end() :] if wire else rest)
    if match := _OUTLET_NAME_IN_BRACKETS_V1.match(text):
        return Byline(match["outlet"], (match["name"],), text[match.end() :])
    if (match := _OUTLET_ONLY_V1.match(text)) and match["outlet"] not in _NOT_OUTLETS:
        return Byline(match["outlet"], (), text[match.end() :], strong=False)
    if match := _OUTLET_PIPE.match(text):
        return Byline(match["outlet"], (match["name"],), text[match.end() :])
    return None


def parse_byline(text: str) -> Byline | None:
    """The byline at the very start of `text`, or None when the text does not open with one."""
    outlet_first = _OUTLET_NAME_IN_BRACKETS.match(text)
    if outlet_first and not is_person_name(outlet_first["outlet"]):  # [이데일리 박지애 기자]
        return Byline(outlet_first["outlet"], reporter_names([f"{outlet_first['name']} 기자"]),
                      text[outlet_first.end() :])
    if match := _REPORTER_IN_BRACKETS.match(text):  # [김성수 기자(=남원)(…)], [홍길동 김철수 기자]
        return Byline(None, reporter_names([f"{match['name']} 기자"]), text[match.end() :])
    if match := _OUTLET_PERSON.match(text):
        rest = text[match.end() :]
        left, right = match["left"].strip(), match["right"].strip()
        if wire := _WIRE_REPORTER.match(rest):  # [서울=뉴시스]홍길동 기자 =
            return Byline(right, reporter_names([f"{wire['name']} 기자"]), rest[wire.end() :])
        if person := _PERSON.match(right):  # [뉴스21/장병기 기자], [TV서울=심현주 서울1본부장]
            return Byline(left, (person["name"],) if person["name"] else (), rest)
        if names := reporter_names([right]):  # [데일리안 = 손지연·홍길동 기자]
            return Byline(left, names, rest)
        return Byline(right, (), rest)  # [서울=뉴시스] without a reporter
    if match := _PAREN_WIRE.match(text):  # (서울=연합뉴스) 홍길동 기자 =
        rest = text[match.end() :]
        wire = _WIRE_REPORTER.match(rest)
        return Byline(match["outlet"].strip(), reporter_names([f"{wire['name']} 기자"]) if wire else (),
                      rest[wire.end() :] if wire else rest)
    if match := _OUTLET_NAME_IN_BRACKETS.match(text):  # [이데일리 홍길동 기자]
        return Byline(match["outlet"], reporter_names([f"{match['name']} 기자"]), text[match.end() :])
    if (match := _OUTLET_ONLY.match(text)) and match["outlet"] not in _NOT_OUTLETS:  # [세종타임즈]
        return Byline(match["outlet"], (), text[match.end() :], strong=False)
    if match := _OUTLET_PIPE.match(text):  # 데일리굿타임 유종운 기자 |
        return Byline(match["outlet"], (match["name"],), text[match.end() :])
    if (match := _OUTLET_SPACE.match(text)) and any(part in match["outlet"] for part in OUTLET_PARTS):
        return Byline(match["outlet"], (match["name"],), text[match.end() :])  # 디지털데일리 이상일기자 …
    return None


def closing_byline(text: str) -> re.Match[str] | None:
    """The reporter's sign-off that ends the text (`…했다.\\n\\n이영희 기자`, `…했다. /홍길동 기자 hong@…`,
    `KBS 뉴스 박성은입니다.`)."""
    return CLOSING_BYLINE.search(text, max(0, len(text) - 160))


def closing_names(match: re.Match[str]) -> tuple[str | None, list[str]]:
    """(outlet, names) a closing sign-off gives."""
    if match["anchor"]:
        outlet = match["outlet"]
        return (outlet if outlet and outlet not in ("지금까지", "이상") else None), [match["anchor"]]
    if reporter_names([match["names"]]) or not match["lead"]:
        return None, [f"{match['names']} 기자"]
    return None, [match["lead"]]  # `이보배 한경닷컴 객원기자`: the name came first, then the outlet
