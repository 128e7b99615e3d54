import itertools

import numpy as np
import pytest

from corpus.dedup import partitions
from corpus.dedup.partitions import Keys, absent_positions, equal_key_pairs, equal_value_pairs, key_prefix


@pytest.fixture
def small(monkeypatch):
    """Partitions of ~8 records, read 5 at a time."""
    monkeypatch.setattr(partitions, "PARTITION_ROWS", 8)
    monkeypatch.setattr(partitions, "CHUNK_ROWS", 5)


EDGES = [0, 1, 8191, 8192, 8193, 16383, 16384, 32767, 32768, 65534, 65535]  # first 16 bits at and by the cuts of 8


def _column(kind: str, rows: int = 60, seed: int = 3) -> np.ndarray:
    """Random keys (digest bytes or band keys), some starting at or next to a partition cut, a third of
    them repeats of others."""
    rng = np.random.default_rng(seed)
    if kind == "bytes":
        raw = rng.integers(0, 256, size=(rows, 12), dtype=np.uint8)
        raw[: len(EDGES), 0], raw[: len(EDGES), 1] = np.array(EDGES) >> 8, np.array(EDGES) & 255
        values = raw.view("S12").reshape(rows)
    else:
        values = rng.integers(0, 2**48, size=rows, dtype=np.uint64)
        values[: len(EDGES)] += np.array(EDGES, dtype=np.uint64) << np.uint64(48)
        values[len(EDGES):] += rng.integers(0, 2**16, size=rows - len(EDGES), dtype=np.uint64) << np.uint64(48)
    values[rng.integers(0, rows, rows // 3)] = values[rng.integers(0, rows, rows // 3)]
    return values


def _both(values, tmp_path):
    """The column in a scratch file and in memory."""
    values.tofile(tmp_path / "keys")
    return [Keys(values.dtype, len(values), tmp_path / "keys"), Keys.of(values)]


@pytest.mark.parametrize("kind", ["bytes", "uint64"])
def test_partitions_are_key_ranges_in_record_order_that_together_sort_as_the_column(tmp_path, small, kind):
    values = _column(kind)
    for keys in _both(values, tmp_path):
        parts = list(keys.partitions())
        assert len(parts) == 8  # ceil(60 / 8)
        positions = np.concatenate([where for _, where in parts])
        assert sorted(positions.tolist()) == list(range(60))
        for part, where in parts:
            assert np.array_equal(part, values[where]) and (np.diff(where) > 0).all()
        for (low, _), (high, _) in itertools.pairwise(parts):  # ranges: each key below every key of the next
            assert not len(low) or not len(high) or key_prefix(low).max() < key_prefix(high).min()
        in_order = np.concatenate([where[np.argsort(part, kind="stable")] for part, where in parts])
        assert np.array_equal(in_order, np.argsort(values, kind="stable"))


def test_a_column_of_one_partition_comes_whole(tmp_path):
    values = _column("uint64")
    for keys in _both(values, tmp_path):
        (part, where), = keys.partitions()
        assert np.array_equal(part, values) and where is None


@pytest.mark.parametrize("kind", ["bytes", "uint64"])
def test_equal_keys_pair_the_same_in_partitions_as_whole(tmp_path, small, kind):
    values = _column(kind)
    whole = equal_value_pairs(values)
    assert len(whole[0]) > 5
    for keys in _both(values, tmp_path):
        first, other = equal_key_pairs(keys)
        assert np.array_equal(first, whole[0]) and np.array_equal(other, whole[1])


def test_absent_keys_are_found_partition_by_partition(tmp_path, small):
    released, present = _column("bytes", 50, seed=1), _column("bytes", 70, seed=2)
    present[:30] = released[10:40]  # 30 of the released are present (some twice)
    released.tofile(tmp_path / "released")
    present.tofile(tmp_path / "present")
    found = absent_positions(Keys(released.dtype, 50, tmp_path / "released"),
                             Keys(present.dtype, 70, tmp_path / "present"))
    assert np.array_equal(found, np.flatnonzero(~np.isin(released, present)))
    assert 0 < len(found) <= 20


def test_keys_are_taken_at_any_rows_from_a_file(tmp_path):
    values = _column("bytes")
    for keys in _both(values, tmp_path):
        assert np.array_equal(keys.take(np.array([5, 1, 5, 59])), values[[5, 1, 5, 59]])
        assert np.array_equal(keys.chunk(10, 20), values[10:20])
