import pytest

from corpus.formats.base import UndecodableError, detect_encoding, split_lines
from corpus.stages.ingest import decode_span

ARTICLE = "서울시는 9일 업무협약을 체결했다고 밝혔다.\n두 번째 줄이다.\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (ARTICLE.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"), "utf-8-sig"),
        (ARTICLE.encode("utf-16"), "utf-16"),
        ((ARTICLE * 20).encode("cp949"), "cp949"),
    ],
)
def test_lines_keep_byte_spans_that_decode_back_to_the_line(data, encoding):
    detected = detect_encoding(data)
    assert detected.replace("_", "").lower() in {encoding.replace("-", "").replace("_", ""), encoding}
    lines = split_lines(data, detected)
    assert lines[0].text == "서울시는 9일 업무협약을 체결했다고 밝혔다."
    for line in lines:
        assert decode_span(data, line.start, line.end, detected) == line.text


def test_euc_kr_family_is_detected_with_charset_normalizer():
    data = ("한국어 뉴스 기사 본문입니다. 광주시가 인공지능 실증도시 조성에 박차를 가한다.\n" * 10).encode("euc-kr")
    assert detect_encoding(data).lower() in {"cp949", "euc_kr", "euc-kr", "johab"} - {"johab"}


def test_binary_bytes_are_undecodable():
    with pytest.raises(UndecodableError, match="NUL"):
        detect_encoding(b"\x00\x01\x02\xff\xfe\x00\x80" * 10)


def test_crlf_line_endings_are_not_part_of_the_text():
    data = "첫 줄\r\n둘째 줄\r\n".encode()
    assert [line.text for line in split_lines(data, "utf-8")] == ["첫 줄", "둘째 줄"]
