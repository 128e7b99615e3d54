import random

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from corpus.plumbing.sorting import ranks, sorted_batches

SORT_KEYS = [("source", "ascending"), ("start", "ascending")]


def _rows(n: int, seed: int = 7) -> pa.Table:
    rng = random.Random(seed)
    return pa.table(
        {
            "source": [rng.choice("abc") * 8 for _ in range(n)],
            "start": [rng.randrange(50) for _ in range(n)],  # ties: the sort is stable
            "text": [f"본문 {i}" for i in range(n)],
        }
    )


@pytest.mark.parametrize("bucket_rows", [7, 100, 1000])
def test_external_sort_equals_the_in_memory_sort(tmp_path, bucket_rows):
    rows = _rows(333)
    _, rank = ranks(rows.select(["source", "start"]), SORT_KEYS)
    out = pa.concat_tables(sorted_batches(lambda: iter(rows.to_batches(max_chunksize=50)), rank, bucket_rows, tmp_path))
    assert out.equals(rows.take(pc.sort_indices(rows, sort_keys=SORT_KEYS)))
    assert list(tmp_path.iterdir()) == []  # bucket files are gone


def test_each_bucket_holds_at_most_bucket_rows():
    rows = _rows(100)
    _, rank = ranks(rows.select(["source", "start"]), SORT_KEYS)
    sizes = [t.num_rows for t in sorted_batches(lambda: iter(rows.to_batches(max_chunksize=9)), rank, 30)]
    assert sizes == [30, 30, 30, 10]


def test_input_that_changed_since_ranking_is_an_error(tmp_path):
    rows = _rows(40)
    _, rank = ranks(rows.select(["source", "start"]), SORT_KEYS)
    with pytest.raises(ValueError, match="sort input changed"):
        list(sorted_batches(lambda: iter(rows.slice(0, 39).to_batches()), rank, 10, tmp_path))


def test_ranks_invert_the_order():
    order, rank = ranks(pa.table({"source": ["b", "a", "c"], "start": [0, 0, 0]}), SORT_KEYS)
    assert order.tolist() == [1, 0, 2] and np.array_equal(rank[order], np.arange(3))


def test_no_rows_sort_to_nothing():
    assert list(sorted_batches(lambda: iter([]), np.zeros(0, dtype=np.int64))) == []
