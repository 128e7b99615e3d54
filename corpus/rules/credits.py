"""credits_v1: photo captions and credits, copyright notices and trailers, cut wherever a crawler glued them.

Exports and page copies glue what sat around the article into its text: a photo caption with its date,
the photographer's e-mail and a credit (`…찍고 있다. 2026.02.05. photo@… *재판매 및 DB 금지`, `ⓒ케이뱅크`,
`(사진=…제공)`, `/사진=뉴스1`) right before the article's dateline byline; a copyright notice and a run of
promotion links after the last sentence (`…했다.▶ 네이버에서 구독하기<ⓒ 공감언론 뉴시스통신사. 무단전재-재배포 금지>`).
Cut, precisely and audited:

- a **caption before the article**: the text before a dateline byline (`[서울=뉴시스]이름 기자 =`) when it ends
  in a photo credit, from the caption's own byline if it has one, else from its line's start — it precedes
  the article's first word, so no body sentence is in it; a caption line ending in a credit right before a
  line that opens with a dateline byline;
- a **copyright notice**, from its mark (`저작권자`, `Copyright`, `ⓒ`/`©` with a year, `무단 전재`) to its end
  (its closing bracket, the last `금지`/`reserved` of the notice, or the end of the line); the outlet it names
  becomes the publisher when nothing else named one;
- a **photo credit** left anywhere else: `*재판매 및 DB 금지` with the caption's date and e-mail before it, a
  caption's date and e-mail alone, `(사진=…)`, `[사진 제공=…]`, `[사진 연합뉴스]`, `/사진=뉴스1`, `ⓒ매체`;
- a **trailer** after the last sentence of a line: promotion links (`▶ 구독하기▶ …`), `☞매체 e-mail`;
- the reporter's **e-mail** left after the last sentence of a line or on a line of its own.

Only the fragments go: the sentences around them stay, so the line-level rules never drop a body paragraph
for the credit glued to it.
"""

from __future__ import annotations

import re

from corpus.fields.byline import NAME, dateline_bylines
from corpus.rules import STEPS, Draft
from corpus.rules.edits import Edit, apply, sub

_EMAIL = r"(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+|<EMAIL>)"
_DATE = r"\d{4}\.\s?\d{1,2}\.\s?\d{1,2}\.?"
_CREDIT_WORDS = r"(?:사진|사진\s?제공|자료|자료\s?제공|제공|그래픽|영상|출처|사진\s?출처|일러스트)"
# Each form of photo credit with the literals one of which it must hold: the pattern runs only on texts that have
# one (most texts have none, and a pattern that opens with optional parts is tried at every position); a pattern
# that opens with a character class needs none.
PHOTO_CREDITS = (
    (("재판매",), re.compile(rf"(?:{_DATE}\s*)?(?:{_EMAIL}\s*)?\*?\s?재판매\s?및\s?DB\s?금지")),
    (("@", "<EMAIL>"), re.compile(rf"{_DATE}\s*{_EMAIL}")),  # a caption's stamp: date, photographer's e-mail
    ((), re.compile(rf"[(\[]\s?{_CREDIT_WORDS}(?:\s?[=:]\s?|\s)[^)\]\n]{{1,40}}[)\]]")),
    (("/",), re.compile(rf"/\s?{_CREDIT_WORDS}\s?=\s?\S{{1,20}}?(?=\s|$|{NAME}\s?(?:\S{{1,12}}\s)?\S*기자)")),
    (("ⓒ", "©"), re.compile(r"[ⓒ©]\s?(?!\d)[^\s\[\]()<>.,·?]{1,20},?")),  # ⓒ and whose photo it is
)
# A camera or editing credit ending a broadcast script: `촬영기자:홍기석`.
CAMERA_CREDIT = re.compile(rf"\s?(?:촬영|영상|사진|편집|그래픽|영상편집|촬영기자|영상취재)\s?(?:기자)?\s?[:：]\s?{NAME}"
                           rf"(?:\s?[·,/]\s?{NAME})*\s*$")
NOTICE_CUES = ("저작권", "Copyright", "copyright", "COPYRIGHT", "ⓒ", "©", "무단")
COPYRIGHT_NOTICE = re.compile(
    r"/?\s?[<\[(【]\s?(?:저작권자|Copyright|[ⓒ©]|무단\s?전재)[^>\])】\n]{0,160}[>\])】]"
    r"|/?\s?(?:저작권자\s?[ⓒ©(]|Copyright\s?[ⓒ©(]?|[ⓒ©]\s?(?:\d{4}|[^\s]{1,20}\s?\d{4}))[^\n]{0,160}?"
    r"(?:금지|reserved)[.)]?"
    r"|/?\s?(?:저작권자\s?[ⓒ©(]|Copyright\s?[ⓒ©(]|[ⓒ©]\s?\d{4})[^\n]{0,160}"
    r"|[ⓒ©]\s?[^\s<>]{1,20}(?:\s?&\s?\S{1,30})?,?\s?무단\s?전재[^\n]{0,60}?금지"
    r"|무단\s?전재\s?(?:및|&|,|·|-)?\s?재배포\s?(?:및\s?AI\s?학습\s?(?:이용|활용)?\s?)?금지"
    r"(?:[,.]?\s?AI\s?학습[^\n]{0,30}?금지)?",
    re.IGNORECASE,
)
NOTICE_OUTLET = re.compile(
    r"(?:저작권자|Copyright)s?\s?[ⓒ©]?\s?(?:\(c\)\s?)?(?:\d{4}(?:[-~]\d{4})?\s)?(?P<a>[^\s,.<>&/()\[\]ⓒ©]{2,20})"
    r"(?![^\s,.<>&/()\[\]ⓒ©])(?!\.(?:com|co|kr|net|org))"
    r"|[ⓒ©]\s?(?:\d{4}(?:[-~]\d{4})?\s)?(?P<b>[^\s,.<>&/()\[\]ⓒ©]{2,20})(?![^\s,.<>&/()\[\]ⓒ©])(?!\.(?:com|co|kr|net|org))"
    r"(?=[^\n]{0,40}(?:무단|금지|reserved))",
    re.IGNORECASE,
)
# A source line ending the text: `[출처] 대한민국 정책브리핑(www.korea.kr)`, `출처: …` — the publisher if none is known.
SOURCE_LINE = re.compile(r"[\[【(]?출처[\]】)]?\s?[:：]?\s?(?P<outlet>[^\n()]{2,30}?)\s?(?:\([^)\n]*\))?\s*$")
TRAILER = re.compile(rf"(?:\s*[▶☞][^▶☞\n]{{1,60}}?)+(?:\s*{_EMAIL})?\s*(?=\n|$)")
SIGN_OFF_EMAIL = re.compile(rf"(?:(?<=[.!?”\"'’)．])[ \t]*|(?:^|(?<=\n))[ \t]*)[(\[<]?{_EMAIL}[)\]>]?[ \t]*(?=\n|$)")
_DOMAIN = re.compile(r"\.(?:com|net|kr|co|org)$|^www", re.IGNORECASE)


@STEPS.add("credits_v1")
def credits_v1(draft: Draft) -> Draft:
    """Cuts photo captions glued before the article's byline, copyright notices, photo credits, trailers of
    promotion links and stray e-mails wherever they sit in the body (`… *재판매 및 DB 금지[서울=뉴시스]`,
    `ⓒ케이뱅크[데일리안 = …]`, `/<저작권자 ⓒ …>`, `▶ 구독하기`), keeping every sentence around them; the outlet a
    copyright notice names is the publisher when nothing else named one."""
    text = draft.text
    bylines = dateline_bylines(text)
    if bylines:
        text = apply(_captions_before_bylines(text, bylines), text)
    noticed = any(cue in text for cue in NOTICE_CUES)
    publisher = draft.publisher or (_notice_outlet(text) if noticed else None)
    if "출처" in text[-80:] and (source := SOURCE_LINE.search(text, max(0, len(text) - 80))):
        publisher = publisher or source["outlet"].strip()
        text = apply([Edit(source.start(), len(text), "")], text)
    if noticed:
        text = sub(COPYRIGHT_NOTICE, "", text)
    text = sub(TRAILER, "", text) if "▶" in text or "☞" in text else text
    for cues, credit in PHOTO_CREDITS:
        if not cues or any(cue in text for cue in cues):
            text = sub(credit, _apart, text)
    if (":" in text[-60:] or "：" in text[-60:]) and (camera := CAMERA_CREDIT.search(text, max(0, len(text) - 80))):
        text = apply([Edit(camera.start(), len(text), "")], text)
    if "@" in text or "<EMAIL>" in text:
        text = sub(SIGN_OFF_EMAIL, "", text)
    return draft._replace(text=text, publisher=publisher)


def _apart(match: re.Match[str]) -> str:
    """A credit glued between two words leaves a space, not the words glued (`비닐하우스(사진=…)농경지는`)."""
    before, after = match.string[match.start() - 1 : match.start()], match.string[match.end() : match.end() + 1]
    return " " if before and after and not before.isspace() and not after.isspace() else ""


def _notice_outlet(text: str) -> str | None:
    """The outlet a copyright notice names (`ⓒ 한국경제 & hankyung.com`, `저작권자 © TV서울`), not a domain."""
    for match in NOTICE_OUTLET.finditer(text):
        outlet = (match["a"] or match["b"] or "").removeprefix("㈜").removeprefix("(주)").removesuffix("(주)")
        if outlet and not _DOMAIN.search(outlet) and not outlet.isdigit() and outlet not in ("무단전재", "무단"):
            return outlet
    return None


def _captions_before_bylines(text: str, bylines: tuple[re.Match[str], ...]) -> list[Edit]:
    """A caption is the text before a dateline byline on its line (from the caption's own byline, if it has one)
    or the line before one that opens with it, when that text ends in a photo credit."""
    edits: list[Edit] = []
    for number, byline in enumerate(bylines):
        line_start = text.rfind("\n", 0, byline.start()) + 1
        before = text[line_start : byline.start()]
        if before.strip():
            if _ends_in_credit(before):
                own = [b.start() for b in bylines[:number] if b.start() >= line_start]
                start = own[-1] if own else line_start
                if not edits or edits[-1].end <= start:
                    edits.append(Edit(start, byline.start(), ""))
            continue
        previous_start = text.rfind("\n", 0, max(line_start - 1, 0)) + 1
        previous = text[previous_start : max(line_start - 1, 0)]
        if line_start and previous.strip() and _ends_in_credit(previous) and (
                not edits or edits[-1].end <= previous_start):
            edits.append(Edit(previous_start, line_start, ""))
    return edits


def _ends_in_credit(text: str) -> bool:
    """Ends in a photo credit, or in a caption's date stamp alone (`…사살돼 누워있다. 2021.7.6.`)."""
    tail = text.rstrip()
    if _STAMP_END.search(tail):
        return True
    return any(match.end() == len(tail) for _, credit in PHOTO_CREDITS
               for match in credit.finditer(tail, max(0, len(tail) - 120)))


_STAMP_END = re.compile(rf"(?<=[.다])\s*{_DATE}$")
