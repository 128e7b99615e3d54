import pytest

from corpus.quality import quality_signals_batch
from corpus.text.sentences import SENTENCE_JOIN, ends_like_a_sentence, sentence_ends


@pytest.mark.parametrize(("text", "expected"), [
    ("협력을 강화하겠다”고 밝혔다.", True), ("정말인가?", True), ("“좋다”", True),
    ("계획이다", True), ("바랍니다", True), ("어떨까", True), ("그렇죠", True), ("하세요", True),  # no final period
    ("포럼'을 개최했", False), ("주요", False), ("필요", False), ("LG유플러스(www.lguplus.com)", False),
])
def test_a_sentence_ends_in_punctuation_or_in_a_korean_final_ending(text, expected):
    assert ends_like_a_sentence(text) is expected


# (text, sentences): unpunctuated endings count before a space, a quote, a two-space join or the end;
# 요 after a noun (주요, 필요) does not.
COUNTS = [
    ("정부는 5일 대책을 발표했다  이어 시장이 반응했다  업계는 환영했다", 3),
    ("정부는 5일 대책을 발표했다. 이어 “좋다”고 말했다. 그렇죠?", 3),
    ("주요 내용과 필요 사항, 중요 과제", 0),
    ("“이번 사업은 의미가 크다” 고 덧붙였다", 2),
    ("많이 와주세요 감사합니다", 2),
    ("", 0),
]


@pytest.mark.parametrize(("text", "expected"), COUNTS)
def test_sentences_are_counted_with_or_without_final_punctuation(text, expected):
    assert sentence_ends(text) == expected


def test_the_batch_count_of_quality_agrees_with_the_line_count():
    texts = [text for text, _ in COUNTS]
    assert [signals["n_sentences"] for signals in quality_signals_batch(texts)] == [n for _, n in COUNTS]


def test_a_two_space_join_after_an_unpunctuated_ending_is_a_paragraph_break():
    text = "정부가 대책을 발표했다  시장이 반응했다.  다만 주요  내용은 없다"
    assert SENTENCE_JOIN.sub("\n", text) == "정부가 대책을 발표했다\n시장이 반응했다.\n다만 주요  내용은 없다"
