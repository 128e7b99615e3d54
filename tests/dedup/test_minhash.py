import random

import numpy as np
import pytest
from datasketch import MinHash

from corpus.dedup.minhash import MinHashConfig, estimated_jaccard, near_duplicate_pairs, signatures
from tests.conftest import SEED_FILES, seed_path

CONFIG = MinHashConfig()
ARTICLES = seed_path("snippets_bylined").read_text(encoding="utf-8").splitlines()


def _shingles(text: str, k: int = 5) -> set[str]:
    text = " ".join(text.split())
    return {text[i : i + k] for i in range(len(text) - k + 1)}


def _edited(text: str, rate: float, seed: int) -> str:
    rng = random.Random(seed)
    chars = list(text)
    for _ in range(int(len(chars) * rate)):
        chars[rng.randrange(len(chars))] = rng.choice("가나다라마바사아자차카타파하")
    return "".join(chars)


def test_defaults_are_documented_numbers():
    assert CONFIG.num_perm == 128
    assert round(CONFIG.lsh_threshold, 2) == 0.42
    assert CONFIG.candidate_probability(0.8) > 0.999


@pytest.mark.parametrize("rate", [0.0, 0.01, 0.03, 0.08, 0.2])
def test_jaccard_estimates_agree_with_datasketch_and_the_truth(rate):
    a, b = ARTICLES[0], _edited(ARTICLES[0], rate, seed=7)
    truth = len(_shingles(a) & _shingles(b)) / len(_shingles(a) | _shingles(b))
    ours = estimated_jaccard(*signatures([a, b], CONFIG))
    reference_a, reference_b = MinHash(num_perm=128, seed=1), MinHash(num_perm=128, seed=1)
    reference_a.update_batch([s.encode() for s in _shingles(a)])
    reference_b.update_batch([s.encode() for s in _shingles(b)])
    theirs = reference_a.jaccard(reference_b)
    assert abs(ours - truth) < 0.12 and abs(theirs - truth) < 0.12 and abs(ours - theirs) < 0.15


def test_near_duplicates_are_found_and_different_articles_are_not():
    texts = [*ARTICLES, _edited(ARTICLES[2], 0.02, seed=1), _edited(ARTICLES[5], 0.03, seed=2)]
    pairs = near_duplicate_pairs(signatures(texts, CONFIG), CONFIG)
    assert set(pairs) == {(2, 10), (5, 11)}
    assert all(similarity >= CONFIG.jaccard for similarity in pairs.values())


def test_signatures_do_not_depend_on_batch_composition():
    alone = signatures([ARTICLES[3]], CONFIG)
    together = signatures(ARTICLES, CONFIG)
    assert np.array_equal(alone[0], together[3])
    assert SEED_FILES  # the fixture texts are the seed's own lines
