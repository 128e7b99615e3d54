"""Finding a benchmark item in an article by n-gram overlap on normalized text."""

import numpy as np

from corpus.contamination.ngrams import NgramIndex, find_hits, ngram_hashes, normalized_points

ITEMS = [
    "재판부는 검찰의 공정한 수사에 대한 신뢰가 깨져 버려 최씨와 김씨가 정신적 피해를 봤다는 점을 인정했다.",
    "흡연자분들은 발코니가 있는 방이면 발코니에서 흡연이 가능합니다.",
    "짧은 문장",  # 4 characters: fewer than 13, not indexed
]
LEAD = "광주시가 벤처기업협회와 손잡고 인공지능 실증도시 조성에 박차를 가한다. "


def _hits(texts, unit="char", n=13, min_overlap=0.5):
    return find_hits(texts, NgramIndex.build(ITEMS, unit, n), unit, n, min_overlap)


def test_verbatim_respaced_repunctuated_and_embedded_copies_are_found_with_their_overlap():
    texts = [
        ITEMS[0],
        "재판부는 검찰의 공정한 수사에 대한 신뢰가 깨져버려 최 씨와 김 씨가 정신적 피해를 봤다는 점을 인정 했다",
        "흡연자분들은, 발코니가 있는 방이면 발코니에서 흡연이 가능합니다!!",
        LEAD * 20 + ITEMS[1] + " " + LEAD * 20,
    ]
    hits = _hits(texts)
    assert hits.item.tolist() == [0, 0, 1, 1]
    assert hits.overlap.tolist() == [1.0, 1.0, 1.0, 1.0]


def test_an_unrelated_article_and_one_sharing_a_phrase_are_not_hits():
    hits = _hits([LEAD * 5, LEAD + "검찰의 공정한 수사에 대한 신뢰가 필요하다고 말했다."])
    assert hits.item.tolist() == [-1, -1]


def test_overlap_is_the_share_of_the_items_distinct_ngrams_in_the_article():
    half = ITEMS[0][: len(ITEMS[0]) // 2]
    index = NgramIndex.build(ITEMS, "char", 13)
    hits = find_hits([LEAD + half], index, "char", 13, 0.3)
    assert hits.item.tolist() == [0] and 0.3 < hits.overlap[0] < 0.6
    assert hits.matched[0] == round(hits.overlap[0] * index.item_ngrams[0])
    assert find_hits([LEAD + half], index, "char", 13, 0.6).item.tolist() == [-1]


def test_items_shorter_than_n_are_not_indexed():
    index = NgramIndex.build(ITEMS, "char", 13)
    assert index.item_ngrams[2] == 0 and index.item_ngrams[0] > 0
    assert _hits(["짧은 문장이 여기 있다"]).item.tolist() == [-1]


def test_normalization_keeps_letters_and_digits_lowercased():
    points = normalized_points("K팝스타3' 유희열이, AI!", "char")
    assert points.tobytes().decode("utf-32-le") == "k팝스타3유희열이ai"
    assert normalized_points("K팝스타3' 유희열이", "eojeol").tobytes().decode("utf-32-le") == "k팝스타3 유희열이"


def test_an_ngram_has_the_same_hash_wherever_it_stands_and_none_crosses_two_texts():
    alone, _ = ngram_hashes(["가나다라마바사아자차카타파"], "char", 13)
    later, offsets = ngram_hashes(["하", "xx가나다라마바사아자차카타파"], "char", 13)
    assert len(alone) == 1 and alone[0] in later
    assert offsets.tolist() == [0, 0, 3]  # the one-character text has no 13-gram; none spans both texts


def test_eojeols_miss_a_respaced_copy_which_is_why_characters_are_the_default():
    respaced = "재판부는 검찰의공정한 수사에대한 신뢰가 깨져버려 최씨와김씨가 정신적 피해를봤다는 점을 인정했다"
    assert _hits([respaced], unit="eojeol", n=5).item.tolist() == [-1]
    assert _hits([respaced], unit="char", n=13).item.tolist() == [0]


def test_a_batch_of_many_articles_gives_each_its_own_hit():
    texts = [LEAD * 3] * 50 + [LEAD + ITEMS[1]] + [LEAD * 3] * 50
    hits = _hits(texts)
    assert np.flatnonzero(hits.item >= 0).tolist() == [50]
