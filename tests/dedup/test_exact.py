from datetime import datetime

from corpus.dedup.exact import Candidate, exact_clusters, exact_key


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
    assert exact_clusters(candidates) == [2, 2, 2, 3]


def test_same_article_id_is_one_cluster_even_with_different_text():
    candidates = [Candidate("a", "k1", False, 10, None), Candidate("a", "k2", False, 20, None)]
    assert exact_clusters(candidates) == [1, 1]
