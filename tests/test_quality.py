import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.quality import WHITESPACE, class_counts, quality_problems, quality_signals, quality_signals_batch
from corpus.text.sentences import sentences_in


def test_character_classes_are_counted_per_script():
    assert class_counts("가a1漢ㄱ あ") == {"hangul": 2, "hanja": 1, "latin": 1, "digit": 1, "kana": 1}


def test_signals_on_a_korean_paragraph():
    signals = quality_signals("광주시가 AI 협약을 맺었다.\n\n광주시가 AI 협약을 맺었다.\n\n시는 2025년 계획을 밝혔다.")
    assert signals["n_sentences"] == 3 and signals["n_paragraphs"] == 3
    assert signals["dup_line_fraction"] == round(1 - 2 / 3, 4)
    assert 0.6 < signals["hangul_ratio"] < 0.9


def test_quality_problems_name_signal_value_and_threshold():
    signals = quality_signals("표\n\n1 2 3 4 5 6 7 8 9 10")
    problems = quality_problems(signals, {"min_sentences": 1, "max_digit_ratio": 0.3})
    assert problems == ["digit_ratio 0.9167 > max_digit_ratio 0.3", "n_sentences 0 < min_sentences 1"]
    assert quality_problems(quality_signals("정상적인 기사 문장이다."), {"min_sentences": 1}) == []


def test_unknown_threshold_names_fail_listing_the_known_ones():
    with pytest.raises(ValueError, match="unknown quality threshold"):
        quality_problems(quality_signals("문장."), {"max_emoji_ratio": 0.1})


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.one_of(st.sampled_from(list(".!?。 \n\"'”’)\u2028\u3000\xa0가a1漢")), st.characters())))
def test_sentence_and_visible_character_counts_match_their_definitions(text):
    signals = quality_signals(text)
    assert signals["n_sentences"] == sentences_in(text)
    visible = len(text) - sum(text.count(space) for space in WHITESPACE)
    hangul = len(re.findall("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]", text))
    assert signals["hangul_ratio"] == (round(hangul / visible, 4) if visible else 0.0)


@given(st.lists(st.text(alphabet=st.sampled_from(["가", "a", "1", "漢", ".", "?", " ", "\n", "”", "x"]), max_size=30),
                max_size=8))
def test_signals_of_a_batch_are_each_text_alone(texts):
    assert quality_signals_batch(texts) == [quality_signals_batch([text])[0] for text in texts]


def test_a_mark_at_the_end_of_one_text_is_not_followed_by_the_next():
    alone = quality_signals_batch(["끝났다.", "다음"])[0]["n_sentences"]
    assert alone == quality_signals_batch(["끝났다."])[0]["n_sentences"] == 1


def test_a_snippet_cut_before_its_first_sentence_ended_is_prose_not_a_fragment():
    thresholds = {"min_sentences": 1, "unended_min_chars": 100}
    snippet = "쿠팡이 경상북도 고령군과 손잡고 지역 농·특산물의 온라인 판로 확대 및 신규 매입 확대를 위한 " * 2
    assert quality_problems(quality_signals(snippet), thresholds) == []
    assert quality_problems(quality_signals("가장 많이 본 뉴스 더보기"), thresholds) == [
        "n_sentences 0 < min_sentences 1"]


@pytest.mark.parametrize(("title", "text", "photo"), [
    ("[포토] 카카오프렌즈 오사카 특별매장", "29일 오사카에 오픈한 특별매장에서 고객들이 기념사진을 찍고 있다.", True),
    ("포토 문 대통령 의인들과 함께 산행", "문재인 대통령이 1일 아차산에 올라 이야기를 나누고 있다.", True),
    ("문 대통령 해맞이 산행 포토뉴스", "대통령이 아차산에 오르며 시민들과 인사를 나누고 있다.", True),
    (None, "(서울=연합뉴스) 카카오프렌즈가 매장을 오픈했다. 이날 고객들이 포토존에서 기념촬영을 하고 있다.", True),
    ("포토샵 강좌 인기", "포토샵 강좌가 인기를 끌고 있다. 수강생이 몰렸다. 강사는 밝혔다.", False),
    (None, "정부가 대책을 검토하고 있다. 발표는 다음 주다.", False),
    (None, "“韓 과학기술 현재와 미래” 한눈에 조망 개막식에서 참석자들이 기념촬영을 하고 있다. 이번 축제는 대전", False),
])
def test_photo_items_are_told_from_articles(title, text, photo):
    from corpus.quality import photo_item

    assert (photo_item(title, text, quality_signals(text)["n_sentences"]) is not None) is photo
