"""Language ID: script first, then CLD2, offline; precision and recall of Korean on the planted set."""

import pytest

from benchmarks.langid import score
from benchmarks.langid_planted import planted_set
from corpus.language import UNDETERMINED, identify
from corpus.quality import class_counts, quality_signals, quality_signals_batch


def _language(text: str) -> tuple[str, float]:
    return identify(text, class_counts(text))


@pytest.mark.parametrize(("text", "language"), [
    ("광주시가 벤처기업협회와 손잡고 인공지능 실증도시 조성에 박차를 가한다.", "ko"),
    ("政府는 來年度 豫算案을 國會에 提出하고 經濟 活性化 方案을 發表했다.", "ko"),  # 國漢文混用: models say zh
    ("市は火曜日、ベンチャー企業協会と協力協定を結んだ。", "ja"),
    ("市政府周二与风险企业协会签署了合作协议。官员表示，新的人工智能中心将于明年春季开放。", "zh"),
    ("The city government signed an agreement with the venture business association on Tuesday.", "en"),
    ("2024. 03. 07 — 10,000", UNDETERMINED),
])
def test_each_script_and_language_is_named(text, language):
    assert _language(text)[0] == language


def test_the_score_is_the_share_of_letters_in_the_languages_scripts():
    assert _language("광주시가 AI 협약을 맺었다.") == ("ko", round(10 / 12, 4))  # 10 Hangul, 2 Latin letters
    assert _language("政府는 豫算을 編成") == ("ko", 1.0)  # Hanja counts as Korean script
    assert _language("")[1] == 0.0


def test_korean_quoting_english_is_korean_and_english_naming_seoul_is_english():
    assert _language('광주시는 스마트시티 사업을 추진한다. 구호는 "Smart City, Better Life"이다.')[0] == "ko"
    assert _language("The mayor of Seoul (서울) met investors from Europe and the United States today.")[0] == "en"


def test_quality_signals_carry_language_and_score_for_every_text_of_a_batch():
    texts = ["광주시가 협약을 맺었다.", "This is an English sentence about the economy.", ""]
    signals = quality_signals_batch(texts)
    assert [s["language"] for s in signals] == ["ko", "en", UNDETERMINED]
    assert signals[0] == quality_signals(texts[0])


def test_precision_and_recall_of_korean_on_the_planted_set_are_at_least_099():
    samples = planted_set(per_kind=60)
    result = score(samples, [s["language"] for s in quality_signals_batch([s.text for s in samples])])
    assert result["precision"] >= 0.99 and result["recall"] >= 0.99, result["errors"]
    assert {s.kind for s in samples} >= {"hanja_korean", "mixed_script_korean", "english", "chinese", "japanese"}


def test_text_cld2_cannot_read_is_undetermined_not_an_error():
    code, score_ = _language("\x00\x01\ud800 abc def")  # a lone surrogate and control characters
    assert isinstance(code, str) and code != "ko" and 0.0 <= score_ <= 1.0
