"""Shape detection by evidence: one short line no longer vetoes a file of whole articles, a page stays a page."""

import re

import pytest

from corpus.formats import choose_format
from corpus.formats.shape import line_evidence
from corpus.params import IngestParams
from corpus.sources import split_lines
from tests.conftest import open_raw, raw_file, seed_path

SENTENCE = re.compile(r"[^.!?]+[.!?]")


def _shape(path):
    source = open_raw(path)
    shape, why = choose_format(source, {})
    return shape.name, why, list(shape.segment(source, IngestParams()))


def test_whole_articles_one_a_line_with_a_few_short_items_are_one_article_a_line(tmp_path):
    lines = seed_path("snippets_bylined").read_text(encoding="utf-8").splitlines()
    short = ["[포토] 성남시, 섬유 소공인 판로 확대 협약식 개최", "판로 확대를 위한 부제목 hong@example.com"]
    path = raw_file(tmp_path, "export.txt", "\n".join([lines[0], short[0], *lines[1:6], short[1], *lines[6:]]) + "\n")
    name, why, segments = _shape(path)
    assert name == "line_snippets" and "a byline or credit on many lines" in why
    assert len(segments) == len(lines) + 2  # every line an item: the short ones are judged later, not here


def _unpunctuated(text: str) -> str:
    """A seed article the way some corpora keep it: sentences without their final period, two spaces apart."""
    return "  ".join(sentence.strip().rstrip(".") for sentence in SENTENCE.findall(text))


def test_sentences_joined_by_two_spaces_without_final_periods_are_articles_with_their_breaks_restored(tmp_path):
    articles = [_unpunctuated(line) for line in seed_path("snippets_bylined").read_text(encoding="utf-8").splitlines()]
    path = raw_file(tmp_path, "corpus.txt", "\n".join(articles) + "\n")
    name, why, segments = _shape(path)
    assert name == "article_lines" and "two-space sentence joins" in why
    assert len(segments) == len(articles)
    first = segments[0].body.split("\n")
    assert len(first) == articles[0].count("  ") + 1 and not first[0].endswith(".")


@pytest.mark.parametrize("key", ["page_newsk21", "page_tvseoul"])
def test_a_page_dump_still_reads_as_a_page(key):
    name, why, segments = _shape(seed_path(key))
    assert name == "page_dump" and "dateline" in why
    assert [s.role for s in segments].count("article") == 1


def test_a_fixed_width_cut_makes_snippets():
    name, why, _ = _shape(seed_path("snippets"))
    assert name == "line_snippets" and "cut at the same width" in why


def test_a_line_cut_by_the_sample_window_is_not_a_short_line(tmp_path):
    """Detection sees the first MiB cut back to its last complete line, so the last line it sees is whole."""
    line = seed_path("snippets_bylined").read_text(encoding="utf-8").splitlines()[3]
    count = (1 << 20) // len(line.encode()) + 40  # the sample window falls inside a line
    path = raw_file(tmp_path, "big.txt", "\n".join(f"{n} {line}" for n in range(count)) + "\n")
    name, _, segments = _shape(path)
    assert name == "line_snippets" and len(segments) == count


def test_one_or_two_lines_build_without_a_veto(tmp_path):
    one = raw_file(tmp_path, "one.txt", "짧은 글 하나.\n")
    name, why, segments = _shape(one)
    assert name == "line_snippets" and "single line" in why and len(segments) == 1


def test_the_evidence_names_what_was_counted():
    lines = split_lines(seed_path("page_newsk21").read_bytes(), "utf-8")
    evidence = line_evidence(lines)
    assert evidence.datelines == 1 and evidence.menu_like > 5
    assert evidence.why.startswith("page_dump: a dateline on a line of its own (")
