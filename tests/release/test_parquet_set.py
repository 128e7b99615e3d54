import hashlib

import pyarrow as pa
import pyarrow.parquet as pq

from corpus.params import PublishParams
from corpus.release.parquet_set import ParquetSetWriter, plan_groups, read_sources


def _keys(names):
    return [hashlib.sha256(name.encode()).hexdigest() for name in names]


def test_groups_hold_consecutive_units_and_close_by_size():
    rows = [10] * 40
    groups = plan_groups(rows, _keys(f"u{i}" for i in range(40)), rows_per_shard=60)
    assert [i for group in groups for i in group] == list(range(40))
    assert all(sum(rows[i] for i in group) <= 60 for group in groups)
    assert plan_groups([100], _keys(["one"]), rows_per_shard=60) == [[0]]  # a large unit is a group alone


def test_a_unit_added_changes_only_the_groups_near_it():
    names = [f"unit-{i}" for i in range(200)]
    rows = [7 + i % 5 for i in range(200)]
    before = plan_groups(rows, _keys(names), rows_per_shard=80)
    grown_names, grown_rows = [*names[:100], "new", *names[100:]], [*rows[:100], 9, *rows[100:]]
    after = plan_groups(grown_rows, _keys(grown_names), rows_per_shard=80)
    as_names = {tuple(grown_names[i] for i in group) for group in after}
    unchanged = [group for group in before if tuple(names[i] for i in group) in as_names]
    assert len(before) - len(unchanged) <= 3


def test_units_without_rows_at_the_end_join_the_last_group():
    keys = _keys(f"u{i}" for i in range(6))
    groups = plan_groups([30, 30, 30, 0, 0, 0], keys, rows_per_shard=30)
    assert [i for group in groups for i in group] == list(range(6))
    assert all(sum([30, 30, 30, 0, 0, 0][i] for i in group) > 0 for group in groups)
    assert plan_groups([0, 0], keys[:2], rows_per_shard=30) == [[0, 1]]  # no rows at all: one (empty) file


def test_each_file_of_a_set_names_the_raw_files_of_its_own_rows(tmp_path):
    schema = pa.schema([("n", pa.int64()), ("provenance", pa.struct([("source_path", pa.string()),
                                                                     ("source_sha256", pa.string())]))])
    params = PublishParams(rows_per_shard=4, row_group_rows=2)
    rows = [{"n": i, "provenance": {"source_path": f"{i // 3}.txt", "source_sha256": f"sha{i // 3}"}}
            for i in range(10)]
    with ParquetSetWriter(tmp_path, "train-00000", schema, params, {"corpus.params_sha256": "chain"}) as writer:
        writer.write(pa.Table.from_pylist(rows[:5], schema=schema))
        writer.write(pa.Table.from_pylist(rows[5:], schema=schema))
    assert [path.name for path in writer.paths] == [f"train-00000-0000{i}.parquet" for i in range(3)]
    assert [read_sources(path) for path in writer.paths] == [
        {"0.txt": "sha0", "1.txt": "sha1"}, {"1.txt": "sha1", "2.txt": "sha2"}, {"2.txt": "sha2", "3.txt": "sha3"}]
    assert pq.read_table(writer.paths[1]).column("n").to_pylist() == [4, 5, 6, 7]
    assert pq.read_schema(writer.paths[0]).metadata[b"corpus.params_sha256"] == b"chain"
    with ParquetSetWriter(tmp_path / "empty", "test-00000", schema, params, {}) as empty:
        pass
    assert [read_sources(path) for path in empty.paths] == [{}]
