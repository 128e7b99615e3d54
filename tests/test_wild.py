"""Real files written by other people's crawlers (tests/fixtures/wild/, SOURCES.md): each builds a release
alone and all of them together; article counts are the hand-verified ones, fields right, nothing left over.

The measuring is benchmarks/wild.py's (`python benchmarks/wild.py` prints the table); here its figures are held.
"""

from __future__ import annotations

import json

import pytest

from benchmarks.wild import LEFTOVERS, WILD, run

EXPECTED = json.loads((WILD / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def wild():
    return run()


def test_every_wild_file_alone_publishes_exactly_its_hand_counted_articles(wild):
    counts = {r["file"]: (r["published"], r["expected"]) for r in wild["files"]}
    assert {name: got for name, (got, _) in counts.items()} == {name: e["articles"] for name, e in EXPECTED.items()}


def test_all_wild_files_together_build_one_release(wild):
    assert wild["together_published"] == sum(entry["articles"] for entry in EXPECTED.values())


def test_fields_are_right_where_the_files_state_them(wild):
    assert wild["fields_checked"] >= 100
    assert wild["field_accuracy"] >= 0.95, [m for r in wild["files"] for m in r["misses"]]


def test_no_credit_copyright_or_byline_fragment_is_left_in_any_text(wild):
    assert wild["texts_with_leftovers"] == {kind: 0 for kind in LEFTOVERS}


def test_the_fundus_gold_pages_are_extracted_at_0_97_f1_with_title_authors_and_date_exact(wild):
    gold = [r for r in wild["files"] if r["file"].startswith("fundus/")]
    assert len(gold) == 4
    for result in gold:
        assert result["body_f1"]["f1"] >= 0.97, result
        assert result["fields_right"] == result["fields_checked"] == 4, result["misses"]


def test_the_list_page_is_a_dropped_link_list_not_an_article(wild):
    [page] = [r for r in wild["files"] if r["file"] == "ragtailor-snf/section.html"]
    assert page["published"] == 0 and page["shape"] == "html"


@pytest.mark.parametrize(("name", "shape"), [
    ("hanseokoh-kakao/contents.txt", "fielded_lines"), ("saltlux-edu/news_sample.txt", "fielded_lines"),
    ("fastcampus-recsys/news_sample.txt", "line_snippets"), ("geun9716-newschronicle/News_Contents.txt",
                                                               "article_lines"),
    ("psho2002-s3/naver_news.csv", "csv"), ("jangsojeong-fss-press/results.json", "json"),
    ("mitul-crwmbcnews/test_article_1.json", "json"),
])
def test_each_file_is_read_as_its_shape(wild, name, shape):
    [result] = [r for r in wild["files"] if r["file"] == name]
    assert result["shape"] == shape
