"""Cheap quality signals: character classes, sentences, paragraphs, repetition. No morphology.

Character classes are counted in one vectorized pass over the text's code points: each code point is
bucketed by `np.searchsorted` against the class boundaries, and the buckets are counted.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

_SENTENCE_END = re.compile(r"[.!?。](?=[\s\"'”’)]|$)")
WHITESPACE = ("\t", "\n", "\x0b", "\x0c", "\r", " ", "\x85", "\xa0", "\u3000")
# (first code point, one past the last, class) — sorted, non-overlapping.
CLASS_RANGES = (
    (0x30, 0x3A, "digit"), (0x41, 0x5B, "latin"), (0x61, 0x7B, "latin"),
    (0x1100, 0x1200, "hangul"), (0x3130, 0x3190, "hangul"), (0x3400, 0x4DC0, "hanja"),
    (0x4E00, 0xA000, "hanja"), (0xAC00, 0xD7A4, "hangul"), (0xF900, 0xFB00, "hanja"),
)
CLASSES = ("hangul", "hanja", "latin", "digit")
_BOUNDARIES = np.array([edge for low, high, _ in CLASS_RANGES for edge in (low, high)], dtype=np.uint32)
# searchsorted(side="right") returns 2*i+1 for a code point inside range i; even buckets are outside.
_BUCKET_CLASS = np.array([-1] + [x for _, _, name in CLASS_RANGES for x in (CLASSES.index(name), -1)])


def class_counts(text: str) -> dict[str, int]:
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    buckets = np.bincount(np.searchsorted(_BOUNDARIES, points, side="right"), minlength=len(_BUCKET_CLASS))
    inside = _BUCKET_CLASS >= 0
    totals = np.bincount(_BUCKET_CLASS[inside], weights=buckets[inside], minlength=len(CLASSES))
    return {name: int(total) for name, total in zip(CLASSES, totals, strict=True)}


# Threshold name → (signal, "min" or "max"): a document beyond a threshold is dropped with the reason.
THRESHOLDS = {
    "min_chars": ("n_chars", "min"),
    "min_sentences": ("n_sentences", "min"),
    "max_dup_line_fraction": ("dup_line_fraction", "max"),
    "min_hangul_ratio": ("hangul_ratio", "min"),
    "max_latin_ratio": ("latin_ratio", "max"),
    "max_digit_ratio": ("digit_ratio", "max"),
}


def quality_problems(signals: dict[str, Any], thresholds: dict[str, float]) -> list[str]:
    """Why a document fails the quality thresholds (empty when it passes). Unknown names are errors."""
    unknown = sorted(set(thresholds) - set(THRESHOLDS))
    if unknown:
        raise ValueError(f"unknown quality threshold(s) {unknown}; known: {sorted(THRESHOLDS)}")
    problems = []
    for name, limit in sorted(thresholds.items()):
        signal, side = THRESHOLDS[name]
        value = signals[signal]
        if (side == "min" and value < limit) or (side == "max" and value > limit):
            problems.append(f"{signal} {value} {'<' if side == 'min' else '>'} {name} {limit}")
    return problems


def quality_signals(text: str) -> dict[str, Any]:
    visible = len(text) - sum(text.count(space) for space in WHITESPACE)
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    counts = class_counts(text)

    def ratio(name: str) -> float:
        return round(counts[name] / visible, 4) if visible else 0.0

    return {
        "n_chars": len(text),
        "n_sentences": len(_SENTENCE_END.findall(text)),
        "n_paragraphs": len(paragraphs),
        "hangul_ratio": ratio("hangul"),
        "hanja_ratio": ratio("hanja"),
        "latin_ratio": ratio("latin"),
        "digit_ratio": ratio("digit"),
        "dup_line_fraction": round(1 - len(set(paragraphs)) / len(paragraphs), 4) if paragraphs else 0.0,
    }
