import json
import statistics
from collections import Counter

import numpy as np
import pyarrow as pa
import pytest

from corpus.release.card import _counts_table
from corpus.release.plots import length_histogram
from corpus.release.stats import UNKNOWN, ColumnMap, SplitStats, ValueCounts, write_json


def _batch(lengths):
    rows = len(lengths)
    return pa.table({
        "publisher": ["뉴스21"] * rows, "section": pa.array([None] * rows, pa.string()),
        "published_at": pa.array([None] * rows, pa.timestamp("s", tz="Asia/Seoul")),
        "source_path": ["a.txt"] * rows, "is_truncated": [False] * rows, "n_chars": pa.array(lengths, pa.int64()),
    })


@pytest.mark.parametrize("rows", [1, 2, 7, 1000])
def test_text_length_figures_are_those_of_every_length_though_only_counts_are_kept(rows):
    rng = np.random.default_rng(rows)
    lengths = rng.integers(0, 5000, size=rows)
    stats = SplitStats()
    for start in range(0, rows, 300):  # batches of different longest texts
        stats.add("train", _batch(lengths[start : start + 300].tolist()))
    figures = stats.result()
    assert figures["articles"] == rows
    assert figures["text_chars"] == {
        "min": int(lengths.min()), "median": statistics.median(lengths.tolist()),
        "mean": round(float(lengths.mean()), 1), "max": int(lengths.max()),
    }
    assert len(stats.length_counts) == lengths.max() + 1
    counts, edges = length_histogram(stats.length_counts)
    expected_counts, expected_edges = np.histogram(lengths, bins=30)
    assert counts.tolist() == expected_counts.tolist() and np.array_equal(edges, expected_edges)


def test_no_rows_give_zeros():
    stats = SplitStats()
    stats.add("train", _batch([]))
    assert stats.result()["text_chars"] == {"min": 0, "median": 0, "mean": 0, "max": 0}
    assert length_histogram(stats.length_counts)[0].sum() == 1  # the empty plot's one bar, as before


def _plain(value):
    if isinstance(value, ColumnMap):
        return dict(value.items())
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def test_streamed_json_is_byte_for_byte_what_json_dump_writes(tmp_path, monkeypatch):
    monkeypatch.setattr(ColumnMap, "CHUNK", 2)  # maps written in several chunks
    paths = pa.table({"path": ["뉴스/b.txt", "a.txt", "뉴스/a.txt"], "sha": ["2", "1", "3"]})
    value = {
        "version": "1.0.0", "empty": {}, "list": [1, "둘", {"x": None}],
        "sources_sha256": ColumnMap(paths, "path", "sha"),
        "nested": {"inner": ColumnMap(paths, "path", "sha"), "none": ColumnMap(paths.slice(0, 0), "path", "sha")},
        "counts": {"b": 2, "a": 1},
    }
    write_json(tmp_path / "stats.json", value)
    expected = json.dumps(_plain(value), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    assert (tmp_path / "stats.json").read_text(encoding="utf-8") == expected
    assert list(json.loads(expected)["sources_sha256"]) == ["a.txt", "뉴스/a.txt", "뉴스/b.txt"]


def test_value_counts_over_many_tables_equal_a_counter(monkeypatch):
    monkeypatch.setattr(ValueCounts, "COMPACT_EVERY", 3)  # compacted several times on the way
    rng = np.random.default_rng(7)
    counts, expected = ValueCounts(), Counter()
    for _ in range(10):
        values = [None if v == 0 else f"파일-{v}.txt" for v in rng.integers(0, 40, size=50).tolist()]
        counts.add(pa.array(values, pa.string()))
        expected.update(UNKNOWN if v is None else v for v in values)
    result = counts.result()
    assert dict(result.items()) == dict(sorted(expected.items()))
    assert len(result) == len(expected) and sum(result.values()) == 500


def test_a_column_map_refuses_two_values_for_one_key():
    with pytest.raises(ValueError, match="more than one"):
        ColumnMap(pa.table({"path": ["a", "a"], "sha": ["1", "2"]}), "path", "sha")


def test_the_card_table_of_a_column_map_is_that_of_the_same_dict(monkeypatch):
    monkeypatch.setattr(ColumnMap, "CHUNK", 7)
    counts = {f"raw-{n:03d}.txt": n % 13 + 1 for n in range(120)}
    streamed = ColumnMap(pa.table({"path": list(counts), "n": list(counts.values())}), "path", "n")
    table = _counts_table(("raw file", "articles"), streamed, "raw files")
    assert table == _counts_table(("raw file", "articles"), counts, "raw files")
    assert table.splitlines()[2] == "| raw-012.txt | 13 |" and "… 70 more raw files" in table
