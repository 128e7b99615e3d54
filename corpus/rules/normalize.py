"""normalize_v1: Unicode and typography normalization for Korean news text."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable

from corpus.rules import text_rule
from corpus.rules.edits import sub

_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_SPACES = "\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"  # tab, NBSP, typographic and ideographic spaces
# Accents and Greek tonos used by crawlers or editors as quote marks; the middle-dot family → U+00B7
# MIDDLE DOT (Korean enumerations: 공공·금융). The bullet • is left alone.
_LOOKALIKES = {"\u0384": "'", "\u00b4": "'", "`": "'", "\u2032": "'",
               "\u2027": "·", "\u30fb": "·", "\u318d": "·", "\uff65": "·", "\u2219": "·"}
# Character-level fixes, each a single character class (the regex engine scans those fast), in order.
_FIXES: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"\r\n?"), "\n"),
    (re.compile(r"[\u200b-\u200d\u2060\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]+"), ""),
    (re.compile(r"\ufffd+(?=\n|\Z)"), ""),
    (re.compile(f"[{_SPACES}]"), " "),
    (re.compile("[" + "".join(_LOOKALIKES) + "]"), lambda m: _LOOKALIKES[m.group()]),
    (re.compile(r"[\uff01-\uff5e]"), lambda m: chr(ord(m.group()) - 0xFEE0)),
    (re.compile(r" {2,}"), " "),
)
# One character class holding every character a fix starts with: a fast scan says whether to bother.
_NEEDS_FIX = re.compile(
    rf"[{_SPACES}\u200b-\u200d\u2060\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd\r"
    + "".join(_LOOKALIKES) + r"\uff01-\uff5e]| {2}"
)
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


@text_rule("normalize_v1")
def normalize_v1(text: str) -> str:
    """NFC; HTML entities decoded; tabs, NBSP and other Unicode spaces → space, and runs of spaces → one;
    zero-width and control characters dropped; quote-like accents → '; middle-dot family → ·;
    fullwidth ASCII → halfwidth; a U+FFFD left where a crawler cut a multibyte character at a line end
    dropped; CR and CRLF → LF."""
    if "&" in text:
        text = sub(_ENTITY, lambda m: html.unescape(m.group()), text)
    if _NEEDS_FIX.search(text):
        for pattern, replacement in _FIXES:
            text = sub(pattern, replacement, text)
    if not unicodedata.is_normalized("NFC", text):
        text = sub(_NON_ASCII_RUN, lambda m: unicodedata.normalize("NFC", m.group()), text)
    return text
