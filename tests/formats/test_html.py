from corpus.formats.html import Html
from corpus.params import IngestParams
from tests.conftest import ROOT, open_raw, raw_file

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


def test_a_press_release_board_page_loses_its_chrome_and_its_title_its_seo_tail():
    from corpus.fields.dates import parse_kst
    from corpus.params import CleanParams
    from corpus.rules import Draft
    from corpus.stages.clean import apply_steps, resolve_steps

    [page] = list(Html().segment(open_raw(FIXTURES / "press_release.html"), IngestParams()))
    assert page.title == "나주시, 빛가람 혁신도시 에너지 박람회 개최"
    assert parse_kst(page.date_text).isoformat() == "2026-02-05T14:30:00+09:00"
    draft, _ = apply_steps(Draft(text=page.body, title=page.title), resolve_steps(CleanParams().steps))
    text = draft.text
    assert text.startswith("전라남도 나주시는 5일") and text.endswith("노력하겠다\"고 말했다.")
    for chrome in ("등록일", "조회수", "등록부서", "[jpg,474.7 KB]", "만족하십니까", "소중한 의견", "개막식"):
        assert chrome not in text, chrome


def test_a_script_rendered_page_s_article_is_read_from_its_script_data(tmp_path):
    import json

    article = "<p>장동혁 대표가 당권을 지켰다. 어깨는 한층 무거워졌다.</p>" * 8
    payload = json.dumps(f'<div class="caption"><p>사진 설명이다.</p></div>{article}', ensure_ascii=True)
    page = (f"<!DOCTYPE html><html><head><title>제목</title></head><body><div id='root'></div>"
            f"<script>self.__next_f.push([1,{payload}])</script></body></html>")
    [segment] = list(Html().segment(open_raw(raw_file(tmp_path, "next.html", page)), IngestParams()))
    assert segment.role == "article" and segment.body.startswith("장동혁 대표가 당권을 지켰다.")
    assert "사진 설명" not in segment.body and segment.note == "text from the article data in the page's scripts"
