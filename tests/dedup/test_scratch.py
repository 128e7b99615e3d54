import numpy as np
import pytest

from corpus.dedup.clusters import digest_hex
from corpus.dedup.minhash import MinHashConfig, band_keys, low_bytes
from corpus.dedup.scratch import read_candidates
from tests.dedup.keyfiles import hex_of, write_index, write_keys

CONFIG = MinHashConfig(bands=4, rows=2)


def _write_keys(folder, sigs, spans, names):
    write_keys(folder, sigs, spans, names, CONFIG)


def _bands(scratch, chosen=None):
    return np.stack([keys.array() for keys in scratch.bands(chosen)], axis=1)


@pytest.fixture
def sigs():
    rng = np.random.default_rng(5)
    return rng.integers(0, 2**32, size=(9, CONFIG.num_perm), dtype=np.uint64).astype(np.uint32)


def test_one_pass_gives_every_records_columns_low_bytes_and_band_keys(tmp_path, sigs):
    _write_keys(tmp_path / "out", sigs, [(0, 4), (4, 4), (4, 9)], ["00000", "00001", "00002"])
    (tmp_path / "scratch").mkdir()
    candidates, scratch, released = read_candidates(tmp_path / "out", CONFIG, tmp_path / "scratch",
                                                    ["00000", "00001", "00002"], 9)
    assert digest_hex(candidates.ids.array()) == [hex_of(i, 24) for i in range(9)]
    assert digest_hex(candidates.text_keys.array()) == [hex_of(f"text {i}", 32) for i in range(9)]
    assert digest_hex(candidates.ids.take(np.array([7, 2]))) == [hex_of(7, 24), hex_of(2, 24)]
    policy = candidates.policy
    assert isinstance(policy, np.memmap) and not policy.flags.writeable
    assert policy["is_truncated"].tolist() == [i % 3 == 0 for i in range(9)]
    assert policy["n_chars"].tolist() == [100 + i for i in range(9)]
    assert policy["undated"].tolist() == [i % 2 == 0 for i in range(9)]
    dated = policy["published"][1::2]
    assert (np.diff(dated) > 0).all() and (policy["published"][0::2] == 0).all()  # later dates, larger values
    assert not candidates.released(np.arange(9)).any() and len(released.absent_ids) == 0
    assert isinstance(scratch.low, np.memmap) and not scratch.low.flags.writeable
    assert np.array_equal(scratch.low, low_bytes(sigs))
    assert np.array_equal(_bands(scratch), band_keys(sigs, CONFIG))
    chosen = np.r_[4:9]  # unit 00002; unit 00001 has no records
    assert np.array_equal(_bands(scratch, [1, 2]), band_keys(sigs, CONFIG)[chosen])
    assert all(keys.rows == 0 and len(keys.array()) == 0 for keys in scratch.bands([1]))


def test_released_articles_absent_now_come_last_as_anchors(tmp_path, sigs):
    _write_keys(tmp_path / "old", sigs, [(0, 9)], ["00000"])
    keep = np.ones(9, dtype=bool)
    keep[2] = False  # a duplicate then: not in the index
    write_index(tmp_path / "index.parquet", tmp_path / "old", keep, CONFIG)
    _write_keys(tmp_path / "new", sigs[:5], [(0, 5)], ["00000"])  # records 5…8 are gone now
    (tmp_path / "scratch").mkdir()
    candidates, scratch, released = read_candidates(tmp_path / "new", CONFIG, tmp_path / "scratch", ["00000"], 5,
                                                    str(tmp_path / "index.parquet"))
    assert released.absent_ids.to_pylist() == [hex_of(i, 24) for i in range(5, 9)]
    assert digest_hex(candidates.ids.array()) == [hex_of(i, 24) for i in [*range(5), *range(5, 9)]]
    assert candidates.released(np.arange(9)).tolist() == [True, True, False, True, True] + [True] * 4
    assert candidates.released(np.array([2, 3, 6])).tolist() == [False, True, True]
    assert candidates.text_keys.rows == 5 and candidates.policy["undated"][5:].all()
    assert np.array_equal(scratch.low, low_bytes(np.vstack([sigs[:5], sigs[5:]])))
    assert np.array_equal(_bands(scratch), band_keys(sigs, CONFIG))
    assert np.array_equal(_bands(scratch, [1]), band_keys(sigs[5:], CONFIG))  # anchors only


def test_keys_files_that_do_not_hold_their_units_records_are_an_error(tmp_path, sigs):
    _write_keys(tmp_path / "out", sigs, [(0, 9)], ["00000"])
    (tmp_path / "scratch").mkdir()
    with pytest.raises(ValueError, match="hold 9 records, their units 10"):
        read_candidates(tmp_path / "out", CONFIG, tmp_path / "scratch", ["00000"], 10)
