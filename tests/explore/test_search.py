"""Korean search over the trigram index finds exactly the articles a substring scan finds, for two-character
words, three-character ones, longer phrases and several terms."""

from __future__ import annotations

import sqlite3

import pytest

from corpus.explore.database import database_for
from corpus.explore.search import answer, plan_shards, query_terms
from tests.explore.conftest import WORD, Explored

QUERIES = ["광주", "기자", "국회", "광주시", "인공지능", "방위산업을 전략적으로", "광주 인공지능", "소공인 성남", WORD,
           "K-방산", "k-방산", "없는말입니다", "다."]


@pytest.fixture(scope="module")
def connection(explored: Explored):
    path, _ = database_for(explored.release, explored.cache)
    with sqlite3.connect(f"file:{path}?immutable=1", uri=True) as opened:
        yield opened


def _scanned(connection: sqlite3.Connection, query: str) -> list[int]:
    """Every article holding every term, by reading every title and text (ASCII case folded, as the index)."""
    rows = connection.execute("SELECT n, lower(coalesce(title, '')), lower(text) FROM article_text").fetchall()
    terms = [term.lower() for term in query.split()]
    return sorted(n for n, title, text in rows if all(term in title or term in text for term in terms))


@pytest.mark.parametrize("query", QUERIES)
def test_search_finds_what_a_scan_finds(connection: sqlite3.Connection, query: str):
    assert answer(connection, query).rowids == _scanned(connection, query)


def test_the_queries_find_something(connection: sqlite3.Connection):
    assert all(answer(connection, query).rowids for query in ("광주", "광주시", WORD, "광주 인공지능"))


def test_a_two_character_word_at_the_very_end_of_a_title_is_found(connection: sqlite3.Connection):
    title, n = connection.execute("SELECT title, n FROM article_text WHERE length(title) > 4 LIMIT 1").fetchone()
    assert n in answer(connection, title[-2:]).rowids


def test_one_character_terms_are_left_out_and_said(connection: sqlite3.Connection):
    assert query_terms("광주 시") == (("광주",), ("시",))
    result = answer(connection, "시")
    assert result.rowids is None and result.skipped == ("시",)


def test_shards_cover_every_row_once_in_rowid_order(tmp_path):
    jobs = plan_shards([("a", 7), ("b", 0), ("c", 5)], 3, tmp_path)
    rows = [(path, start, end) for job in jobs for path, start, end in job.pieces]
    assert rows == [("a", 0, 4), ("a", 4, 7), ("c", 0, 1), ("c", 1, 5)]
    assert [job.first_rowid for job in jobs] == [1, 5, 9]
