"""pii_v1, pii_v2, pii_v3: personal data replaced by typed masks (<EMAIL>, <PHONE>, <RRN>, <CARD>, <ACCOUNT>)."""

from __future__ import annotations

import re

from corpus.rules import text_rule
from corpus.rules.edits import sub

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# Korean numbers: mobile 010/011/016-019, Seoul 02, regional 0XX, VoIP 070, and the +82 international form.
# Two patterns, each starting with a literal character so the regex engine can skip ahead (an alternation
# at the start is tried at every position, several times slower); what may not stand before a match (a
# digit or a dash, i.e. a longer number) is checked in `_unless_inside_a_number`.
_PHONE_TAIL = r"[-.\s)]\s?\d{3,4}[-.\s]\d{4}(?![\d-])"
PHONES = (
    re.compile(r"\+82[-.\s]?(?:\(0\))?\d{1,2}" + _PHONE_TAIL),
    re.compile(r"0(?:1[016789]|2|[3-6][1-5]|70)" + _PHONE_TAIL),
)
_RRN_TAIL = re.compile(r"-[1-8]\d{6}")  # starts with a literal: a fast scan says whether to look closer
RESIDENT_NUMBER = re.compile(r"\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])-[1-8]\d{6}(?!\d)")


def _unless_inside_a_number(mask: str):
    def replace(match: re.Match[str]) -> str:
        before = match.string[match.start() - 1 : match.start()]
        return match.group() if before.isdigit() or before == "-" else mask

    return replace


@text_rule("pii_v1")
def pii_v1(text: str) -> str:
    """E-mail addresses → <EMAIL>; resident registration numbers → <RRN>; Korean phone numbers
    (010-1234-5678, 02.123.4567, +82 10 1234 5678) → <PHONE>. Dates, prices and counts do not match."""
    if "@" in text:
        text = sub(EMAIL, "<EMAIL>", text)
    if _RRN_TAIL.search(text):
        text = sub(RESIDENT_NUMBER, _unless_inside_a_number("<RRN>"), text)
    for phone in PHONES:
        text = sub(phone, _unless_inside_a_number("<PHONE>"), text)
    return text


# Card numbers: 13-19 digits in groups of 4 (or 4-6-5 for AmEx) that pass the Luhn check.
CARD = re.compile(r"(?<![\d-])(?:\d{4}[- ]){3}\d{1,7}(?![\d-])|(?<![\d-])\d{4}[- ]\d{6}[- ]\d{5}(?![\d-])")
# Bank accounts: digit groups joined by dashes, only where the sentence says it is an account.
ACCOUNT = re.compile(
    r"(?P<cue>(?:계좌(?:번호)?|입금|예금주|가상계좌)[^\d\n]{0,12})(?P<number>\d{2,6}(?:-\d{2,7}){1,3})(?![\d-])"
)


def luhn_valid(number: str) -> bool:
    digits = [int(d) for d in re.sub(r"\D", "", number)][::-1]
    if not 13 <= len(digits) <= 19:
        return False
    total = sum(d if i % 2 == 0 else (d * 2 - 9 if d > 4 else d * 2) for i, d in enumerate(digits))
    return total % 10 == 0


@text_rule("pii_v2")
def pii_v2(text: str) -> str:
    """pii_v1, plus card numbers (grouped digits passing the Luhn check) → <CARD> and bank account
    numbers after an account cue (계좌, 계좌번호, 입금, 예금주) → <ACCOUNT>. Misses a 4-6-5 card number
    with a dash after its first group, or spaced but not preceded by a space (pii_v3 masks both)."""
    return _cards_and_accounts(pii_v1(text), _V2_CARD_GATES)


@text_rule("pii_v3")
def pii_v3(text: str) -> str:
    """pii_v2 that masks every card number CARD describes, 4-6-5 (AmEx) ones such as 3782-822463-10005 and
    "카드:3782 822463 10005" included."""
    return _cards_and_accounts(pii_v1(text), _CARD_GATES)


def _cards_and_accounts(text: str, card_gates: tuple[re.Pattern[str], ...]) -> str:
    if any(gate.search(text) for gate in card_gates):
        text = sub(CARD, lambda m: "<CARD>" if luhn_valid(m.group()) else m.group(), text)
    if _DASH_DIGITS.search(text) and ("계좌" in text or "입금" in text or "예금주" in text):
        text = sub(ACCOUNT, lambda m: m["cue"] + "<ACCOUNT>", text)
    return text


# Gates that start with a literal, so a fast scan rules out most texts before CARD runs; one of them matches
# wherever CARD does. 4-4-4-n: a dash before the second or third group is followed by 4 digits and a
# separator, and spaces before both give " dddd dddd". 4-6-5: the dash or space before the 6 digits
# starts the second branch of one of them. pii_v2's gates had no such branch.
_CARD_GATES = (re.compile(r"-\d{4}(?:[- ]\d|\d\d[- ]\d)"), re.compile(r" \d{4}(?: \d{4}|\d\d[- ]\d)"))
_V2_CARD_GATES = (re.compile(r"-\d{4}[- ]\d"), re.compile(r" \d{4} \d{4}"))
_DASH_DIGITS = re.compile(r"-\d\d")  # every account number has one
MASKS = ("<EMAIL>", "<PHONE>", "<RRN>", "<CARD>", "<ACCOUNT>")
