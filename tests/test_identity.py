import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from corpus.identity import article_id, fold_raw_text, fraction, segment_id


def test_article_id_ignores_whitespace_and_unicode_form():
    composed = "광주시가 인공지능 실증도시 조성에 박차"
    decomposed_and_rewrapped = "  광주시가\n인공지능   실증도시\t조성에 박차 ".replace("광", "\u1100\u116a\u11bc")
    assert article_id(composed) == article_id(decomposed_and_rewrapped)


def test_article_id_prefers_the_url_as_canonical_key():
    assert article_id("본문 하나", url="https://example.kr/a/1") == article_id("본문 둘", url="https://example.kr/a/1")
    assert article_id("본문 하나") != article_id("본문 둘")


def test_ids_are_24_hex_digits():
    assert re.fullmatch(r"[0-9a-f]{24}", article_id("기사"))
    assert re.fullmatch(r"[0-9a-f]{24}", segment_id("a.txt", "ab" * 32, 0, 10))


def test_fraction_is_a_pure_function_in_unit_interval():
    values = [fraction(str(i)) for i in range(1000)]
    assert all(0 <= v < 1 for v in values)
    assert values == [fraction(str(i)) for i in range(1000)]
    assert 0.4 < sum(values) / len(values) < 0.6


@given(st.text(alphabet=st.sampled_from(list("가나 다\t\n\u00a0\u2009\u3000ab\u1100\u1161")), max_size=40))
def test_the_fast_fold_equals_the_plain_definition(text):
    assert fold_raw_text(text) == " ".join(unicodedata.normalize("NFC", text).split())
