"""pii_v1: personal data replaced by typed masks (<EMAIL>, <PHONE>, <RRN>)."""

from __future__ import annotations

import re

from corpus.rules import text_rule
from corpus.rules.edits import sub

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# Korean numbers: mobile 010/011/016-019, Seoul 02, regional 0XX, VoIP 070, +82 international form.
# Patterns start with a literal character so the regex engine can skip ahead; what may not stand before
# a match (a digit or a dash, i.e. a longer number) is checked in `_unless_inside_a_number`.
PHONE = re.compile(
    r"(?:\+82[-.\s]?(?:\(0\))?\d{1,2}|0(?:1[016789]|2|[3-6][1-5]|70))[-.\s)]\s?\d{3,4}[-.\s]\d{4}(?![\d-])"
)
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
    if "-" in text:
        text = sub(RESIDENT_NUMBER, _unless_inside_a_number("<RRN>"), text)
    return sub(PHONE, _unless_inside_a_number("<PHONE>"), text)
