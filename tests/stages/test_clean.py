from collections import Counter

from corpus.params import CleanParams, IngestParams
from corpus.stages.clean import clean_segment, is_truncated, resolve_steps
from corpus.stages.ingest import run
from tests.conftest import SEED_FILES, SEEDS


def _cleaned(key):
    steps = resolve_steps(CleanParams().steps)
    rows = [r for r in run(SEEDS, IngestParams(), Counter()) if r["provenance"]["source_path"] == SEED_FILES[key]]
    return [clean_segment(r, steps, CleanParams()) for r in rows]


def test_seed_002_byline_prefix_becomes_publisher_and_reporter():
    for outcome in _cleaned("snippets_bylined"):
        record = outcome.record
        assert record["publisher"] == "데일리굿타임"
        assert record["reporters"] == ["유종운"]
        assert not record["text"].startswith("데일리굿타임")
        assert "기자 |" not in record["text"]


def test_seed_001_article_fields_and_clean_body():
    article, *teasers = _cleaned("page_newsk21")
    record = article.record
    assert record["publisher"] == "뉴스21"
    assert record["reporters"] == ["장병기"]
    assert record["published_at"].isoformat() == "2024-03-07T19:33:20+09:00"
    assert record["text"].startswith("광주시가 벤처기업협회와 손잡고")
    assert "\u00a0" not in record["text"]  # NBSPs of the page are gone
    assert record["is_truncated"] is False
    assert all(t.removal["fate"] == "dropped:sidebar_teaser" for t in teasers)


def test_seed_003_tv_seoul_byline_with_title():
    record = _cleaned("page_tvseoul")[0].record
    assert (record["publisher"], record["reporters"], record["section"]) == ("TV서울", ["심현주"], "지방자치")
    assert record["published_at"].isoformat() == "2025-04-09T09:05:03+09:00"


def test_seed_004_listing_entries_have_outlet_ministry_and_date():
    records = [o.record for o in _cleaned("listing")]
    assert {r["publisher"] for r in records} == {"세종타임즈"}
    assert records[0]["section"] == "과학기술정보통신부"
    assert records[0]["published_at"].isoformat() == "2025-12-18T00:00:00+09:00"
    assert not any(r["text"].startswith("[세종타임즈]") for r in records)


def test_seed_000_snippets_are_truncated():
    assert all(o.record["is_truncated"] for o in _cleaned("snippets"))


def test_truncation_heuristic():
    assert is_truncated("협약을 체결했다고 밝혔다.", cut_hint=False) is False
    assert is_truncated("협약을 체결했다고 밝", cut_hint=False) is True
    assert is_truncated("사실을....", cut_hint=False) is True
    assert is_truncated("협약을 체결했다.", cut_hint=True) is True


def test_edits_record_what_each_step_removed():
    outcome = _cleaned("snippets_bylined")[0]
    rules = {e["rule"]: e["chars_removed"] for e in outcome.edits}
    assert rules["byline_v2"] == len("데일리굿타임 유종운 기자 | ")


def test_each_edit_span_points_at_what_the_step_removed_from_the_raw_body():
    steps = resolve_steps(CleanParams().steps)
    rows = [r for r in run(SEEDS, IngestParams(), Counter()) if r["provenance"]["role"] != "teaser"]
    for row in rows:
        outcome = clean_segment(row, steps, CleanParams())
        for edit in outcome.edits:
            for span in edit["spans"]:
                assert 0 <= span["start"] <= span["end"] <= len(row["body"])
    snippet = next(r for r in rows if r["provenance"]["source_path"] == SEED_FILES["snippets_bylined"])
    byline = next(e for e in clean_segment(snippet, steps, CleanParams()).edits if e["rule"] == "byline_v2")
    [span] = byline["spans"]
    assert snippet["body"][span["start"] : span["end"]] == "데일리굿타임 유종운 기자 | "


def test_page_chrome_removed_by_boilerplate_is_located_in_the_raw_body():
    body = (
         "기사 본문이 시작된다.\n▲ 벤처기업협회 업무협약식\n본문이 이어진다.\n저작권자 © 뉴스21 무단전재 및 재배포 금지"
    )
    segment = {"segment_id": "s", "article_id": "a", "error": None, "body": body, "title": None, "publisher": None,
               "reporters": [], "date_text": None, "section": None, "url": None, "cut_hint": False,
               "provenance": {"role": "article"}}
    outcome = clean_segment(segment, resolve_steps(CleanParams().steps), CleanParams())
    assert outcome.record["text"] == "기사 본문이 시작된다.\n\n본문이 이어진다."
    removed = {e["rule"]: [body[s["start"] : s["end"]] for s in e["spans"]] for e in outcome.edits}
    assert removed["boilerplate_v2"] == ["▲ 벤처기업협회 업무협약식\n"]
    assert removed["credits_v1"] == ["\n저작권자 © 뉴스21 무단전재 및 재배포 금지"]  # the notice, with its line break
    assert outcome.record["publisher"] == "뉴스21"  # the outlet the notice names, when nothing else named one


def test_a_batch_where_nothing_is_kept_gives_empty_records_not_a_crash():
    import pyarrow as pa

    from corpus.record import SEGMENT_SCHEMA
    from corpus.stages.clean import clean_batch

    segments = list(run(SEEDS, IngestParams(), Counter()))
    teasers = [row for row in segments if row["provenance"]["role"] == "teaser"]
    cleaned = clean_batch(pa.RecordBatch.from_pylist(teasers, schema=SEGMENT_SCHEMA), CleanParams(), "chain")
    assert cleaned.records.num_rows == 0 and cleaned.removed.num_rows == len(teasers) > 0
