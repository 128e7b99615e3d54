import pytest

from corpus.fields.dates import parse_kst


@pytest.mark.parametrize(("text", "iso"), [
    ("등록 2024-03-07 19:33:20", "2024-03-07T19:33:20+09:00"),
    ("2025.04.09 09:05:03", "2025-04-09T09:05:03+09:00"),
    ("2025-12-18", "2025-12-18T00:00:00+09:00"),
    ("2026-02-05 10:27:50", "2026-02-05T10:27:50+09:00"),
    ("2025년 4월 9일 오후 2:05", "2025-04-09T14:05:00+09:00"),
])
def test_dates_are_read_as_kst(text, iso):
    assert parse_kst(text).isoformat() == iso


@pytest.mark.parametrize("text", [None, "", "날짜 없음", "2025-13-01"])
def test_absent_or_impossible_dates_are_none(text):
    assert parse_kst(text) is None
