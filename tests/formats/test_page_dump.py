from corpus.formats.page_dump import PageDump
from corpus.params import IngestParams
from tests.conftest import open_raw, raw_file, seed_path


def _segments(key):
    return list(PageDump().segment(open_raw(seed_path(key)), IngestParams()))


def test_seed_001_main_article_runs_from_headline_to_last_paragraph():
    article, *_ = _segments("page_newsk21")
    assert article.role == "article"
    assert article.title == "광주시, 벤처기업협회와 손잡고 인공지능 실증도시 조성에 박차"
    assert article.date_text == "2024-03-07 19:33:20"
    assert article.reporters == ["장병기"]
    # Body: from the byline paragraph (line 14) to the last paragraph (line 41); the "0" like-counter,
    # "목록 바로가기", "인쇄" and the "가장 많이 본 뉴스" list are outside it.
    assert (article.first.number, article.last.number) == (2, 41)
    assert article.body.lstrip().startswith("[뉴스21/장병기 기자]")
    assert "가장 많이 본 뉴스" not in article.body and "목록 바로가기" not in article.body


def test_seed_001_most_read_list_items_are_seven_cut_teasers():
    _, *teasers = _segments("page_newsk21")
    assert len(teasers) == 7
    assert all(t.role == "teaser" and t.cut_hint for t in teasers)
    assert [t.first.number for t in teasers] == list(range(50, 57))


def test_seed_003_skips_the_weather_widget_and_reads_section_and_headline():
    article, *_ = _segments("page_tvseoul")
    assert article.title == "서울 서초구-더프리콘 '양재AI특구 우수기업센터 조성' 맞손"
    assert article.section == "지방자치"
    assert article.date_text == "2025.04.09 09:05:03"
    assert "℃" not in article.body and "기상청 제공" not in article.body
    # The body stops before the next headline, whose paragraph opens with a new byline.
    assert article.last.number == 48
    assert "서울시의회" not in article.body


def test_seed_003_sidebar_teasers_keep_their_headline_when_it_stands_above_them():
    _, first, second = _segments("page_tvseoul")
    assert (first.first.number, first.last.number) == (51, 53)
    assert first.title == "서울시의회, ‘서울미래일자리 연구회’ 토론회 개최"
    assert (second.first.number, second.title) == (63, None)  # under a "더보기" link, no headline line


def test_a_page_without_dateline_yields_its_longest_run_of_paragraphs_as_the_article(tmp_path):
    text = (
        "홈 > 경제\n\n정부, 중소기업 인력난 해소 대책 발표\n\n"
        "정부는 9일 중소기업의 인력난을 해소하기 위한 종합 대책을 발표했다고 밝혔다. "
        "대책에는 채용 지원금 확대가 담겼다.\n\n"
        "이번 대책은 지역 중소기업의 구인난이 심해진 데 따른 것이다. 정부는 올해 예산 1천억원을 투입한다.\n\n"
        "  • 목록 바로가기\n"
    )
    [article] = list(PageDump().segment(open_raw(raw_file(tmp_path, "one.txt", text)), IngestParams()))
    assert article.role == "article"
    assert article.title == "정부, 중소기업 인력난 해소 대책 발표"
    assert article.body.startswith("정부는 9일") and article.body.endswith("투입한다.")
