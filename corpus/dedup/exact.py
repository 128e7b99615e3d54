"""Exact duplicates: the same text once case and whitespace are ignored.

Normalization for the key: the cleaned text (already NFC, masked, boilerplate-free) is case-folded and
every whitespace character is removed, so re-wrapped or re-spaced copies collide. The key is 128 bits
of its sha256 (32 hex digits): a chance collision is as unlikely as a collision of article ids.
"""

from __future__ import annotations

import hashlib


def exact_key(text: str, folded: bool = False) -> str:
    """`folded`: the text is already whitespace-folded (single spaces only), as dedup's fold leaves it."""
    if folded:  # casefold maps no character to a space: the spaces can go after it, from the bytes (faster)
        return hashlib.sha256(text.casefold().encode("utf-8").translate(None, b" ")).hexdigest()[:32]
    return hashlib.sha256("".join(text.split()).casefold().encode("utf-8")).hexdigest()[:32]
