import pickle
from itertools import pairwise

import pyarrow as pa
import pytest

import corpus.release.partitions
from corpus.release.partitions import ROWS_SCHEMA, Partitions


def test_keys_go_to_partitions_by_ranges_of_their_prefix_keeping_their_order(tmp_path, monkeypatch):
    monkeypatch.setattr(corpus.release.partitions, "PARTITION_ROWS", 10)
    ids = [f"{i:024x}"[::-1] for i in range(300)]  # first two hex digits: every value
    partitions = Partitions(tmp_path / "p", ROWS_SCHEMA, "id", 300)
    assert partitions.count == 30
    partitions.add(pa.table({"id": ids[:150], "split": ["train"] * 150}))
    partitions.add(pa.table({"id": ids[150:], "split": ["train"] * 150}))
    tables = list(partitions.tables())
    assert len(tables) == 30 and sum(t.num_rows for t in tables) == 300
    prefixes = [sorted(int(i[:2], 16) for i in t.column("id").to_pylist()) for t in tables]
    assert all(a[-1] < b[0] for a, b in pairwise(prefixes))  # ranges of the key prefix
    assert sorted(i for t in tables for i in t.column("id").to_pylist()) == sorted(ids)
    first = tables[0].column("id").to_pylist()
    assert first == [i for i in ids if int(i[:2], 16) * 30 // 256 == 0]  # rows keep their order


def test_partitions_stop_at_256_the_two_digit_prefixes(tmp_path, monkeypatch):
    monkeypatch.setattr(corpus.release.partitions, "PARTITION_ROWS", 1)
    partitions = Partitions(tmp_path / "p", ROWS_SCHEMA, "id", 10_000)
    assert partitions.count == 256
    partitions.add(pa.table({"id": ["ff0", "00a", "x", "7f"], "split": ["train"] * 4}))
    assert [t.column("id").to_pylist() for t in partitions.tables()] == [["00a", "x"], ["7f"], ["ff0"]]


def test_no_rows_read_back_as_one_empty_table(tmp_path):
    assert [t.num_rows for t in Partitions(tmp_path, ROWS_SCHEMA, "id", 0).tables()] == [0]


def test_closed_partitions_pickle_as_their_files_open_ones_do_not(tmp_path):
    partitions = Partitions(tmp_path, ROWS_SCHEMA, "id", 1)
    partitions.add(pa.table({"id": ["a", "b"], "split": ["train", "test"]}))
    with pytest.raises(RuntimeError, match="close"):
        pickle.dumps(partitions)
    copy = pickle.loads(pickle.dumps(partitions.close()))
    assert copy.rows == 2
    assert [t.column("id").to_pylist() for t in copy.tables()] == [["a", "b"]]
