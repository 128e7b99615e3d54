import pyarrow as pa

from corpus.plumbing.shards import SubUnitWriter, read_table, read_unit_key, unit_names
from corpus.plumbing.units import UnitNames

SCHEMA = pa.schema([("text", pa.string())])


def _write(directory, texts, unit_size):
    with SubUnitWriter(directory, "rows", UnitNames("00003"), SCHEMA, chain="0" * 64, unit_key="k" * 64,
                       unit_size=unit_size) as writer:
        for text in texts:
            writer.add({"text": text}, len(text))
    return writer.paths


def test_rows_go_on_under_the_next_sub_unit_once_a_unit_holds_its_size(tmp_path):
    paths = _write(tmp_path, ["aaaa", "bb", "cc", "dddddd", "e"], unit_size=5)
    assert [path.name for path in paths] == ["rows-00003-00000.parquet", "rows-00003_00001-00000.parquet",
                                             "rows-00003_00002-00000.parquet"]
    assert unit_names(tmp_path, "rows") == ["00003", "00003_00001", "00003_00002"]
    assert [read_table(tmp_path, f"rows-{unit}").column("text").to_pylist() for unit in unit_names(tmp_path, "rows")
            ] == [["aaaa", "bb"], ["cc", "dddddd"], ["e"]]
    keys = [read_unit_key(tmp_path, f"rows-{unit}") for unit in unit_names(tmp_path, "rows")]
    assert keys[0] == "k" * 64 and len(set(keys)) == 3  # later stages key each sub-unit's work apart


def test_a_unit_that_ends_on_its_size_leaves_no_empty_sub_unit(tmp_path):
    _write(tmp_path, ["aaaaa", "bbbbb"], unit_size=5)
    assert unit_names(tmp_path, "rows") == ["00003", "00003_00001"]


def test_no_rows_is_one_empty_readable_shard_of_the_unit(tmp_path):
    paths = _write(tmp_path, [], unit_size=5)
    assert [path.name for path in paths] == ["rows-00003-00000.parquet"]
    assert read_table(tmp_path, "rows-00003").num_rows == 0
