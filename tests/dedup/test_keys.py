import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from corpus.dedup.keys import take_column


def test_take_column_reads_the_rows_asked_for_across_keys_files(tmp_path):
    values = [f"s{i:02d}" for i in range(10)]
    for unit, (start, stop) in enumerate([(0, 4), (4, 4), (4, 7), (7, 10)]):  # one file without rows
        pq.write_table(pa.table({"segment_id": pa.array(values[start:stop], pa.string())}),
                       tmp_path / f"keys-{unit:05d}-00000.parquet")
    rows, units, unit_rows = np.array([0, 3, 4, 6, 9]), ["00000", "00001", "00002", "00003"], [4, 0, 3, 3]
    assert take_column(tmp_path, "segment_id", rows, units, unit_rows) == ["s00", "s03", "s04", "s06", "s09"]
    assert take_column(tmp_path, "segment_id", rows[:0], units, unit_rows) == []
