import random

import numpy as np
import pytest
from datasketch import MinHash
from hypothesis import given
from hypothesis import strategies as st

from corpus.dedup.minhash import (
    MinHashConfig,
    bucket_pair_chunks,
    bucket_pairs,
    estimated_jaccard,
    estimated_jaccard_low,
    fold,
    low_bytes,
    near_duplicate_pairs,
    shingle_hashes,
    signatures,
)
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


@pytest.mark.parametrize("rate", [0.0, 0.02, 0.05, 0.1, 0.3])
def test_the_low_byte_estimate_agrees_with_the_full_signature(rate):
    sigs = signatures([ARTICLES[1], _edited(ARTICLES[1], rate, seed=5)], CONFIG)
    [low] = estimated_jaccard_low(low_bytes(sigs), np.array([0]), np.array([1]))
    assert abs(low - estimated_jaccard(*sigs)) < 0.05


def test_bucket_pairs_link_every_member_of_a_bucket_and_nothing_else():
    first, second = bucket_pairs(np.array([5, 1, 5, 5, 2, 1], dtype=np.uint64))
    assert sorted(zip(first.tolist(), second.tolist(), strict=True)) == [(0, 2), (0, 3), (1, 5), (2, 3)]


@pytest.mark.parametrize("step", [1, 3, 7, 1000])
def test_pairs_formed_a_run_of_buckets_at_a_time_are_the_same_pairs(step):
    keys = np.random.default_rng(3).integers(0, 12, size=200).astype(np.uint64)  # buckets of ~17
    whole = set(zip(*(a.tolist() for a in bucket_pairs(keys)), strict=True))
    chunks = list(bucket_pair_chunks(keys, step=step))
    assert set().union(*(zip(a.tolist(), b.tolist(), strict=True) for a, b in chunks)) == whole
    assert sum(len(a) for a, _ in chunks) == len(whole)  # no pair twice: no bucket is cut
    assert len(chunks) == (12 if step < 17 else 1)


def test_shingles_never_span_two_texts():
    flat, offsets = shingle_hashes(["가나다라마바", "사아"], 5)  # 2 shingles, then one padded shingle
    assert offsets.tolist() == [0, 2, 3]
    alone = [shingle_hashes([text], 5)[0] for text in ("가나다라마바", "사아")]
    assert flat.tolist() == np.concatenate(alone).tolist()


@given(st.text(alphabet=st.sampled_from(["가", "a", " ", "\n", "\t", "\u3000", "\x00", "\u200b"]), max_size=40))
def test_fold_is_exactly_whitespace_folding(text):
    assert fold(text) == " ".join(text.split())


@pytest.mark.parametrize("width", [1, 5, 8, 128, 131])
def test_the_packed_agreement_count_is_an_exact_count(width):
    rng = np.random.default_rng(width)
    low = rng.integers(0, 3, size=(200, width), dtype=np.uint8)
    first, second = rng.integers(0, 200, 5000), rng.integers(0, 200, 5000)
    expected = np.count_nonzero(low[first] == low[second], axis=1) / width
    expected = np.clip((expected - 1 / 256) / (1 - 1 / 256), 0.0, 1.0)
    assert np.array_equal(estimated_jaccard_low(low, first, second), expected)
