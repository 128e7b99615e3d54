import pytest

from corpus.release.ledger import ConservationError, FateBook


def _claim_all(segment_ids, kept, removals):
    book = FateBook(kept, removals)
    fates = {segment_id: book.claim(segment_id) for segment_id in segment_ids}
    return fates, book.totals()


def test_every_segment_gets_exactly_one_fate():
    removals = [
        {"segment_id": "b", "fate": "duplicate_of:" + "0" * 24, "reasons": ["exact"]},
        {"segment_id": "c", "fate": "dropped:sidebar_teaser", "reasons": ["teaser"]},
        {"segment_id": "d", "fate": "quarantined", "reasons": ["x"]},
    ]
    fates, totals = _claim_all(["a", "b", "c", "d"], ["a"], removals)
    assert totals == {"segments": 4, "kept": 1, "quarantined": 1, "duplicate": 1, "dropped": 1, "taken_down": 0,
                      "contaminated": 0, "published": 1}
    assert fates["a"] == ("kept", []) and fates["c"] == ("dropped:sidebar_teaser", ["teaser"])


def test_a_silently_dropped_segment_breaks_the_build():
    with pytest.raises(ConservationError, match=r"1 segment\(s\) with no fate, e.g. \['c'\]"):
        _claim_all(["a", "b", "c"], ["a", "b"], [])


def test_a_segment_with_two_fates_breaks_the_build():
    with pytest.raises(ConservationError, match=r"two fates, e.g. \['a \(kept and quarantined\)'\]"):
        _claim_all(["a"], ["a"], [{"segment_id": "a", "fate": "quarantined", "reasons": []}])


def test_a_fate_for_a_segment_ingest_never_produced_breaks_the_build():
    with pytest.raises(ConservationError, match=r"ingest never produced, e.g. \['z'\]"):
        _claim_all(["a"], ["a"], [{"segment_id": "z", "fate": "quarantined", "reasons": []}])


def test_a_flagged_article_is_published_but_its_fate_is_contaminated():
    flag = {"segment_id": "a", "fate": "contaminated:klue-ner:x-1", "reasons": ["overlap 1.00"]}
    removal = {"segment_id": "b", "fate": "contaminated:klue-dp:y-2", "reasons": ["overlap 0.90"]}
    book = FateBook(["a", "c"], [removal], [flag])
    fates = {segment_id: book.claim(segment_id) for segment_id in "abc"}
    assert fates["a"] == ("contaminated:klue-ner:x-1", ["overlap 1.00"]) and fates["c"] == ("kept", [])
    totals = book.totals()
    assert totals["segments"] == 3 and totals["contaminated"] == 2 and totals["kept"] == 1
    assert totals["published"] == 2  # kept + flagged


def test_a_flag_for_an_article_taken_down_is_not_a_second_fate():
    flag = {"segment_id": "a", "fate": "contaminated:klue-ner:x-1", "reasons": []}
    book = FateBook([], [{"segment_id": "a", "fate": "taken_down", "reasons": ["request"]}], [flag])
    assert book.claim("a") == ("taken_down", ["request"]) and book.totals()["contaminated"] == 0
