"""Exact duplicates: the same text once case and whitespace are ignored.

Normalization for the key: the cleaned text (already NFC, masked, boilerplate-free) is case-folded and
every whitespace character is removed, so re-wrapped or re-spaced copies collide.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import NamedTuple


def exact_key(text: str) -> str:
    return hashlib.sha256("".join(text.split()).casefold().encode("utf-8")).hexdigest()


class Candidate(NamedTuple):
    """What dedup needs to know of a record (no text)."""

    id: str
    text_key: str
    is_truncated: bool
    n_chars: int
    published_at: datetime | None
