"""The explorer's SQLite file: a release's articles, ledger and search index, built with sqlite-utils.

Derived, never published: it lives in a cache folder under the release's fingerprint (the sha256 of its
checksum manifest) and the version of this layout, is built once and reused by every later start. The same
release gives the same bytes (fixed shard plan, no clock, rows in release order), whatever the worker count.

Tables:
- `articles`: one row per published article — fields, split, month, quality signals, cluster, provenance;
  `article_text` (hidden): its rowid, title and cleaned text; `search_*`: the index (corpus.explore.search);
- `ledger`: one row per raw segment — fate, a reason to filter by, every reason, the cleaning edits (JSON),
  provenance, and `cluster_id` (the article it was kept as, or the one it duplicates);
- `release_info`: key/value facts of the release (fingerprint, version, counts).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from corpus.errors import UsageError
from corpus.explore import search
from corpus.plumbing.executors.orphans import end_with_parent
from corpus.release.ledger import fate_group
from corpus.release.marker import is_release

LAYOUT_VERSION = 1  # bump when the tables change: a new file is built beside the old one
SHARD_ROWS = 25_000  # rows a search shard indexes; fixed, so the file does not depend on the worker count
LEAD_CHARS = 160
PROVENANCE = ("source_path", "line_start", "line_end", "byte_start", "byte_end", "source_sha256", "source_format",
              "encoding", "segment_index", "role")
QUALITY = ("n_chars", "n_sentences", "n_paragraphs", "hangul_ratio", "hanja_ratio", "latin_ratio", "digit_ratio",
           "dup_line_fraction")


def check_release(release: Path) -> None:
    if not release.exists():
        raise UsageError(f"release folder {release} does not exist: build one (corpus run) or name it")
    if not release.is_dir() or not is_release(release) or not (release / "ledger").is_dir():
        raise UsageError(f"{release} is not a release folder (no .corpus-release and ledger/): name the folder "
                         "`corpus run --output` or `dvc repro` wrote")


def default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "korean-news-corpus" / "explore"


def database_for(release: Path, cache: Path, workers: int = 1) -> tuple[Path, bool]:
    """The explorer's file for this release (built now if this fingerprint has none) and whether it was built."""
    from corpus.release.citation import data_fingerprint

    check_release(release)
    target = cache / f"{data_fingerprint(release)}.v{LAYOUT_VERSION}" / "corpus.db"
    if target.is_file():
        return target, False
    target.parent.mkdir(parents=True, exist_ok=True)
    build(release, target, workers)
    return target, True


def build(release: Path, target: Path, workers: int = 1) -> None:
    """Write the explorer's file for `release` at `target` (atomically: a reader never sees half a file)."""
    import sqlite_utils

    scratch = Path(tempfile.mkdtemp(prefix=".building-", dir=target.parent))
    try:
        files = [(str(path), pq.ParquetFile(path).metadata.num_rows) for path in data_files(release)]
        jobs = search.plan_shards(files, -(-sum(n for _, n in files) // SHARD_ROWS), scratch)
        pool, pending = _start_shards(jobs, workers)
        db = sqlite_utils.Database(scratch / "explore.db")
        for pragma in ("page_size=16384", "journal_mode=OFF", "synchronous=OFF", "cache_size=-262144"):
            db.execute(f"PRAGMA {pragma}")
        for write in (write_articles, write_ledger, write_info):
            write(db, release)
            db.conn.commit()  # executemany opened a transaction that sqlite-utils' DDL does not end
        built = pending.get() if pending is not None else [search.build_shard(job) for job in jobs]
        if pool is not None:
            pool.close()
            pool.join()
        assert len(built) == len(jobs)
        for job in jobs:
            search.copy_shard(db.conn, job)
            Path(job.path).unlink()
        write_counts(db)
        db.conn.commit()
        db.execute("PRAGMA journal_mode=DELETE")
        db.close()
        os.replace(scratch / "explore.db", target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _start_shards(jobs: list[search.ShardJob], workers: int) -> tuple[Any, Any]:
    """Shards index on a forked pool while this process writes the other tables (before it opens SQLite)."""
    if workers <= 1 or len(jobs) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return None, None
    pool = multiprocessing.get_context("fork").Pool(min(workers, len(jobs)), initializer=end_with_parent)
    return pool, pool.map_async(search.build_shard, jobs, chunksize=1)


def data_files(release: Path) -> list[Path]:
    return sorted((release / "data").glob("*.parquet"))


def _field(column: pa.ChunkedArray, name: str) -> pa.ChunkedArray:
    return pc.struct_field(column, name)


def _insert(db: Any, table: str, columns: dict[str, list[Any]]) -> None:
    """Rows as columns, through executemany: sqlite-utils made the table; its insert_all, one dict a row, was
    most of the build's time at 100k articles."""
    names = ", ".join(f"[{name}]" for name in columns)
    marks = ", ".join("?" * len(columns))
    db.conn.executemany(f"INSERT INTO [{table}] ({names}) VALUES ({marks})", zip(*columns.values(), strict=True))


ARTICLE_COLUMNS = {"id": str, "title": str, "publisher": str, "section": str, "published_at": str, "month": str,
                   "split": str, "is_truncated": int, "reporters": str, "url": str, "lead": str,
                   **dict.fromkeys(QUALITY[:3], int), **dict.fromkeys(QUALITY[3:], float), "cluster_id": str,
                   "cluster_size": int, "segment_id": str, **dict.fromkeys(PROVENANCE, str)}
ARTICLE_COLUMNS.update(dict.fromkeys(("line_start", "line_end", "byte_start", "byte_end", "segment_index"), int))


def article_columns(table: pa.Table, split: str) -> dict[str, list[Any]]:
    """The `articles` columns of one data file."""
    published, provenance = table.column("published_at"), table.column("provenance")
    quality, dedup = table.column("quality"), table.column("dedup")
    plain = {name: table.column(name).to_pylist() for name in ("id", "title", "publisher", "section", "url")}
    return {
        **plain,
        "published_at": pc.strftime(published, format="%Y-%m-%d %H:%M").to_pylist(),
        "month": pc.strftime(published, format="%Y-%m").to_pylist(),
        "split": [split] * table.num_rows,
        "is_truncated": pc.cast(table.column("is_truncated"), pa.int8()).to_pylist(),
        "reporters": [json.dumps(names, ensure_ascii=False) for names in table.column("reporters").to_pylist()],
        "lead": pc.utf8_slice_codeunits(table.column("text"), 0, LEAD_CHARS).to_pylist(),
        **{name: _field(quality, name).to_pylist() for name in QUALITY},
        **{name: _field(dedup, name).to_pylist() for name in ("cluster_id", "cluster_size")},
        "segment_id": _field(provenance, "segment_id").to_pylist(),
        **{name: _field(provenance, name).to_pylist() for name in PROVENANCE},
    }


def write_articles(db: Any, release: Path) -> None:
    articles, texts, tails = db["articles"], db["article_text"], db["search_tails"]
    articles.create(ARTICLE_COLUMNS, pk="id")
    texts.create({"n": int, "id": str, "title": str, "text": str}, pk="n")
    tails.create({"n": int, "title_tail": str, "text_tail": str}, pk="n")
    rowid = 1
    for path in data_files(release):
        table = pq.read_table(path)
        rowids = list(range(rowid, rowid + table.num_rows))
        _insert(db, "articles", {"rowid": rowids, **article_columns(table, path.name.split("-")[0])})
        title, text = pc.fill_null(table.column("title"), ""), table.column("text")
        _insert(db, "article_text", {"n": rowids, "id": table.column("id").to_pylist(), "title": title.to_pylist(),
                                     "text": text.to_pylist()})
        ends = [pc.ascii_lower(pc.utf8_slice_codeunits(column, -search.TAIL, 1 << 30)).to_pylist()
                for column in (title, text)]
        _insert(db, "search_tails", {"n": rowids, "title_tail": ends[0], "text_tail": ends[1]})
        rowid += table.num_rows
    for columns in (["publisher"], ["section"], ["split"], ["month"], ["is_truncated"], ["cluster_id"]):
        articles.create_index(columns)
    tails.create_index(["title_tail"])
    tails.create_index(["text_tail"])


def reason_of(fate: str, reasons: list[str]) -> str | None:
    """What to filter the ledger by: the drop reason, the kind of duplicate, or the head of the first reason
    (an expectation's name, `undecodable`), never the offending value that follows a colon."""
    if fate == "kept":
        return None
    if fate.startswith("dropped:"):
        return fate.split(":", 1)[1]
    return reasons[0].split(":", 1)[0].strip() if reasons else fate_group(fate)


def cluster_of(fate: str, article_id: str | None) -> str | None:
    if fate == "kept":
        return article_id
    return fate.split(":", 1)[1] if fate.startswith("duplicate_of:") else None


LEDGER_COLUMNS = {"segment_id": str, "article_id": str, "title": str, "fate": str, "fate_group": str, "reason": str,
                  "reasons": str, "cluster_id": str, "rules": str, "edits": str, **dict.fromkeys(PROVENANCE, str)}
LEDGER_COLUMNS.update(dict.fromkeys(("line_start", "line_end", "byte_start", "byte_end", "segment_index"), int))


def _edit_columns(edits: pa.ChunkedArray) -> tuple[list[str], list[str]]:
    """The edits as JSON and the names of their rules as a JSON list; only rows with edits go through Python."""
    has = pc.greater(pc.list_value_length(edits), 0).to_pylist()
    listed = iter(edits.filter(pc.greater(pc.list_value_length(edits), 0)).to_pylist())
    as_json, rules = [], []
    for flag in has:
        row = next(listed) if flag else []
        as_json.append(json.dumps(row) if flag else "[]")
        rules.append(json.dumps([edit["rule"] for edit in row]) if flag else "[]")
    return as_json, rules


def ledger_columns(batch: pa.Table) -> dict[str, list[Any]]:
    provenance = batch.column("provenance")
    fates, reasons, articles = (batch.column(n).to_pylist() for n in ("fate", "reasons", "article_id"))
    edits, rules = _edit_columns(batch.column("edits"))
    return {
        "segment_id": batch.column("segment_id").to_pylist(), "article_id": articles,
        "title": batch.column("title").to_pylist(), "fate": fates, "fate_group": [fate_group(f) for f in fates],
        "reason": [reason_of(f, r) for f, r in zip(fates, reasons, strict=True)],
        "reasons": [json.dumps(r, ensure_ascii=False) if r else "[]" for r in reasons],
        "cluster_id": [cluster_of(f, a) for f, a in zip(fates, articles, strict=True)],
        "rules": rules, "edits": edits, **{name: _field(provenance, name).to_pylist() for name in PROVENANCE},
    }


def write_ledger(db: Any, release: Path) -> None:
    """The `ledger` table, and `raw_files`: each raw file once, with the shape it was read as and why."""
    ledger = db["ledger"]
    ledger.create(LEDGER_COLUMNS, pk="segment_id")
    files: dict[str, dict[str, Any]] = {}
    for path in sorted((release / "ledger").glob("*.parquet")):
        table = pq.read_table(path)
        _insert(db, "ledger", ledger_columns(table))
        provenance = table.column("provenance")
        keys = ("source_path", "source_sha256", "source_format", "encoding", "shape_evidence")
        for values in zip(*(_field(provenance, key).to_pylist() for key in keys), strict=True):
            known = files.setdefault(values[0], {**dict(zip(keys, values, strict=True)), "segments": 0})
            known["segments"] += 1
    db["raw_files"].insert_all(files.values(), pk="source_path")
    for columns in (["fate"], ["fate_group"], ["reason"], ["source_path"], ["cluster_id"], ["article_id"]):
        ledger.create_index(columns)


def write_info(db: Any, release: Path) -> None:
    stats = json.loads((release / "stats.json").read_text(encoding="utf-8"))
    facts = {"fingerprint": stats.get("fingerprint"), "version": stats.get("version"),
             "articles": stats.get("articles"), "segments": stats.get("ledger", {}).get("segments"),
             "ledger": json.dumps(stats.get("ledger", {})), "layout_version": LAYOUT_VERSION}
    db["release_info"].insert_all(({"key": k, "value": str(v)} for k, v in facts.items()), pk="key")


def write_counts(db: Any) -> None:
    """Rows per table, so that Datasette does not count them at each start (a scan of every text at 100k)."""
    same = ("article_text", "search_tails")  # one row an article: not scanned (every text at 100k)
    counts = {name: db[name].count for name in db.table_names() if not name.startswith("search_") and name not in same}
    counts.update(dict.fromkeys(same, counts["articles"]))
    db["release_info"].insert({"key": "table_counts", "value": json.dumps(counts, sort_keys=True)}, pk="key")


def read_info(path: Path) -> dict[str, str]:
    with sqlite3.connect(f"file:{path}?immutable=1", uri=True) as connection:
        return dict(connection.execute("SELECT key, value FROM release_info").fetchall())
