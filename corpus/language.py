"""Offline language and script ID of an article: `quality.language` and `quality.language_score`.

Script first, then a model. A text whose letters are in good part Hangul is Korean, and one with Kana is
Japanese, whatever their share of Hanja: on Korean printed in mixed script (國漢文混用: `政府는 來年度
豫算案을 …`) every model measured calls a good part of it Chinese or Japanese (CLD2 8%, fastText's
lid.176 5%, Lingua 34% of them; `benchmarks/langid.py`), while Chinese has no Hangul and Japanese
always writes Kana. The other texts — Latin script, Han alone, anything else — are named by CLD2
(pycld2: the model is compiled into its wheel, nothing is downloaded; ~8,000 articles/s on one core).

The score: for a text decided by its script, the share of its letters in that language's scripts (Korean:
Hangul and Hanja); for one CLD2 names, the percentage of the text CLD2 gives that language, over 100.
"""

from __future__ import annotations

from collections.abc import Mapping

import pycld2

UNDETERMINED = "und"  # no letters, or CLD2 cannot tell
KOREAN_MIN_HANGUL = 0.2  # of the letters: Korean in mixed script holds ~35% Hangul, Chinese and Japanese ~0
JAPANESE_MIN_KANA = 0.1  # of the letters: Japanese news prose holds ~60% Kana; Korean none
_CLD2_CODES = {"zh-Hant": "zh", "un": UNDETERMINED, "xx-Qaai": UNDETERMINED}


def identify(text: str, counts: Mapping[str, int]) -> tuple[str, float]:
    """(ISO 639-1 code or `und`, score in [0, 1]) of a text, given its character class counts
    (corpus.quality.class_counts: hangul, hanja, kana, latin)."""
    letters = counts["hangul"] + counts["hanja"] + counts["kana"] + counts["latin"]
    if letters == 0:
        return UNDETERMINED, 0.0
    if counts["kana"] >= JAPANESE_MIN_KANA * letters:
        return "ja", round((counts["kana"] + counts["hanja"]) / letters, 4)
    if counts["hangul"] >= KOREAN_MIN_HANGUL * letters:
        return "ko", round((counts["hangul"] + counts["hanja"]) / letters, 4)
    return named_by_cld2(text)


def named_by_cld2(text: str) -> tuple[str, float]:
    """CLD2's language of the text and the share of the text it gives it."""
    data = text.encode("utf-8", "ignore")  # a lone surrogate is not UTF-8
    try:
        _, _, details = pycld2.detect(data, bestEffort=True)
    except pycld2.error:  # CLD2 refuses some control characters as invalid UTF-8: try without them
        printable = "".join(c for c in text if c.isprintable() or c in "\n ").encode("utf-8", "ignore")
        try:
            _, _, details = pycld2.detect(printable, bestEffort=True)
        except pycld2.error:
            return UNDETERMINED, 0.0
    _, code, percent, _ = details[0]
    code = _CLD2_CODES.get(code, code)
    return code, (round(percent / 100, 4) if code != UNDETERMINED else 0.0)
