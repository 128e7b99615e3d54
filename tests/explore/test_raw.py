"""The raw body under the edits: each run of it names the rules that removed or masked it, and a raw file that
is missing or changed says so instead of showing the wrong text."""

from __future__ import annotations

import sqlite3

from corpus.explore.database import database_for
from corpus.explore.raw import Piece, RawFolder, pieces, rule_action, rule_label
from corpus.params import IngestParams
from tests.explore.conftest import BYLINE, NOTICE, WORD, Explored


def _edit(rule: str, *spans: tuple[int, int]) -> dict:
    return {"rule": rule, "chars_removed": 0, "spans": [{"start": s, "end": e} for s, e in spans]}


def test_runs_name_every_rule_covering_them():
    body = "기자 | 본문입니다.\xa0끝"
    runs = pieces(body, [_edit("byline_v2", (0, 5)), _edit("normalize_v1", (11, 12)), _edit("whitespace_v1", (4, 5))])
    assert runs == [Piece("기자 |", ("byline_v2",)), Piece(" ", ("byline_v2", "whitespace_v1")),
                    Piece("본문입니다.", ()), Piece("\xa0", ("normalize_v1",)), Piece("끝", ())]
    assert "".join(run.text for run in runs) == body
    assert runs[1].shown == "␣" and runs[1].label == "byline v2, whitespace v1"


def test_an_insertion_is_an_empty_run_at_its_place():
    runs = pieces("밝혔다.이번", [_edit("sentence_spacing_v1", (4, 4))])
    assert runs == [Piece("밝혔다.", ()), Piece("", ("sentence_spacing_v1",)), Piece("이번", ())]
    assert runs[1].shown == "‸"


def test_rules_are_labelled_with_name_and_version():
    assert rule_label("credits_v1") == "credits v1" and rule_label("odd") == "odd"
    assert rule_action("pii_v3") == "masked" and rule_action("byline_v2") == "removed"


def _bylined_segment(explored: Explored) -> dict:
    path, _ = database_for(explored.release, explored.cache)
    with sqlite3.connect(path) as connection:
        connection.row_factory = sqlite3.Row
        return dict(connection.execute("SELECT * FROM ledger WHERE fate = 'kept' AND rules LIKE '%credits_v1%' "
                                       "AND edits LIKE '%byline_v2%'").fetchone())


def test_the_raw_body_shows_the_byline_and_the_notice_removed(explored: Explored):
    import json

    segment = _bylined_segment(explored)
    raw = RawFolder(explored.raw, IngestParams()).body(segment)
    assert raw.problem is None and WORD in raw.text
    removed = {run.text.strip(): run.rules for run in pieces(raw.text, json.loads(segment["edits"])) if run.rules}
    assert removed[BYLINE] == ("byline_v2",) and removed[NOTICE] == ("credits_v1",)


def test_a_missing_or_changed_raw_file_is_said(explored: Explored, tmp_path):
    segment = _bylined_segment(explored)
    assert "--raw" in RawFolder(None, IngestParams()).body(segment).problem
    assert "is not in" in RawFolder(tmp_path, IngestParams()).body(segment).problem
    (tmp_path / segment["source_path"]).write_text("다른 파일\n", encoding="utf-8")
    assert "is not the file the release was built from" in RawFolder(tmp_path, IngestParams()).body(segment).problem
