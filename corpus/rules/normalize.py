"""normalize_v1: Unicode and typography normalization for Korean news text."""

from __future__ import annotations

import html
import re
import unicodedata

from corpus.rules import text_rule

# Spaces that are not U+0020: NBSP, en/em/thin/hair spaces, ideographic space, zero-width ones.
_ODD_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Accents and Greek tonos used by crawlers or editors as quote marks; the middle-dot family → U+00B7
# MIDDLE DOT (Korean enumerations: 공공·금융). The bullet • is left alone.
_LOOKALIKES = {"\u0384": "'", "\u00b4": "'", "`": "'", "\u2032": "'",
               "\u2027": "·", "\u30fb": "·", "\u318d": "·", "\uff65": "·", "\u2219": "·"}
_LOOKALIKE = re.compile("[" + "".join(_LOOKALIKES) + "]")
_FULLWIDTH_ASCII = re.compile(r"[\uff01-\uff5e]")
_SPACE_RUN = re.compile(r" {2,}")
_TRAILING_REPLACEMENT = re.compile(r"\ufffd+$", re.MULTILINE)


@text_rule("normalize_v1")
def normalize_v1(text: str) -> str:
    """NFC; HTML entities decoded; odd spaces → space; zero-width and control characters dropped;
    quote-like accents → '; middle-dot family → ·; fullwidth ASCII → halfwidth; a U+FFFD left where
    a crawler cut a multibyte character at a line end dropped; runs of spaces and tabs → one space."""
    if "&" in text:
        text = html.unescape(text)
    text = _ZERO_WIDTH.sub("", text)
    text = _ODD_SPACES.sub(" ", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text.replace("\t", " "))
    text = _LOOKALIKE.sub(lambda m: _LOOKALIKES[m.group()], text)
    text = _FULLWIDTH_ASCII.sub(lambda m: chr(ord(m.group()) - 0xFEE0), text)
    text = _TRAILING_REPLACEMENT.sub("", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return _SPACE_RUN.sub(" ", text)
