"""Stable ids. An article id never depends on row order, file names or cleaning rules.

Recipe: the canonical key is the article's URL when the source gives one, otherwise its raw segment
text after NFC and whitespace folding (so re-wrapped or re-indented copies keep their id). The id is
the first 24 hex digits of sha256("url:" + url) or sha256("text:" + folded text).
A segment id names one span of one raw file: sha256 of "<relative path>:<file sha256>:<byte_start>:<byte_end>"
(the path is part of it, so the same file saved twice under two names gives two segments, each ledgered).
"""

from __future__ import annotations

import hashlib
import unicodedata

ID_HEX_DIGITS = 24


def fold_raw_text(text: str) -> str:
    """NFC, whitespace runs → one space, ends stripped."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    # isprintable() is false for every whitespace character but the plain space: a fast way to know
    # that only runs of plain spaces or spaces at the ends could need folding.
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())


def article_id(raw_text: str, url: str | None = None) -> str:
    key = f"url:{url}" if url else f"text:{fold_raw_text(raw_text)}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:ID_HEX_DIGITS]


def segment_id(source_path: str, source_sha256: str, byte_start: int, byte_end: int) -> str:
    key = f"{source_path}:{source_sha256}:{byte_start}:{byte_end}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:ID_HEX_DIGITS]


def fraction(key: str, salt: str = "split") -> float:
    """A number in [0, 1) that is a pure function of the key (for hash-based split assignment)."""
    digest = hashlib.sha256(f"{salt}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64
