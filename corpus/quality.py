"""Cheap quality signals: character classes, sentences, paragraphs, repetition. No morphology.

Everything but the paragraph split comes from one vectorized pass over the text's code points: a lookup
table gives each code point its class (script, counted whitespace, sentence-ending mark), the classes are
counted with `np.bincount`, and a sentence end is a mark whose next code point may follow one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from corpus.language import identify
from corpus.text.sentences import (
    BULLETS,
    CLOSING_QUOTES,
    FINAL_ENDINGS,
    POLITE_YO_AFTER,
    SENTENCE_MARKS,
    bullet_statements,
    ends_like_a_sentence,
)

CLASSES = ("hangul", "hanja", "latin", "digit", "kana")
RATIOS = ("hangul", "hanja", "latin", "digit")  # published as quality.<class>_ratio; kana is for language ID
# (first code point, one past the last, class) — sorted, non-overlapping.
CLASS_RANGES = (
    (0x30, 0x3A, "digit"),
    (0x41, 0x5B, "latin"),
    (0x61, 0x7B, "latin"),
    (0x1100, 0x1200, "hangul"),
    (0x3040, 0x3100, "kana"),
    (0x3130, 0x3190, "hangul"),
    (0x31F0, 0x3200, "kana"),
    (0x3400, 0x4DC0, "hanja"),
    (0x4E00, 0xA000, "hanja"),
    (0xAC00, 0xD7A4, "hangul"),
    (0xF900, 0xFB00, "hanja"),
    (0xFF66, 0xFFA0, "kana"),
)
# Not counted as visible characters (the ratios' denominator).
WHITESPACE = ("\t", "\n", "\x0b", "\x0c", "\r", " ", "\x85", "\xa0", "\u3000")
# A sentence ends at one of these marks when whitespace, a closing quote or bracket, or the end follows;
# or at a Korean final ending with no mark after it (corpus.text.sentences).
SENTENCE_FOLLOWERS = CLOSING_QUOTES

_OTHER, _SPACE, _MARK = len(CLASSES), len(CLASSES) + 1, len(CLASSES) + 2
_N_CLASSES = _MARK + 1
_N_CODES = 0x110000


def _class_table() -> np.ndarray:
    table = np.full(_N_CODES, _OTHER, dtype=np.uint8)
    for low, high, name in CLASS_RANGES:
        table[low:high] = CLASSES.index(name)
    table[[ord(c) for c in WHITESPACE]] = _SPACE
    table[[ord(c) for c in SENTENCE_MARKS]] = _MARK
    return table


def _follower_table() -> np.ndarray:
    table = np.zeros(_N_CODES, dtype=bool)
    table[[c for c in range(0x3001) if chr(c).isspace()]] = True  # every str.isspace() code point is below
    table[[ord(c) for c in SENTENCE_FOLLOWERS]] = True
    return table


def _table(characters: str) -> np.ndarray:
    table = np.zeros(_N_CODES, dtype=bool)
    table[[ord(c) for c in characters]] = True
    return table


_CLASS_OF = _class_table()
_MAY_FOLLOW_A_MARK = _follower_table()
_SPACE_AFTER = _follower_table() & ~_table(SENTENCE_FOLLOWERS)
_CLOSING = _table(SENTENCE_FOLLOWERS)
_FINAL_ENDING = _table(FINAL_ENDINGS)
_YO = _table("요")
_ENDS_OR_YO = _FINAL_ENDING | _YO  # one lookup over every code point finds both
_BEFORE_YO = _table(POLITE_YO_AFTER)
_SYLLABLE = np.zeros(_N_CODES, dtype=bool)
_SYLLABLE[0xAC00:0xD7A4] = True


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def class_counts(text: str) -> dict[str, int]:
    counts = np.bincount(_CLASS_OF[_code_points(text)], minlength=_N_CLASSES)
    return {name: int(counts[i]) for i, name in enumerate(CLASSES)}


# Threshold name → (signal, "min" or "max"): a document beyond a threshold is dropped with the reason.
THRESHOLDS = {
    "min_chars": ("n_chars", "min"),
    "min_sentences": ("n_sentences", "min"),
    # not a threshold of its own: a text this long (up to UNENDED_MAX_CHARS) is prose cut before its first
    # sentence ended (a crawler's fixed-width snippet), not a fragment, whatever min_sentences says
    "unended_min_chars": ("n_chars", "exempts"),
    "max_dup_line_fraction": ("dup_line_fraction", "max"),
    "min_hangul_ratio": ("hangul_ratio", "min"),
    "max_latin_ratio": ("latin_ratio", "max"),
    "max_digit_ratio": ("digit_ratio", "max"),
}


UNENDED_MAX_CHARS = 400  # a first sentence is rarely longer: a longer text without a sentence end is not prose


def quality_problems(signals: dict[str, Any], thresholds: dict[str, float]) -> list[str]:
    """Why a document fails the quality thresholds (empty when it passes). Unknown names are errors."""
    unknown = sorted(set(thresholds) - set(THRESHOLDS))
    if unknown:
        raise ValueError(f"unknown quality threshold(s) {unknown}; known: {sorted(THRESHOLDS)}")
    problems = []
    prose = thresholds.get("unended_min_chars", float("inf")) <= signals["n_chars"] <= UNENDED_MAX_CHARS
    for name, limit in sorted(thresholds.items()):
        signal, side = THRESHOLDS[name]
        if side == "exempts" or (name == "min_sentences" and prose):
            continue
        value = signals[signal]
        if (side == "min" and value < limit) or (side == "max" and value > limit):
            problems.append(f"{signal} {value} {'<' if side == 'min' else '>'} {name} {limit}")
    return problems


# A photo item: its headline says so (`[포토] …`, `포토 …` where a crawler dropped the brackets, `… 포토뉴스`), or
# a short text of one or two sentences describes a photo (`…기념촬영을 하고 있다.`).
_PHOTO_TITLE = re.compile(r"^\s*(?:[\[(【<]\s?(?:포토|사진|화보|포토뉴스|영상|카메라뉴스)\s?[\])】>]"
                          r"|포토\s|사진\s|화보\s)"
                          r"|(?:포토뉴스|\(사진\)|\[사진\]|\[포토\])\s*$")
_CAPTION_CUE = re.compile(r"기념\s?촬영|기념\s?사진|포즈를\s?취하|사진을\s?찍|포토존|촬영하고\s?있다|^\s*[▲△]")
PHOTO_ITEM_CHARS = 600  # a tagged photo item is its caption and a few lines
CAPTION_CHARS = 300  # an untagged caption is shorter still


def photo_item(title: str | None, text: str, n_sentences: int) -> str | None:
    """Why the item is a photo with its caption rather than an article (None when it is an article). An untagged
    text counts only when it is whole: a snippet cut after a caption-like lead is an article's opening."""
    if title and _PHOTO_TITLE.search(title) and len(text) <= PHOTO_ITEM_CHARS:
        return f"a photo item (its headline {title[:40]!r} says so) with {len(text)} characters of caption"
    whole = ends_like_a_sentence(text)
    if whole and len(text) <= CAPTION_CHARS and n_sentences <= 2 and _CAPTION_CUE.search(text):
        return f"a photo caption of {n_sentences} sentence(s) and {len(text)} characters, not an article"
    return None


def quality_signals(text: str) -> dict[str, Any]:
    return quality_signals_batch([text])[0]


def quality_signals_batch(texts: Sequence[str]) -> list[dict[str, Any]]:
    """The signals of many texts from one pass over all their code points (per-text NumPy calls would cost
    more than the counting itself)."""
    if not texts:
        return []
    n = len(texts)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=n)
    ends = np.cumsum(lengths)
    points = _code_points("".join(texts))
    classes = _CLASS_OF[points]
    doc = np.repeat(np.arange(n), lengths)
    counts = np.bincount(doc * _N_CLASSES + classes, minlength=n * _N_CLASSES).reshape(n, _N_CLASSES)
    marks = np.flatnonzero(classes == _MARK)
    mark_doc = doc[marks]
    followed = marks + 1 < ends[mark_doc]
    sentence_ends = np.bincount(mark_doc[followed], weights=_MAY_FOLLOW_A_MARK[points[marks[followed] + 1]],
                                minlength=n).astype(np.int64)
    ends_on_a_mark = np.bincount(mark_doc[~followed], minlength=n) > 0
    sentence_ends += _unpunctuated_ends(points, doc, ends, lengths, n)
    visible = lengths - counts[:, _SPACE]
    return [_signals(text, int(visible[i]), counts[i], int(sentence_ends[i] + ends_on_a_mark[i]))
            for i, text in enumerate(texts)]


def _unpunctuated_ends(points: np.ndarray, doc: np.ndarray, ends: np.ndarray, lengths: np.ndarray, n: int
                       ) -> np.ndarray:
    """Per text, the sentences that end in a Korean final ending with no mark after it: the ending after a
    Hangul syllable (요 after a polite-ending syllable), then whitespace or the end, or a closing quote and
    then whitespace or the end."""
    at = np.flatnonzero(_ENDS_OR_YO[points])
    if not len(at):
        return np.zeros(n, dtype=np.int64)
    owner = doc[at]
    first = ends[owner] - lengths[owner]
    previous = np.where(at > first, points[np.maximum(at - 1, 0)], 0)
    after = np.where(_YO[points[at]], _BEFORE_YO[previous], _SYLLABLE[previous])

    def following(offset: int) -> tuple[np.ndarray, np.ndarray]:
        """Whether the text goes on `offset` code points after the ending, and the code point there (0 if not)."""
        inside = at + offset < ends[owner]
        return inside, np.where(inside, points[np.minimum(at + offset, len(points) - 1)], 0)

    goes_on, next_point = following(1)
    then_on, then_point = following(2)
    closed = goes_on & _CLOSING[next_point] & (~then_on | _SPACE_AFTER[then_point])
    ended = after & (~goes_on | _SPACE_AFTER[next_point] | closed)
    return np.bincount(owner[ended], minlength=n).astype(np.int64)


def _signals(text: str, visible: int, counts: np.ndarray, n_sentences: int) -> dict[str, Any]:
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    if any(p.lstrip()[:1] in BULLETS for p in paragraphs):
        n_sentences += bullet_statements([p.strip() for p in paragraphs])

    def ratio(name: str) -> float:
        return round(int(counts[CLASSES.index(name)]) / visible, 4) if visible else 0.0

    language, language_score = identify(text, {name: int(counts[i]) for i, name in enumerate(CLASSES)})
    return {
        "n_chars": len(text),
        "n_sentences": n_sentences,
        "n_paragraphs": len(paragraphs),
        "hangul_ratio": ratio("hangul"),
        "hanja_ratio": ratio("hanja"),
        "latin_ratio": ratio("latin"),
        "digit_ratio": ratio("digit"),
        "dup_line_fraction": round(1 - len(set(paragraphs)) / len(paragraphs), 4) if paragraphs else 0.0,
        "language": language,
        "language_score": language_score,
    }
