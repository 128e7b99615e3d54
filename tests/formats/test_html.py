from corpus.formats.html import Html
from corpus.params import IngestParams
from tests.conftest import ROOT, open_raw

FIXTURES = ROOT / "tests" / "fixtures" / "raw"


def test_article_page_yields_main_text_and_metadata():
    source = open_raw(FIXTURES / "tvseoul_article.html")
    assert Html().detect(source)
    [article] = list(Html().segment(source, IngestParams()))
    assert article.role == "article"
    assert article.title == "서울 서초구-더프리콘 '양재AI특구 우수기업센터 조성' 맞손"
    assert article.url == "https://www.tvseoul.example/news/articleView.html?idxno=12345"
    assert article.publisher == "TV서울"
    assert article.reporters == ["심현주"]
    assert article.section == "지방자치"
    assert article.date_text == "2025-04-09T09:05:03+09:00"
    assert article.body.startswith("[TV서울=심현주 서울1본부장] 서울 서초구")
    assert "가장 많이 본 뉴스" not in article.body and "대표전화" not in article.body


def test_section_front_page_is_a_link_list_not_an_article():
    [page] = list(Html().segment(open_raw(FIXTURES / "section_front.html"), IngestParams()))
    assert page.role == "link_list"
    assert "links" in page.note and "not an article" in page.note
