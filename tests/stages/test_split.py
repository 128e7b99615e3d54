from collections import Counter

from corpus.identity import article_id
from corpus.params import SplitParams
from corpus.stages.split import assign_split


def test_assignment_is_a_function_of_the_cluster_id_only():
    ids = [article_id(f"기사 {i}") for i in range(2000)]
    first = [assign_split(i, SplitParams()) for i in ids]
    assert first == [assign_split(i, SplitParams()) for i in reversed(ids)][::-1]


def test_fractions_are_respected():
    counts = Counter(assign_split(article_id(f"기사 {i}"), SplitParams()) for i in range(20_000))
    assert abs(counts["train"] / 20_000 - 0.8) < 0.02
    assert abs(counts["validation"] / 20_000 - 0.1) < 0.02
    assert abs(counts["test"] / 20_000 - 0.1) < 0.02
