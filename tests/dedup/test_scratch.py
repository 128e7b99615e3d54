import hashlib
from datetime import datetime

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from corpus.dedup.clusters import digest_hex
from corpus.dedup.keys import key_schema, signature_array, write_index
from corpus.dedup.minhash import MinHashConfig, band_keys, low_bytes
from corpus.dedup.scratch import read_candidates

CONFIG = MinHashConfig(bands=4, rows=2)


def _hex(value, digits):
    return hashlib.sha256(str(value).encode()).hexdigest()[:digits]


def _write_keys(folder, sigs, spans, names):
    """Keys files of records 0…n-1 (ids and text keys derived from the record number), one per unit span."""
    folder.mkdir(exist_ok=True)
    keys = band_keys(sigs, CONFIG)
    for unit, (start, stop) in zip(names, spans, strict=True):
        rows = range(start, stop)
        table = pa.table({
            "id": [_hex(i, 24) for i in rows], "segment_id": [f"s{i}" for i in rows],
            "text_key": [_hex(f"text {i}", 32) for i in rows], "is_truncated": [i % 3 == 0 for i in rows],
            "n_chars": [100 + i for i in rows],
            "published_at": pa.array([datetime(2025, 1, 1 + i) if i % 2 else None for i in rows], pa.timestamp("s")),
            "signature": signature_array(sigs[start:stop], CONFIG.num_perm),
            **{f"band_{b:03d}": keys[start:stop, b] for b in range(CONFIG.bands)},
        })
        pq.write_table(table.cast(key_schema(CONFIG)), folder / f"keys-{unit}-00000.parquet")


@pytest.fixture
def sigs():
    rng = np.random.default_rng(5)
    return rng.integers(0, 2**32, size=(9, CONFIG.num_perm), dtype=np.uint64).astype(np.uint32)


def test_one_pass_gives_every_records_columns_low_bytes_and_band_keys(tmp_path, sigs):
    _write_keys(tmp_path / "out", sigs, [(0, 4), (4, 4), (4, 9)], ["00000", "00001", "00002"])
    (tmp_path / "scratch").mkdir()
    candidates, scratch, released = read_candidates(tmp_path / "out", CONFIG, tmp_path / "scratch",
                                                    ["00000", "00001", "00002"], 9)
    assert digest_hex(candidates.ids) == [_hex(i, 24) for i in range(9)]
    assert digest_hex(candidates.text_keys) == [_hex(f"text {i}", 32) for i in range(9)]
    assert candidates.is_truncated.tolist() == [i % 3 == 0 for i in range(9)]
    assert candidates.n_chars.tolist() == [100 + i for i in range(9)]
    assert candidates.undated.tolist() == [i % 2 == 0 for i in range(9)]
    dated = candidates.published[1::2]
    assert (np.diff(dated) > 0).all() and (candidates.published[0::2] == 0).all()  # later dates, larger values
    assert not candidates.released.any() and len(released.absent_ids) == 0
    assert isinstance(scratch.low, np.memmap) and not scratch.low.flags.writeable
    assert np.array_equal(scratch.low, low_bytes(sigs))
    assert np.array_equal(np.stack(list(scratch.bands()), axis=1), band_keys(sigs, CONFIG))
    chosen = np.r_[4:9]  # unit 00002; unit 00001 has no records
    assert np.array_equal(np.stack(list(scratch.bands([1, 2])), axis=1), band_keys(sigs, CONFIG)[chosen])
    assert all(len(keys) == 0 for keys in scratch.bands([1]))


def test_released_articles_absent_now_come_last_as_anchors(tmp_path, sigs):
    _write_keys(tmp_path / "old", sigs, [(0, 9)], ["00000"])
    keep = np.ones(9, dtype=bool)
    keep[2] = False  # a duplicate then: not in the index
    write_index(tmp_path / "index.parquet", tmp_path / "old", keep, CONFIG)
    _write_keys(tmp_path / "new", sigs[:5], [(0, 5)], ["00000"])  # records 5…8 are gone now
    (tmp_path / "scratch").mkdir()
    candidates, scratch, released = read_candidates(tmp_path / "new", CONFIG, tmp_path / "scratch", ["00000"], 5,
                                                    str(tmp_path / "index.parquet"))
    assert released.absent_ids.to_pylist() == [_hex(i, 24) for i in range(5, 9)]
    assert digest_hex(candidates.ids) == [_hex(i, 24) for i in [*range(5), *range(5, 9)]]
    assert candidates.released.tolist() == [True, True, False, True, True] + [True] * 4
    assert len(candidates.text_keys) == 5 and candidates.undated[5:].all()
    assert np.array_equal(scratch.low, low_bytes(np.vstack([sigs[:5], sigs[5:]])))
    assert np.array_equal(np.stack(list(scratch.bands()), axis=1), band_keys(sigs, CONFIG))
    assert np.array_equal(np.stack(list(scratch.bands([1])), axis=1), band_keys(sigs[5:], CONFIG))  # anchors only


def test_keys_files_that_do_not_hold_their_units_records_are_an_error(tmp_path, sigs):
    _write_keys(tmp_path / "out", sigs, [(0, 9)], ["00000"])
    (tmp_path / "scratch").mkdir()
    with pytest.raises(ValueError, match="hold 9 records, their units 10"):
        read_candidates(tmp_path / "out", CONFIG, tmp_path / "scratch", ["00000"], 10)
