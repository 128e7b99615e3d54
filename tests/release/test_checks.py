
import pyarrow as pa
import pytest

import corpus.release.partitions
from corpus.release.checks import ReleaseCheckError, check_release
from corpus.release.partitions import LEDGER_KEYS_SCHEMA, ROWS_SCHEMA, Partitions


def _stats(kept, segments):
    return {"ledger": {"kept": kept, "published": kept, "segments": segments}}  # no flagged article


def _check(tmp_path, splits, ledger_rows, stats):
    rows = Partitions(tmp_path / "rows", ROWS_SCHEMA, "id", sum(map(len, splits.values())))
    for name, ids in splits.items():
        rows.add(pa.table({"id": pa.array(ids, pa.string()), "split": pa.array([name] * len(ids), pa.string())}))
    ledger = Partitions(tmp_path / "ledger", LEDGER_KEYS_SCHEMA, "segment_id", ledger_rows)
    ledger.add(pa.table({"segment_id": [f"{i:024x}" for i in range(ledger_rows)], "fate": ["kept"] * ledger_rows}))
    return check_release(rows, ledger, {name: len(ids) for name, ids in splits.items()}, stats)


def test_a_consistent_release_passes(tmp_path):
    splits = {name: [f"{name}-1"] for name in ("train", "validation", "test")}
    result = _check(tmp_path, splits, 3, _stats(3, 3))
    assert all(r["success"] for r in result.values())
    assert set(result) == {"release_rows", "release_ledger", "release_totals", "release_balance"}


def test_an_id_in_two_splits_fails_the_build_naming_the_expectation(tmp_path):
    splits = {"train": ["a", "b"], "validation": ["a"], "test": ["c"]}
    expected = r"expect_column_values_to_be_unique\(id\)\[ids_unique_and_splits_disjoint\]"
    with pytest.raises(ReleaseCheckError, match=expected):
        _check(tmp_path, splits, 4, _stats(4, 4))


def test_an_empty_split_is_a_warning_not_a_failure(tmp_path):
    splits = {"train": ["a"], "validation": ["b"], "test": []}
    result = _check(tmp_path, splits, 2, _stats(2, 2))
    assert all(r["success"] for r in result.values())
    [warning] = result["release_totals"]["warnings"]
    assert "[no_empty_split]" in warning["expectation"] and warning["unexpected_count"] == 1


def test_a_ledger_short_of_a_segment_fails_the_build(tmp_path):
    splits = {name: [f"{name}-1"] for name in ("train", "validation", "test")}
    with pytest.raises(ReleaseCheckError, match="counts_match_the_ledger"):
        _check(tmp_path, splits, 3, _stats(3, 4))


def test_duplicates_are_found_across_many_partitions(tmp_path, monkeypatch):
    monkeypatch.setattr(corpus.release.partitions, "PARTITION_ROWS", 10)
    ids = [f"{i:024x}"[::-1] for i in range(300)]  # first two hex digits: every value, over all 30 partitions
    splits = {"train": ids[:200], "validation": [*ids[200:250], ids[7]], "test": ids[250:]}
    with pytest.raises(ReleaseCheckError, match=r"unexpected 2,") as failure:
        _check(tmp_path, splits, 301, _stats(301, 301))
    assert "ids_unique_and_splits_disjoint" in str(failure.value)


def _balanced_stats(train_publishers, test_publishers):
    from collections import Counter

    from corpus.release.balance import DIMENSIONS, balance

    def split(publishers):
        n = sum(publishers.values())
        return {dim: Counter(publishers) if dim == "publisher" else Counter({"x": n}) for dim in DIMENSIONS}

    per_split = {"train": split(train_publishers), "validation": split(train_publishers),
                 "test": split(test_publishers)}
    return _stats(3, 3) | {"balance": balance(per_split, 0.05, 1_000, DIMENSIONS)}


def test_splits_alike_pass_the_balance_gate(tmp_path):
    splits = {name: [f"{name}-1"] for name in ("train", "validation", "test")}
    stats = _balanced_stats({"뉴스21": 4_000, "TV서울": 4_000}, {"뉴스21": 1_030, "TV서울": 970})
    assert _check(tmp_path, splits, 3, stats)["release_balance"]["success"]


def test_a_skewed_split_fails_the_balance_gate_naming_the_dimension_and_the_splits(tmp_path):
    splits = {name: [f"{name}-1"] for name in ("train", "validation", "test")}
    stats = _balanced_stats({"뉴스21": 4_000, "TV서울": 4_000}, {"뉴스21": 1_900, "TV서울": 100})
    with pytest.raises(ReleaseCheckError, match=r"(?s)splits_are_alike.*split balance: publisher train~test differ by"):
        _check(tmp_path, splits, 3, stats)


def test_splits_too_small_to_judge_are_reported_not_gated(tmp_path):
    splits = {name: [f"{name}-1"] for name in ("train", "validation", "test")}
    stats = _balanced_stats({"뉴스21": 400, "TV서울": 400}, {"뉴스21": 10, "TV서울": 0})
    assert _check(tmp_path, splits, 3, stats)["release_balance"]["success"]
    assert max(p["excess"] for p in stats["balance"]["pairs"]) > 0.05
