"""Split balance: are train, validation and test alike? Per split, the distribution of publisher, section,
month, length and truncation; between each pair of splits, their Jensen–Shannon divergence.

The divergence is in bits (0: the same distribution, 1: nothing in common). Two samples of one distribution
still differ by chance, the more so the smaller they are and the more values there are: for k values and
n1, n2 articles the plug-in divergence is about (k - 1)(1/n1 + 1/n2) / (8 ln 2) (the G-test's chi-square
with k - 1 degrees of freedom, scaled). The gate is on the *excess* over that: a hash split's excess is
near 0, a skewed split's is not. It applies to pairs of splits that both hold at least `min_articles`
(smaller splits are reported, not gated) and to the dimensions named (a temporal split skews months by
design: leave `month` out of `publish.balance_gate`).
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from typing import Any

import numpy as np

from corpus.params import BALANCE_DIMENSIONS as DIMENSIONS

LENGTH_EDGES = (200, 500, 1_000, 2_000, 5_000)  # characters: the buckets' lower bounds after the first
LENGTH_BUCKETS = ("<200", "200–499", "500–999", "1000–1999", "2000–4999", "≥5000")


def length_buckets(n_chars: np.ndarray) -> np.ndarray:
    """The bucket name of each text length."""
    return np.asarray(LENGTH_BUCKETS, dtype=object)[np.searchsorted(LENGTH_EDGES, n_chars, side="right")]


def jensen_shannon(first: dict[Any, int], second: dict[Any, int]) -> float:
    """Jensen–Shannon divergence (bits) of two count distributions; 0 when either is empty."""
    keys = sorted(set(first) | set(second), key=str)
    p = np.array([first.get(k, 0) for k in keys], dtype=np.float64)
    q = np.array([second.get(k, 0) for k in keys], dtype=np.float64)
    if not p.sum() or not q.sum():
        return 0.0
    p, q = p / p.sum(), q / q.sum()
    m = (p + q) / 2

    def kl(a: np.ndarray) -> float:
        inside = a > 0
        return float(np.sum(a[inside] * np.log2(a[inside] / m[inside])))

    return max(0.0, (kl(p) + kl(q)) / 2)


def chance_divergence(values: int, n1: int, n2: int) -> float:
    """The divergence two samples of n1 and n2 articles of one distribution over `values` values show by
    chance (the plug-in estimate's bias)."""
    if values < 2 or not n1 or not n2:
        return 0.0
    return (values - 1) * (1 / n1 + 1 / n2) / (8 * math.log(2))


def balance(per_split: dict[str, dict[str, Counter[Any]]], bound: float, min_articles: int,
            gate: tuple[str, ...]) -> dict[str, Any]:
    """stats.json's `balance`: each split's distributions, and for each dimension and pair of splits the
    divergence, what chance gives, the excess and whether it is gated."""
    sizes = {split: sum(dims["truncated"].values()) for split, dims in per_split.items()}
    pairs = []
    for dimension in DIMENSIONS:
        for a, b in itertools.combinations(per_split, 2):
            first, second = per_split[a][dimension], per_split[b][dimension]
            divergence = jensen_shannon(first, second)
            chance = chance_divergence(len(set(first) | set(second)), sizes[a], sizes[b])
            pairs.append({"dimension": dimension, "splits": f"{a}~{b}", "divergence": round(divergence, 5),
                          "chance": round(chance, 5), "excess": round(max(0.0, divergence - chance), 5),
                          "gated": dimension in gate and min(sizes[a], sizes[b]) >= min_articles})
    distributions = {split: {dim: dict(sorted(((str(k), v) for k, v in counts.items()), key=lambda kv: (-kv[1],
                                                                                                          kv[0])))
                             for dim, counts in dims.items()} for split, dims in per_split.items()}
    return {"bound": bound, "min_articles": min_articles, "gate": list(gate), "pairs": pairs,
            "distributions": distributions}
