"""Cheap quality signals: character classes, sentences, paragraphs, repetition. No morphology."""

from __future__ import annotations

import re
from typing import Any

_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
_HANJA = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
_DIGIT = re.compile(r"[0-9]")
_SENTENCE_END = re.compile(r"[.!?。](?=[\s\"'”’)]|$)")
_SPACE = re.compile(r"\s")


def quality_signals(text: str) -> dict[str, Any]:
    visible = len(text) - len(_SPACE.findall(text))
    paragraphs = [p for p in text.split("\n\n") if p.strip()]

    def ratio(pattern: re.Pattern[str]) -> float:
        return round(len(pattern.findall(text)) / visible, 4) if visible else 0.0

    return {
        "n_chars": len(text),
        "n_sentences": len(_SENTENCE_END.findall(text)),
        "n_paragraphs": len(paragraphs),
        "hangul_ratio": ratio(_HANGUL),
        "hanja_ratio": ratio(_HANJA),
        "latin_ratio": ratio(_LATIN),
        "digit_ratio": ratio(_DIGIT),
        "dup_line_fraction": round(1 - len(set(paragraphs)) / len(paragraphs), 4) if paragraphs else 0.0,
    }
