"""Cheap quality signals: character classes, sentences, paragraphs, repetition. No morphology.

Character classes are counted on the text's code points as a NumPy array (one pass, no regex).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

_SENTENCE_END = re.compile(r"[.!?。](?=[\s\"'”’)]|$)")
# Inclusive code point ranges of each class.
HANGUL = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7A3))
HANJA = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
LATIN = ((0x41, 0x5A), (0x61, 0x7A))
DIGIT = ((0x30, 0x39),)
WHITESPACE = ("\t", "\n", "\x0b", "\x0c", "\r", " ", "\x85", "\xa0", "\u3000")


def _count(points: np.ndarray, ranges: tuple[tuple[int, int], ...]) -> int:
    return int(sum(np.count_nonzero((points >= low) & (points <= high)) for low, high in ranges))


def quality_signals(text: str) -> dict[str, Any]:
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    visible = len(text) - sum(text.count(space) for space in WHITESPACE)
    paragraphs = [p for p in text.split("\n\n") if p.strip()]

    def ratio(ranges: tuple[tuple[int, int], ...]) -> float:
        return round(_count(points, ranges) / visible, 4) if visible else 0.0

    return {
        "n_chars": len(text),
        "n_sentences": len(_SENTENCE_END.findall(text)),
        "n_paragraphs": len(paragraphs),
        "hangul_ratio": ratio(HANGUL),
        "hanja_ratio": ratio(HANJA),
        "latin_ratio": ratio(LATIN),
        "digit_ratio": ratio(DIGIT),
        "dup_line_fraction": round(1 - len(set(paragraphs)) / len(paragraphs), 4) if paragraphs else 0.0,
    }
