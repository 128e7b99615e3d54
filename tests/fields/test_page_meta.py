"""Page metadata by trust: a portal copy names the outlet, times keep their time of day, titles lose their tails."""

import lxml.html
import pytest

from corpus.fields.dates import parse_kst
from corpus.fields.page_meta import clean_title, page_meta

PORTAL = """<html><head>
<meta property="og:title" content="경찰, 해병대 1사단 첫 압수수색">
<meta property="og:article:author" content="뉴스1 | 네이버">
<meta name="twitter:site" content="네이버 뉴스"><meta name="twitter:creator" content="뉴스1">
<title>경찰, 해병대 1사단 첫 압수수색 : 네이버 뉴스</title></head><body>
<span class="media_end_head_info_datestamp_time" data-date-time="2023-09-07 12:22:02">2023.09.07. 오후 12:22</span>
<span class="media_end_head_info_datestamp_time" data-modify-date-time="2023-09-07 13:03:01">수정</span>
<em class="media_end_head_journalist_name">이정준 기자</em>
<p>(서울=뉴스1) 이정준 기자 = 경찰이 압수수색에 나섰다.</p></body></html>"""


def _meta(page):
    return page_meta(lxml.html.fromstring(page))


def test_a_portal_copy_names_the_outlet_not_the_portal():
    meta = _meta(PORTAL)
    assert (meta.publisher, meta.site, meta.reporters) == ("뉴스1", "네이버 뉴스", ["이정준"])
    assert meta.title == "경찰, 해병대 1사단 첫 압수수색"


def test_the_publication_time_keeps_its_time_of_day_and_is_not_the_modification():
    assert parse_kst(_meta(PORTAL).published).isoformat() == "2023-09-07T12:22:02+09:00"


def test_a_utc_time_is_read_in_kst():
    page = '<html><head><meta property="article:published_time" content="2023-04-18T06:04:06Z"></head></html>'
    assert parse_kst(_meta(page).published).isoformat() == "2023-04-18T15:04:06+09:00"


def test_a_date_only_metadata_yields_to_a_time_of_the_same_day():
    page = ('<html><head><script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2025-06-05"}'
            '</script></head><body><time datetime="2025-06-05T09:30:00+09:00">오전</time></body></html>')
    assert parse_kst(_meta(page).published).isoformat() == "2025-06-05T09:30:00+09:00"


def test_a_board_page_s_labelled_date_is_found():
    page = ("<html><body><table><tr><th>등록자</th><td>관리자</td><th>등록일</th><td>2025-06-05</td></tr>"
            "</table></body></html>")
    meta = _meta(page)
    assert meta.published == "2025-06-05" and meta.reporters == []  # 관리자 (an administrator) is not a reporter


@pytest.mark.parametrize(("title", "names", "keywords", "clean"), [
    ("장동혁, 한동훈 제명… 커졌다-정치ㅣ한국일보", ["한국일보", "정치"], set(), "장동혁, 한동훈 제명… 커졌다"),
    ("\"왜 나눠서 싸우나\"... 외친 이재명 | 한국일보", ["한국일보"], set(), "\"왜 나눠서 싸우나\"... 외친 이재명"),
    ("나주시, 빛가람 혁신도시 박람회 개최, 나주시, 전라남도 나주, Naju City, 나주시청", ["나주시청"], set(),
     "나주시, 빛가람 혁신도시 박람회 개최"),
    ("나주시, 박람회 개최, 빛가람, 혁신도시", [], {"빛가람", "혁신도시"}, "나주시, 박람회 개최"),
    ("서초구, 양재 AI특구 우수기업센터 조성", ["TV서울"], set(), "서초구, 양재 AI특구 우수기업센터 조성"),
    ("사과, 배, 포도 값 올라", [], set(), "사과, 배, 포도 값 올라"),
])
def test_titles_lose_their_site_and_seo_keyword_tails(title, names, keywords, clean):
    assert clean_title(title, names, keywords) == clean
