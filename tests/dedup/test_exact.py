from datetime import datetime

from corpus.dedup.clusters import cluster
from corpus.dedup.exact import Candidate, exact_key


def test_exact_key_ignores_case_and_whitespace():
    assert exact_key("AI 데이터센터를\n\n 활용한다.") == exact_key("ai 데이터센터를 활용한다.")
    assert exact_key("활용한다.") != exact_key("활용했다.")


def test_representative_is_the_untruncated_then_longer_then_earlier_then_smaller_id():
    day = datetime(2025, 1, 1)
    candidates = [
        Candidate("c", "k", True, 900, day),  # truncated: never preferred over a full copy
        Candidate("b", "k", False, 500, datetime(2025, 2, 1)),
        Candidate("a", "k", False, 500, day),  # same length, earlier date
        Candidate("z", "other", False, 100, None),
    ]
    assert cluster(candidates, []) == [2, 2, 2, 3]


def test_same_article_id_is_one_cluster_even_with_different_text():
    candidates = [Candidate("a", "k1", False, 10, None), Candidate("a", "k2", False, 20, None)]
    assert cluster(candidates, []) == [1, 1]


def test_near_pairs_join_clusters_and_a_released_article_stays_representative():
    candidates = [Candidate("new", "k1", False, 900, None), Candidate("old", "k2", True, 100, None)]
    assert cluster(candidates, [(0, 1)]) == [0, 0]
    assert cluster(candidates, [(0, 1)], released=frozenset({"old"})) == [1, 1]
