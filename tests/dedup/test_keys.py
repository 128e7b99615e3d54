import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from corpus.dedup.keys import low_matrix, signature_array, take_column
from corpus.dedup.minhash import MinHashConfig, low_bytes


def test_take_column_reads_the_rows_asked_for_across_keys_files(tmp_path):
    values = [f"s{i:02d}" for i in range(10)]
    for unit, (start, stop) in enumerate([(0, 4), (4, 4), (4, 7), (7, 10)]):  # one file without rows
        pq.write_table(pa.table({"segment_id": pa.array(values[start:stop], pa.string())}),
                       tmp_path / f"keys-{unit:05d}-00000.parquet")
    rows, units, unit_rows = np.array([0, 3, 4, 6, 9]), ["00000", "00001", "00002", "00003"], [4, 0, 3, 3]
    assert take_column(tmp_path, "segment_id", rows, units, unit_rows) == ["s00", "s03", "s04", "s06", "s09"]
    assert take_column(tmp_path, "segment_id", rows[:0], units, unit_rows) == []


def test_low_matrix_maps_every_records_low_bytes_then_the_anchors(tmp_path):
    config = MinHashConfig(bands=2, rows=2)
    rng = np.random.default_rng(7)
    sigs = rng.integers(0, 2**32, size=(7, config.num_perm), dtype=np.uint64).astype(np.uint32)
    anchors = rng.integers(0, 2**32, size=(2, config.num_perm), dtype=np.uint64).astype(np.uint32)
    paths = []
    for unit, (start, stop) in enumerate([(0, 3), (3, 3), (3, 7)]):
        paths.append(tmp_path / f"keys-{unit:05d}-00000.parquet")
        pq.write_table(pa.table({"signature": signature_array(sigs[start:stop], config.num_perm)}), paths[-1])
    low = low_matrix(paths, anchors, config, tmp_path / "low")
    assert isinstance(low, np.memmap) and not low.flags.writeable
    assert np.array_equal(low, low_bytes(np.vstack([sigs, anchors])))
    empty = low_matrix([], anchors[:0], config, tmp_path / "empty")
    assert empty.shape == (0, config.num_perm)
