"""`corpus explore` at scale: how long the SQLite file takes to build and how fast a Korean search answers.

    .venv/bin/python benchmarks/explore.py --articles 100000            # builds the synthetic release first
    .venv/bin/python benchmarks/explore.py --release /tmp/rel100k       # or reuses one

Builds the explorer's file from the release (wall seconds, and CPU seconds of this process and its shard
workers, as the host may be shared), then times searches through Datasette's own table view (rows, count
and the five facets: what a browser waits for) and the index lookup alone, for a two-character word, a
three-character one, longer words and a two-term query, each the median of `--repeats` runs after one warm-up.
The terms are words of the seed sentences the synthetic articles are made of.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import write_corpus

from corpus.explore.database import build
from corpus.explore.search import answer
from corpus.pipeline import run_all

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ("광주", "방산", "소공인", "인공지능", "방위산업을", "광주 인공지능")


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


async def _page_seconds(datasette, query: str, repeats: int) -> tuple[float, float, int]:
    """Median seconds of the first page of a query (its rows not yet looked up), of the page again (the plugin
    keeps a query's rows while it is browsed), and the rows found."""
    from corpus.explore import plugin

    path = "/corpus/articles.json?_size=50&_q=" + urllib.parse.quote(query)
    response = await datasette.client.get(path)
    assert response.status_code == 200, response.text
    cold, warm = [], []
    for _ in range(repeats):
        plugin._ANSWERS.clear()
        for seconds in (cold, warm):
            started = time.perf_counter()
            response = await datasette.client.get(path)
            seconds.append(time.perf_counter() - started)
    return statistics.median(cold), statistics.median(warm), response.json()["filtered_table_rows_count"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--release", type=Path, help="an existing release folder (default: build a synthetic one)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--database", type=Path, help="time searches on this explorer file (no build)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="corpus-explore-bench-") as scratch:
        root = Path(scratch)
        release = args.release
        if release is None:
            write_corpus(root / "raw", args.articles, shapes="mixed")
            release = root / "release"
            run_all(root / "raw", release, ROOT / "params.yaml")
        target = args.database or root / "explore" / "corpus.db"
        if args.database is None:
            target.parent.mkdir()
            cpu, started = _cpu(), time.perf_counter()
            build(release, target, args.workers)
            wall, cpu = time.perf_counter() - started, _cpu() - cpu
            articles = sqlite3.connect(target).execute("SELECT count(*) FROM articles").fetchone()[0]
            print(f"{articles:,} articles: SQLite file built in {wall:.1f} s wall, {cpu:.1f} s CPU "
                  f"({args.workers} workers, load average {os.getloadavg()[0]:.1f}), "
                  f"{target.stat().st_size / 1e6:,.0f} MB\n")

        from corpus.explore.serve import app

        datasette = app(target, release, None, None)
        connection = sqlite3.connect(f"file:{target}?immutable=1", uri=True)
        print("| query | characters | articles found | index lookup s | first page (rows, count, 5 facets) s | "
              "the page again s |\n|---|---|---|---|---|---|")
        for query in QUERIES:
            answer(connection, query)
            lookups = []
            for _ in range(args.repeats):
                started = time.perf_counter()
                found = answer(connection, query)
                lookups.append(time.perf_counter() - started)
            cold, warm, count = asyncio.run(_page_seconds(datasette, query, args.repeats))
            assert count == len(found.rowids or [])
            print(f"| {query} | {max(map(len, query.split()))} | {count:,} | {statistics.median(lookups):.3f} | "
                  f"{cold:.3f} | {warm:.3f} |")
        print(f"\nload average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
