import statistics

import numpy as np
import pyarrow as pa
import pytest

from corpus.release.plots import length_histogram
from corpus.release.stats import SplitStats


def _batch(lengths):
    rows = len(lengths)
    return pa.table({
        "publisher": ["뉴스21"] * rows, "published_at": pa.array([None] * rows, pa.timestamp("s", tz="Asia/Seoul")),
        "source_path": ["a.txt"] * rows, "is_truncated": [False] * rows, "n_chars": pa.array(lengths, pa.int64()),
    })


@pytest.mark.parametrize("rows", [1, 2, 7, 1000])
def test_text_length_figures_are_those_of_every_length_though_only_counts_are_kept(rows):
    rng = np.random.default_rng(rows)
    lengths = rng.integers(0, 5000, size=rows)
    stats = SplitStats()
    for start in range(0, rows, 300):  # batches of different longest texts
        stats.add("train", _batch(lengths[start : start + 300].tolist()))
    figures = stats.result()
    assert figures["articles"] == rows
    assert figures["text_chars"] == {
        "min": int(lengths.min()), "median": statistics.median(lengths.tolist()),
        "mean": round(float(lengths.mean()), 1), "max": int(lengths.max()),
    }
    assert len(stats.length_counts) == lengths.max() + 1
    counts, edges = length_histogram(stats.length_counts)
    expected_counts, expected_edges = np.histogram(lengths, bins=30)
    assert counts.tolist() == expected_counts.tolist() and np.array_equal(edges, expected_edges)


def test_no_rows_give_zeros():
    stats = SplitStats()
    stats.add("train", _batch([]))
    assert stats.result()["text_chars"] == {"min": 0, "median": 0, "mean": 0, "max": 0}
    assert length_histogram(stats.length_counts)[0].sum() == 1  # the empty plot's one bar, as before
