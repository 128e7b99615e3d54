"""Korean full-text search: an FTS5 trigram index over title and text, and how a query is answered from it.

Korean joins particles and endings to its words (국회는, 국회의원), so a word-tokenizing index misses most
matches; a trigram index finds any substring of three characters or more. The index is contentless with
`detail=none` (rowids only, no positions) and split into shards built in parallel, one per worker: at 100k
articles that is ~4× faster to build than sqlite-utils' `enable_fts(tokenize="trigram")` (external content,
full detail), which took 193 s (benchmarks/explore.py). Without positions a phrase is not matched by the
index alone, so a term of four or more characters is looked up as all of its trigrams and then verified on
those rows.

A query is whitespace-separated terms that must all occur, case-insensitive for ASCII:
- 3+ characters: the rows holding all its trigrams (verified with `instr` beyond three characters);
- 2 characters (a two-syllable word: 국회, 정부): the rows holding any trigram that begins with it, taken
  from the index's vocabulary (fts5vocab), plus the rows whose title or text ends with it (no trigram
  begins there), from the `search_tails` table;
- 1 character: too short to look up; said so, and left out.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq

MAX_PREFIX_TRIGRAMS = 5_000  # a two-character term that begins more trigrams than this is left out
TAIL = 2


def shard_table(shard: int) -> str:
    return f"search_{shard}"


def fts_schema(shard: int) -> str:
    table = shard_table(shard)
    return (f"CREATE VIRTUAL TABLE [{table}] USING fts5(title, text, content='', columnsize=0, detail=none, "
            f"tokenize='trigram case_sensitive 1');\n"
            f"CREATE VIRTUAL TABLE [{table}_vocab] USING fts5vocab([{table}], 'row');")


@dataclass(frozen=True, slots=True)
class ShardJob:
    """Rows of the release's data files that one shard indexes: (file, first row, end row), and the rowid of
    its first row in the explorer's `article_text` table."""

    shard: int
    path: str
    pieces: tuple[tuple[str, int, int], ...]
    first_rowid: int


def plan_shards(files: Sequence[tuple[str, int]], shards: int, folder: Path) -> list[ShardJob]:
    """Cut the data files (path, rows), in rowid order, into `shards` runs of about equal rows."""
    total = sum(rows for _, rows in files)
    per_shard = max(1, -(-total // max(1, shards)))
    jobs, pieces, first, taken = [], [], 1, 0
    for path, rows in files:
        start = 0
        while start < rows:
            take = min(rows - start, per_shard - taken)
            pieces.append((path, start, start + take))
            start, taken = start + take, taken + take
            if taken == per_shard:
                jobs.append(ShardJob(len(jobs), str(folder / f"search-{len(jobs)}.db"), tuple(pieces), first))
                first, pieces, taken = first + taken, [], 0
    if pieces:
        jobs.append(ShardJob(len(jobs), str(folder / f"search-{len(jobs)}.db"), tuple(pieces), first))
    return jobs


def build_shard(job: ShardJob) -> str:
    """Index a shard's rows into its own SQLite file (one process each); returns the file."""
    connection = sqlite3.connect(job.path, isolation_level=None)
    try:
        connection.executescript("PRAGMA page_size=16384; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; BEGIN;"
                                 + fts_schema(job.shard))
        table = shard_table(job.shard)
        # undocumented but long-standing: the in-memory term buffer before a segment is flushed (default 1 MiB)
        connection.execute(f"INSERT INTO [{table}]([{table}], rank) VALUES ('hashsize', {256 * 1024 * 1024})")
        rowid = job.first_rowid
        for path, start, end in job.pieces:
            columns = pq.read_table(path, columns=["title", "text"]).slice(start, end - start)
            titles = pc.ascii_lower(pc.fill_null(columns.column("title"), "")).to_pylist()
            texts = pc.ascii_lower(columns.column("text")).to_pylist()
            rows = zip(range(rowid, rowid + len(texts)), titles, texts, strict=True)
            connection.executemany(f"INSERT INTO [{table}](rowid, title, text) VALUES (?, ?, ?)", rows)
            rowid += len(texts)
        connection.execute("COMMIT")
    finally:
        connection.close()
    return job.path


def copy_shard(connection: sqlite3.Connection, job: ShardJob) -> None:
    """Move a built shard into the explorer's file: the same declaration, then its index tables row for row
    (an FTS5 index is nothing but its shadow tables)."""
    table = shard_table(job.shard)
    connection.executescript(fts_schema(job.shard))
    connection.execute("ATTACH DATABASE ? AS shard", (job.path,))
    try:
        for suffix in ("data", "idx", "config"):
            connection.execute(f"DELETE FROM main.[{table}_{suffix}]")
            connection.execute(f"INSERT INTO main.[{table}_{suffix}] SELECT * FROM shard.[{table}_{suffix}]")
        connection.commit()
    finally:
        connection.execute("DETACH DATABASE shard")


def tails(titles: Iterable[str | None], texts: Iterable[str]) -> Iterator[tuple[str, str]]:
    """The last two characters of title and text, ASCII-lowered: where a two-character term begins no trigram."""
    for title, text in zip(titles, texts, strict=True):
        yield ascii_lower((title or "")[-TAIL:]), ascii_lower(text[-TAIL:])


# ---------------------------------------------------------------- answering a query


@dataclass(frozen=True, slots=True)
class Answer:
    rowids: list[int] | None  # None: no term could be looked up (show everything)
    terms: tuple[str, ...]  # the terms that were looked up
    skipped: tuple[str, ...]  # too short to look up


def ascii_lower(text: str) -> str:
    return "".join(c.lower() if c.isascii() else c for c in text)


def query_terms(query: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    terms = tuple(dict.fromkeys(ascii_lower(term) for term in query.split()))
    return tuple(t for t in terms if len(t) >= 2), tuple(t for t in terms if len(t) < 2)


def _quoted(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _trigrams(term: str) -> list[str]:
    return list(dict.fromkeys(term[i : i + 3] for i in range(len(term) - 2)))


def shard_count(connection: sqlite3.Connection) -> int:
    names = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB 'search_[0-9]*' "
                               "AND name NOT GLOB '*_*_*'").fetchall()
    return len(names)


def _term_rows(connection: sqlite3.Connection, term: str, shards: int) -> set[int]:
    found: set[int] = set()
    if len(term) == 2:
        for shard in range(shards):
            table = shard_table(shard)
            prefixed = [row[0] for row in connection.execute(
                f"SELECT term FROM [{table}_vocab] WHERE term >= ? AND term <= ? LIMIT {MAX_PREFIX_TRIGRAMS + 1}",
                (term, term + chr(0x10FFFF)))]
            if prefixed:
                expression = " OR ".join(map(_quoted, prefixed[:MAX_PREFIX_TRIGRAMS]))
                found.update(r[0] for r in connection.execute(
                    f"SELECT rowid FROM [{table}] WHERE [{table}] MATCH ?", (expression,)))
        found.update(r[0] for r in connection.execute(
            "SELECT n FROM search_tails WHERE title_tail = ? UNION SELECT n FROM search_tails WHERE text_tail = ?",
            (term, term)))
        return found
    expression = " AND ".join(map(_quoted, _trigrams(term)))
    for shard in range(shards):
        table = shard_table(shard)
        found.update(r[0] for r in connection.execute(f"SELECT rowid FROM [{table}] WHERE [{table}] MATCH ?",
                                                      (expression,)))
    if len(term) > 3 and found:
        folded = "lower({})" if any("a" <= c <= "z" for c in term) else "{}"  # no Latin letter: no copy to lower
        verified = connection.execute(
            "SELECT n FROM article_text WHERE n IN (SELECT value FROM json_each(?)) "
            f"AND (instr({folded.format('title')}, ?) > 0 OR instr({folded.format('text')}, ?) > 0)",
            (_json_list(found), term, term))
        found = {r[0] for r in verified}
    return found


def _json_list(rowids: Iterable[int]) -> str:
    return "[" + ",".join(map(str, rowids)) + "]"


def answer(connection: sqlite3.Connection, query: str) -> Answer:
    """The `article_text` rowids (= `articles` rowids) holding every term of the query."""
    terms, skipped = query_terms(query)
    if not terms:
        return Answer(None, terms, skipped)
    shards = shard_count(connection)
    rows: set[int] | None = None
    for term in sorted(terms, key=len, reverse=True):  # the longest term is the most selective
        found = _term_rows(connection, term, shards)
        rows = found if rows is None else rows & found
        if not rows:
            break
    return Answer(sorted(rows or ()), terms, skipped)


def rowid_filter(rowids: list[int]) -> tuple[str, str]:
    """A where clause for Datasette's table view and its parameter: the rows found."""
    return "rowid IN (SELECT value FROM json_each(:corpus_found))", _json_list(rowids)
