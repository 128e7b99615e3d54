from corpus.formats import split_lines
from corpus.formats.line_snippets import LineSnippets
from corpus.params import IngestParams
from tests.conftest import seed_path


def _segments(key):
    lines = split_lines(seed_path(key).read_bytes(), "utf-8")
    shape = LineSnippets()
    assert shape.detect(lines)
    return list(shape.segment(lines, IngestParams()))


def test_seed_000_is_four_snippets_all_cut_at_600_characters():
    segments = _segments("snippets")
    assert len(segments) == 4
    assert {len(s.body) for s in segments} == {600}
    assert all(s.cut_hint for s in segments)


def test_seed_002_is_ten_snippets_of_varying_width():
    segments = _segments("snippets_bylined")
    assert len(segments) == 10
    assert [s.first.number for s in segments] == list(range(1, 11))
    assert all(s.body.startswith("데일리굿타임 유종운 기자 |") for s in segments)


def test_a_page_with_short_lines_is_not_line_snippets():
    lines = split_lines(seed_path("page_newsk21").read_bytes(), "utf-8")
    assert not LineSnippets().detect(lines)


def test_blank_lines_between_snippets_do_not_change_the_shape():
    data = seed_path("snippets").read_bytes().replace(b"\n", b"\n\n")
    lines = split_lines(data, "utf-8")
    assert LineSnippets().detect(lines)
    assert len(list(LineSnippets().segment(lines, IngestParams()))) == 4
