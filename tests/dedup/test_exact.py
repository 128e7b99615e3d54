from datetime import datetime

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.dedup.clusters import POLICY, Candidates, cluster, digest_bytes, digest_hex
from corpus.dedup.exact import exact_key
from corpus.dedup.minhash import fold
from corpus.dedup.partitions import Keys, equal_value_pairs

NO_PAIRS = np.zeros(0, dtype=np.int64)


def _candidates(rows, released=()):
    """(id, text key, truncated, n_chars, published) tuples → columns."""
    ids, keys, truncated, chars, published = zip(*rows, strict=True)
    policy = np.empty(len(rows), dtype=POLICY)
    policy["is_truncated"], policy["n_chars"] = truncated, chars
    policy["published"] = [int(day.timestamp()) if day else 0 for day in published]
    policy["undated"] = [day is None for day in published]
    flags = np.array([i in released for i in ids])
    return Candidates(
        ids=Keys.of(np.array([i.encode() for i in ids], "S12")),
        text_keys=Keys.of(np.array([k.encode() for k in keys], "S16")), policy=policy, released=lambda at: flags[at],
    )


def _representatives(candidates, first, second):
    """Each record's representative (itself when it is in no cluster of two or more)."""
    clusters = cluster(candidates, first, second)
    every = np.arange(len(candidates))
    every[clusters.members] = clusters.representative
    return every.tolist()


def test_exact_key_ignores_case_and_whitespace():
    assert exact_key("AI 데이터센터를\n\n 활용한다.") == exact_key("ai 데이터센터를 활용한다.")
    assert exact_key("AI 데이터센터를 활용한다.", folded=True) == exact_key("ai  데이터센터를\n활용한다.")
    assert exact_key("활용한다.") != exact_key("활용했다.")


def test_representative_is_the_untruncated_then_longer_then_earlier_then_smaller_id():
    day = datetime(2025, 1, 1)
    candidates = _candidates([
        ("c", "k", True, 900, day),  # truncated: never preferred over a full copy
        ("b", "k", False, 500, datetime(2025, 2, 1)),
        ("a", "k", False, 500, day),  # same length, earlier date
        ("z", "other", False, 100, None),
        ("y", "k2", False, 300, None),  # undated: after any dated copy
        ("x", "k2", False, 300, datetime(2030, 1, 1)),
        ("w", "k3", False, 200, day),  # all else equal: the smaller id
        ("v", "k3", False, 200, day),
    ])
    assert _representatives(candidates, NO_PAIRS, NO_PAIRS) == [2, 2, 2, 3, 5, 5, 7, 7]


def test_same_article_id_is_one_cluster_even_with_different_text():
    candidates = _candidates([("a", "k1", False, 10, None), ("a", "k2", False, 20, None)])
    assert _representatives(candidates, NO_PAIRS, NO_PAIRS) == [1, 1]


def test_near_pairs_join_clusters_transitively_and_a_released_article_stays_representative():
    rows = [("new", "k1", False, 900, None), ("old", "k2", True, 100, None), ("mid", "k3", False, 500, None)]
    pair = (np.array([0, 1]), np.array([2, 2]))  # new~mid, old~mid: one cluster of three
    assert _representatives(_candidates(rows), *pair) == [0, 0, 0]
    assert _representatives(_candidates(rows, released={"old"}), *pair) == [1, 1, 1]


def test_equal_values_link_to_their_first_occurrence():
    first, other = equal_value_pairs(np.array([b"a", b"b", b"a", b"c", b"b", b"a"]))
    assert sorted(zip(first.tolist(), other.tolist(), strict=True)) == [(0, 2), (0, 5), (1, 4)]


def test_digests_are_held_as_their_bytes_and_given_back_exactly():
    values = ["00" * 12, "0123456789abcdef01234500", "ff" * 12]  # trailing zero bytes survive the round trip
    chunked = pa.chunked_array([values[:1], values[1:]])
    held = digest_bytes(chunked.slice(1), 24)
    assert held.dtype == np.dtype("S12") and digest_hex(held) == values[1:]
    assert digest_hex(digest_bytes(pa.array(values), 24)) == values
    for bad in (["0123456789ABCDEF01234567"], ["0123"], ["0123456789abcdef0123456g"]):
        with pytest.raises(ValueError, match="hex digits"):
            digest_bytes(pa.array(bad), 24)


def test_the_representative_of_a_cluster_does_not_depend_on_record_order():
    rows = [("b", "k", False, 500, None), ("c", "k2", False, 700, None), ("a", "k3", False, 500, None),
            ("d", "k4", False, 100, None)]
    pairs = (np.array([0, 1]), np.array([1, 2]))  # b~c, c~a; d alone
    order = [3, 2, 0, 1]  # the same records, shuffled; pairs renumbered
    position = {old: new for new, old in enumerate(order)}
    shuffled = _candidates([rows[i] for i in order])
    moved = (np.array([position[i] for i in pairs[0]]), np.array([position[i] for i in pairs[1]]))
    assert _representatives(_candidates(rows), *pairs) == [1, 1, 1, 3]
    assert [order[r] for r in _representatives(shuffled, *moved)] == [3, 1, 1, 1]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=" \n\tAaßΣσςİi가나.", max_size=40))
def test_the_folded_fast_path_gives_the_same_key(text):
    assert exact_key(fold(text), folded=True) == exact_key(text)
