"""Split balance: Jensen–Shannon divergence between splits, what chance gives, the gate."""

from collections import Counter

import numpy as np
import pytest

from corpus.release.balance import DIMENSIONS, balance, chance_divergence, jensen_shannon, length_buckets


def test_divergence_is_zero_for_one_mix_and_one_bit_for_nothing_in_common():
    assert jensen_shannon({"a": 10, "b": 30}, {"a": 1, "b": 3}) == pytest.approx(0.0)
    assert jensen_shannon({"a": 5}, {"b": 5}) == pytest.approx(1.0)
    assert jensen_shannon({"a": 5}, {}) == 0.0


@pytest.mark.parametrize("values", [6, 30, 100])
def test_chance_is_what_two_samples_of_one_distribution_differ_by(values):
    rng = np.random.default_rng(27)
    shares = 1 / np.arange(1, values + 1)
    shares /= shares.sum()
    observed = [jensen_shannon(dict(enumerate(rng.multinomial(8_000, shares))),
                               dict(enumerate(rng.multinomial(1_000, shares)))) for _ in range(30)]
    assert np.mean(observed) == pytest.approx(chance_divergence(values, 8_000, 1_000), rel=0.3)
    assert max(observed) - chance_divergence(values, 8_000, 1_000) < 0.05  # a hash split passes the bound


def test_lengths_fall_in_documented_buckets():
    assert length_buckets(np.array([0, 199, 200, 999, 1_000, 4_999, 5_000])).tolist() == [
        "<200", "<200", "200–499", "500–999", "1000–1999", "2000–4999", "≥5000"]


def test_every_dimension_and_pair_is_reported_and_only_large_splits_in_the_gate_are_gated():
    def split(n):
        return {dim: Counter({"x": n}) for dim in DIMENSIONS}

    result = balance({"train": split(8_000), "validation": split(1_000), "test": split(500)}, 0.05, 1_000,
                     ("publisher", "length"))
    assert len(result["pairs"]) == len(DIMENSIONS) * 3
    gated = {(p["dimension"], p["splits"]) for p in result["pairs"] if p["gated"]}
    assert gated == {("publisher", "train~validation"), ("length", "train~validation")}
    assert result["distributions"]["test"]["publisher"] == {"x": 500}
