from corpus.formats.line_snippets import ArticleLines, LineSnippets
from corpus.params import IngestParams
from tests.conftest import open_raw, raw_file, seed_path


def _segments(path, shape=None):
    source = open_raw(path)
    shape = shape or LineSnippets()
    assert shape.detect(source)
    return list(shape.segment(source, IngestParams()))


def test_seed_000_is_four_snippets_all_cut_at_600_characters():
    segments = _segments(seed_path("snippets"))
    assert len(segments) == 4
    assert {len(s.body) for s in segments} == {600}
    assert all(s.cut_hint for s in segments)


def test_seed_002_is_ten_snippets_of_varying_width():
    segments = _segments(seed_path("snippets_bylined"))
    assert len(segments) == 10
    assert [s.first.number for s in segments] == list(range(1, 11))
    assert all(s.body.startswith("데일리굿타임 유종운 기자 |") for s in segments)


def test_a_page_with_short_lines_is_not_line_snippets():
    assert not LineSnippets().detect(open_raw(seed_path("page_newsk21")))


def test_blank_lines_between_snippets_do_not_change_the_shape(tmp_path):
    path = raw_file(tmp_path, "a.txt", seed_path("snippets").read_bytes().replace(b"\n", b"\n\n"))
    assert len(_segments(path)) == 4


def test_article_lines_turn_two_space_joins_back_into_paragraphs(tmp_path):
    paragraphs = [
        "광주시가 인공지능 실증도시 조성에 박차를 가한다고 7일 밝혔다. 시는 벤처기업협회와 협약을 맺었다.",
        "협약에 따라 양측은 인공지능 집적단지의 데이터센터와 실증장비를 함께 활용하기로 했다.",
        "강기정 시장은 “벤처기업협회가 손 잡아준 만큼 속도는 빨라질 것”이라고 말했다.",
    ]
    line = "  ".join(paragraphs)
    path = raw_file(tmp_path, "corpus.txt", "\n".join([line, line.replace("광주시", "대전시")]) + "\n")
    source = open_raw(path)
    assert ArticleLines().detect(source)
    first, second = list(ArticleLines().segment(source, IngestParams()))
    assert first.body.split("\n") == paragraphs
    assert second.body.startswith("대전시가")
