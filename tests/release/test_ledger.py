import pytest

from corpus.release.ledger import ConservationError, assign_fates, fate_totals


def test_every_segment_gets_exactly_one_fate():
    removals = [{"segment_id": "b", "fate": "duplicate_of:" + "0" * 24, "reasons": ["exact"]},
                {"segment_id": "c", "fate": "dropped:sidebar_teaser", "reasons": ["teaser"]},
                {"segment_id": "d", "fate": "quarantined", "reasons": ["x"]}]
    fates = assign_fates(["a", "b", "c", "d"], ["a"], removals)
    assert fate_totals(fates) == {"segments": 4, "kept": 1, "quarantined": 1, "duplicate": 1, "dropped": 1,
                                  "taken_down": 0}


def test_a_silently_dropped_segment_breaks_the_build():
    with pytest.raises(ConservationError, match=r"1 segment\(s\) with no fate, e.g. \['c'\]"):
        assign_fates(["a", "b", "c"], ["a", "b"], [])


def test_a_segment_with_two_fates_breaks_the_build():
    with pytest.raises(ConservationError, match="two fates"):
        assign_fates(["a"], ["a"], [{"segment_id": "a", "fate": "quarantined", "reasons": []}])
