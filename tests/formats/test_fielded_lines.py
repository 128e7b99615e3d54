"""Records one a line without a header: the columns are read off their values."""

from corpus.formats import choose_format
from corpus.params import IngestParams
from tests.conftest import open_raw, raw_file, seed_path

BODIES = seed_path("snippets_bylined").read_text(encoding="utf-8").splitlines()


def _read(path):
    source = open_raw(path)
    shape, why = choose_format(source, {})
    return shape.name, why, list(shape.segment(source, IngestParams()))


def test_tab_separated_lines_give_date_publisher_title_text_and_link(tmp_path):
    lines = [f"2025.04.{n + 1:02d}.\t데일리굿타임\t성남시 소식 {n}\t {body}\thttps://news.example/{n}"
             for n, body in enumerate(BODIES)]
    name, why, segments = _read(raw_file(tmp_path, "contents.txt", "\n".join(lines) + "\n"))
    assert name == "fielded_lines" and "date, publisher, title, text, url" in why
    first = segments[0]
    assert (first.title, first.publisher, first.date_text, first.url) == (
        "성남시 소식 0", "데일리굿타임", "2025.04.01.", "https://news.example/0")
    assert first.body == BODIES[0].strip() and len(segments) == len(BODIES)


def test_comma_separated_lines_split_on_the_leading_fields_only(tmp_path):
    """The body's own commas are not field separators: the short leading fields are."""
    lines = [f"2025040{n % 9 + 1},경제,데일리굿타임,성남시 소식 {n},{body}" for n, body in enumerate(BODIES)]
    name, why, segments = _read(raw_file(tmp_path, "news_sample.txt", "\r\n".join(lines) + "\r\n"))
    assert name == "fielded_lines" and "date, section, publisher, title, text" in why
    assert segments[0].section == "경제" and segments[0].body == BODIES[0]
    assert "," in segments[0].body


def test_a_line_that_does_not_fit_the_layout_is_quarantined_not_misread(tmp_path):
    lines = [f"2025.04.{n + 1:02d}.\t데일리굿타임\t제목 {n}\t{body}" for n, body in enumerate(BODIES)]
    lines.insert(3, "2025.04.30.\t데일리굿타임 이 줄은 필드가 모자라다")
    _, _, segments = _read(raw_file(tmp_path, "contents.txt", "\n".join(lines) + "\n"))
    [bad] = [s for s in segments if s.error]
    assert "has 2 fields, the file's lines have 4" in bad.error and bad.first.number == 4


def test_prose_with_a_tab_here_and_there_is_not_a_table(tmp_path):
    lines = [body.replace(" ", "\t", 1) if n % 4 == 0 else body for n, body in enumerate(BODIES)]
    name, _, _ = _read(raw_file(tmp_path, "a.txt", "\n".join(lines) + "\n"))
    assert name != "fielded_lines"
