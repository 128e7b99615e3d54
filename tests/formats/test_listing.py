from corpus.formats.listing import Listing
from corpus.params import IngestParams
from tests.conftest import open_raw, seed_path


def _entries():
    source = open_raw(seed_path("listing"))
    assert Listing().detect(source)
    return list(Listing().segment(source, IngestParams()))


def test_seed_004_has_ten_entries_with_title_and_date():
    entries = _entries()
    assert len(entries) == 10
    assert entries[0].title == "국내기업의 인공지능 모델 최적화·경량화 기술 국가전략기술 해당 확인"
    assert [e.date_text for e in entries[:3]] == ["2025-12-18", "2025-12-18", "2025-12-17"]
    assert all(e.role == "listing_entry" and e.body.startswith("[세종타임즈]") for e in entries)


def test_issuing_ministry_is_read_and_a_subtitle_is_not_mistaken_for_one():
    sections = [e.section for e in _entries()]
    assert sections == [
        "과학기술정보통신부", None,  # entry 2 has a subtitle line, not a ministry
        "국토교통부", None,  # entry 4 has no issuer line at all
        "산업통상자원부", "기획재정부", "산업통상자원부", "산업통상자원부", "과학기술정보통신부", "산업통상자원부",
    ]


def test_entry_span_runs_from_title_to_date_line():
    first = _entries()[0]
    assert (first.first.number, first.last.number) == (3, 6)
