import pytest

from corpus.executors.local import WORKERS_ENV, ordered_map, worker_count


def _square(x: int) -> int:
    return x * x


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_ordered_map_keeps_input_order_for_any_worker_count(workers):
    assert list(ordered_map(_square, iter(range(50)), workers)) == [x * x for x in range(50)]


def test_worker_count_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv(WORKERS_ENV, "3")
    assert worker_count() == 3
    monkeypatch.setenv(WORKERS_ENV, "zero")
    with pytest.raises(ValueError, match="positive whole number"):
        worker_count()


def test_a_single_shard_runs_without_a_pool():
    assert list(ordered_map(_square, iter([7]), workers=4)) == [49]
    assert list(ordered_map(_square, iter([]), workers=4)) == []
