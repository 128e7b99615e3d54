from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import pyarrow as pa

from corpus.quality import quality_signals
from corpus.record import WORK_SCHEMA
from corpus.stages.validate import run
from tests.conftest import ROOT

SUITE = ROOT / "schema" / "expectations" / "record_rows.json"
KST = ZoneInfo("Asia/Seoul")
GOOD_TEXT = (
    "광주시가 벤처기업협회와 손잡고 국가인공지능 데이터센터 등 기반시설을 활용해 "
    "인공지능 실증도시 조성에 박차를 가한다."
)


def _row(index, **changes):
    row = {
        "id": f"{index:024x}", "title": "광주시, 인공지능 실증도시 조성", "text": GOOD_TEXT, "publisher": "뉴스21",
        "reporters": ["장병기"], "published_at": datetime(2024, 3, 7, 19, 33, 20, tzinfo=KST), "section": None,
        "url": None, "is_truncated": False,
        "provenance": {"segment_id": f"s{index:023x}", "source_path": "x.txt", "source_sha256": "0" * 64,
                       "byte_start": 0, "byte_end": 1, "line_start": 1, "line_end": 1, "source_format": "page_dump",
                       "encoding": "utf-8", "segment_index": index, "role": "article", "pipeline_version": "t",
                       "params_sha256": ""},
    }
    row.update(changes)
    row["quality"] = quality_signals(row["text"] or "")
    return row


def _validate(rows):
    batch = pa.RecordBatch.from_pylist(rows, schema=WORK_SCHEMA)
    counts, failures = Counter(), Counter()
    [(passed, removals)] = list(run(iter([batch]), SUITE, counts, failures))
    return passed, {r["segment_id"]: r["reasons"] for r in removals}, counts


def test_good_rows_pass_the_real_gx_suite():
    passed, removed, counts = _validate([_row(1), _row(2)])
    assert passed.num_rows == 2 and not removed
    assert counts == {"total": 2, "kept": 2, "quarantined": 0}


def test_each_bad_row_is_quarantined_with_the_failed_expectation():
    rows = [
        _row(1),
        _row(2, published_at=datetime(2045, 1, 1, tzinfo=KST)),
        _row(3, text="짧다."),
        _row(4, text="The quick brown fox jumps over the lazy dog again and again, all in English text here."),
        _row(5, text=GOOD_TEXT + " 문의 010-1234-5678"),
        _row(6, id="not-an-id"),
    ]
    passed, removed, counts = _validate(rows)
    assert passed.column("id").to_pylist() == [f"{1:024x}"]
    reasons = {key[-1]: " ".join(value) for key, value in removed.items()}
    assert "expect_column_values_to_be_between(published_at)" in reasons["2"]
    assert "expect_column_value_lengths_to_be_between(text)" in reasons["3"]
    assert "expect_column_values_to_be_between(quality_hangul_ratio)" in reasons["4"]
    assert "[no_mobile_phone]" in reasons["5"]
    assert "expect_column_values_to_match_regex(id): not-an-id" in reasons["6"]
    assert counts["quarantined"] == 5
