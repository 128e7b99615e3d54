"""The explorer's SQLite file: every article and ledger row of a real release, built once per fingerprint,
the same bytes whatever the worker count."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from corpus.errors import UsageError
from corpus.explore.database import build, check_release, cluster_of, database_for, reason_of
from corpus.release.ledger import FATE_GROUPS
from tests.explore.conftest import Explored


def _rows(path: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(path) as connection:
        return connection.execute(sql).fetchall()


def test_every_article_and_ledger_row_is_in_the_file(explored: Explored):
    path, _built = database_for(explored.release, explored.cache)
    stats = json.loads((explored.release / "stats.json").read_text(encoding="utf-8"))
    assert _rows(path, "SELECT count(*) FROM articles") == [(stats["articles"],)]
    assert _rows(path, "SELECT count(*) FROM ledger") == [(stats["ledger"]["segments"],)]
    groups = dict(_rows(path, "SELECT fate_group, count(*) FROM ledger GROUP BY fate_group"))
    assert groups == {group: n for group, n in stats["ledger"].items() if group in FATE_GROUPS and n}
    assert _rows(path, "SELECT count(*) FROM articles a JOIN article_text t ON t.n = a.rowid AND t.id = a.id") == \
        [(stats["articles"],)]
    assert _rows(path, "SELECT value FROM release_info WHERE key = 'fingerprint'") == [(stats["fingerprint"],)]


def test_a_duplicate_is_filed_under_the_cluster_of_the_article_it_repeats(explored: Explored):
    path, _ = database_for(explored.release, explored.cache)
    clusters = _rows(path, "SELECT l.cluster_id, group_concat(l.fate_group) FROM ledger l "
                           "WHERE l.cluster_id IN (SELECT cluster_id FROM ledger WHERE fate_group = 'duplicate') "
                           "GROUP BY l.cluster_id")
    assert clusters and all(sorted(fates.split(",")) == ["duplicate", "kept"] for _, fates in clusters)
    assert _rows(path, "SELECT DISTINCT reason FROM ledger WHERE fate_group = 'duplicate'") == [("exact",)]


def test_reasons_to_filter_by_leave_out_the_offending_value():
    assert reason_of("dropped:sidebar_teaser", ["a cut preview of another article"]) == "sidebar_teaser"
    assert reason_of("quarantined", ["expect_column_value_lengths_to_be_between(text)[max]: 90211"]) == \
        "expect_column_value_lengths_to_be_between(text)[max]"
    assert reason_of("duplicate_of:ab", ["near-duplicate: Jaccard 0.81"]) == "near-duplicate"
    assert reason_of("kept", []) is None
    assert cluster_of("duplicate_of:ab", "cd") == "ab" and cluster_of("kept", "cd") == "cd"
    assert cluster_of("dropped:quality", "cd") is None


def test_the_second_start_reuses_the_file(explored: Explored):
    first, _ = database_for(explored.release, explored.cache)
    before = first.stat().st_mtime_ns
    again, built = database_for(explored.release, explored.cache)
    assert (again, built) == (first, False) and again.stat().st_mtime_ns == before
    assert first.parent.name.startswith(json.loads((explored.release / "stats.json").read_text())["fingerprint"])


def test_the_file_is_the_same_bytes_for_one_worker_or_two(explored: Explored, tmp_path: Path, monkeypatch):
    import corpus.explore.database

    monkeypatch.setattr(corpus.explore.database, "SHARD_ROWS", 10)  # several shards even for the seeds
    digests = []
    for workers in (1, 2):
        target = tmp_path / f"w{workers}" / "corpus.db"
        target.parent.mkdir()
        build(explored.release, target, workers)
        digests.append(hashlib.sha256(target.read_bytes()).hexdigest())
        assert _rows(target, "SELECT count(*) FROM sqlite_master WHERE name GLOB 'search_[0-9]'") == [(3,)]
    assert digests[0] == digests[1]


def test_a_folder_that_is_not_a_release_is_refused(tmp_path: Path):
    with pytest.raises(UsageError, match="does not exist"):
        check_release(tmp_path / "nowhere")
    with pytest.raises(UsageError, match="is not a release folder"):
        check_release(tmp_path)


def test_a_release_without_articles_still_has_its_ledger_and_answers_searches(tmp_path: Path):
    from corpus.explore.search import answer
    from corpus.pipeline import run_all
    from tests.conftest import PARAMS

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.bin").write_bytes(b"\x00\x01 not text")
    run_all(raw, tmp_path / "release", PARAMS)
    path, built = database_for(tmp_path / "release", tmp_path / "cache")
    assert built and _rows(path, "SELECT fate, reason FROM ledger") == [("quarantined", "undecodable")]
    with sqlite3.connect(path) as connection:
        assert answer(connection, "광주").rowids == [] and answer(connection, "광주시").rowids == []
