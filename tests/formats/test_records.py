from corpus.formats.line_snippets import Line
from corpus.formats.records import column_map, record_segment
from corpus.params import DEFAULT_COLUMNS


def test_column_names_match_whatever_their_case_spacing_or_decoration():
    assert column_map(["기사 제목", "내용", "링크"], DEFAULT_COLUMNS) == {"title": "기사 제목", "text": "내용",
                                                                         "url": "링크"}
    assert column_map(["Title", "Link", "Press", "Datetime", "Article"], DEFAULT_COLUMNS) == {
        "title": "Title", "text": "Article", "date": "Datetime", "url": "Link", "publisher": "Press"}


def test_a_column_containing_an_accepted_name_is_a_fallback():
    mapping = column_map(["news_title", "article_body", "상세페이지URL", "보도일"], DEFAULT_COLUMNS)
    assert mapping == {"title": "news_title", "text": "article_body", "url": "상세페이지URL", "date": "보도일"}


def test_a_homepage_in_the_publisher_column_is_not_a_publisher_and_reporters_are_names():
    line = Line(1, 0, 10, "")
    row = {"Article": "본문이다.", "Press": "http://www.hankyung.com/", "기자": "홍길동 기자 hong@example.com"}
    segment = record_segment(row, column_map(list(row), DEFAULT_COLUMNS), line, line, "raw")
    assert segment.publisher is None and segment.reporters == ["홍길동"]
