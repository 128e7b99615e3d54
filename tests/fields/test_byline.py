import pytest

from corpus.fields.byline import parse_byline


@pytest.mark.parametrize(("text", "publisher", "reporters", "rest"), [
    ("[뉴스21/장병기 기자] 광주시가", "뉴스21", ("장병기",), "광주시가"),
    ("[TV서울=심현주 서울1본부장] 서울 서초구", "TV서울", ("심현주",), "서울 서초구"),
    ("데일리굿타임 유종운 기자 | 성남시 섬유", "데일리굿타임", ("유종운",), "성남시 섬유"),
    ("[세종타임즈] 과학기술정보통신부는", "세종타임즈", (), "과학기술정보통신부는"),
    ("(서울=연합뉴스) 홍길동 기자 = 정부는", "연합뉴스", ("홍길동",), "정부는"),
    ("[서울=뉴시스]홍길동 기자 = 정부는", "뉴시스", ("홍길동",), "정부는"),
    ("[이데일리 홍길동 기자] 정부는", "이데일리", ("홍길동",), "정부는"),
])
def test_byline_forms(text, publisher, reporters, rest):
    byline = parse_byline(text)
    assert byline is not None
    assert (byline.publisher, byline.reporters, byline.rest) == (publisher, reporters, rest)


@pytest.mark.parametrize("text", ["[단독] 정부는", "광주시가 벤처기업협회와", "[앵커] 오늘은"])
def test_non_bylines_are_left_alone(text):
    assert parse_byline(text) is None
