"""stats.json: the numbers a release reports, computed from the published rows and the ledger."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from corpus.record import SPLITS
from corpus.release.balance import DIMENSIONS, balance, length_buckets

UNKNOWN = "(unknown)"


def _counter(counts: Counter[Any]) -> dict[str, int]:
    counts = Counter({UNKNOWN if value is None else value: n for value, n in counts.items()})
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


class SplitStats:
    """Composition of the published rows (splits, publishers, months, sources, lengths), added up batch
    by batch as the rows are written."""

    def __init__(self) -> None:
        self.splits: dict[str, int] = {}
        self.columns: dict[str, Counter[Any]] = {"publisher": Counter(), "month": Counter()}
        self.sources = ValueCounts()  # one entry a raw file: kept in Arrow
        self.truncated = 0
        self.length_counts = np.zeros(0, dtype=np.int64)  # articles by text length: as long as the longest text
        self.by_split: dict[str, dict[str, Counter[Any]]] = {}  # split → dimension → value → articles (balance)

    # What `add` reads of the published rows (nested fields by path: Parquet reads only those leaves).
    COLUMNS = ("publisher", "section", "published_at", "provenance.source_path", "is_truncated", "quality.n_chars")

    def add(self, split: str, table: pa.Table) -> None:
        """Rows with COLUMNS (as `pq.read_table(columns=COLUMNS)` gives them: nested ones by leaf name)."""
        self.splits[split] = self.splits.get(split, 0) + table.num_rows
        if not table.num_rows:
            return
        publishers = _value_counts(table.column("publisher"))
        months = _value_counts(pc.strftime(table.column("published_at"), format="%Y-%m"))
        self.columns["publisher"].update(publishers)
        self.columns["month"].update(months)
        dims = self.by_split.setdefault(split, {dimension: Counter() for dimension in DIMENSIONS})
        for dimension, counts in (("publisher", publishers), ("month", months),
                                  ("section", _value_counts(table.column("section"))),
                                  ("truncated", _value_counts(table.column("is_truncated"))),
                                  ("length", Counter(length_buckets(table.column("n_chars").to_numpy())))):
            dims[dimension].update({UNKNOWN if value is None else value: n for value, n in counts.items()})
        self.sources.add(table.column("source_path"))
        self.truncated += pc.sum(table.column("is_truncated")).as_py() or 0
        counts = np.bincount(table.column("n_chars").to_numpy())
        longest = max(len(counts), len(self.length_counts))
        self.length_counts = np.pad(self.length_counts, (0, longest - len(self.length_counts)))
        self.length_counts[: len(counts)] += counts

    def balance(self, bound: float, min_articles: int, gate: tuple[str, ...]) -> dict[str, Any]:
        """stats.json's `balance` (corpus.release.balance), every split in it, empty ones too."""
        per_split = {split: self.by_split.get(split, {dimension: Counter() for dimension in DIMENSIONS})
                     for split in SPLITS}
        return balance(per_split, bound, min_articles, gate)

    def result(self) -> dict[str, Any]:
        counts = self.length_counts
        lengths = np.flatnonzero(counts)  # the lengths that occur, ascending
        articles = int(counts.sum())
        return {
            "articles": articles,
            "splits": dict(self.splits),
            "publishers": _counter(self.columns["publisher"]),
            "months": dict(sorted(_counter(self.columns["month"]).items())),
            "sources": self.sources.result(),
            "truncated": self.truncated,
            "text_chars": {
                "min": int(lengths[0]) if articles else 0,
                "median": _median(counts),
                "mean": round(int((lengths * counts[lengths]).sum()) / articles, 1) if articles else 0,
                "max": int(lengths[-1]) if articles else 0,
            },
        }


def _median(counts: np.ndarray) -> float | int:
    """Like statistics.median of the values counted (counts[v]: how often v occurs): the middle value, or
    the mean of the two middle ones."""
    total = int(counts.sum())
    if not total:
        return 0
    cumulative = np.cumsum(counts)

    def nth(k: int) -> int:  # the k-th smallest value, from 0
        return int(np.searchsorted(cumulative, k, side="right"))

    middle = total // 2
    return nth(middle) if total % 2 else (nth(middle - 1) + nth(middle)) / 2


class LedgerStats:
    """Fates, drop and quarantine reasons, and what each cleaning rule removed, added up batch by batch."""

    # What `add` reads of the ledger (nested fields by path, as for SplitStats).
    COLUMNS = ("segment_id", "fate", "edits", "reasons", "provenance.source_path", "provenance.source_format",
               "provenance.shape_evidence")

    def __init__(self) -> None:
        self.by_kind: Counter[str] = Counter()
        self.reasons: Counter[str] = Counter()
        self.rules: dict[str, dict[str, int]] = {}
        self._shapes: list[pa.Table] = []  # (path, evidence): how each raw file was read

    def add(self, ledger: pa.Table) -> None:
        fates = ledger.column("fate")
        grouped = pc.if_else(pc.starts_with(fates, "duplicate_of:"), "duplicate_of", fates)
        self.by_kind.update(_value_counts(grouped))
        edits = pc.list_flatten(ledger.column("edits"))
        if len(edits):
            per_rule = pa.table({"rule": pc.struct_field(edits, "rule"),
                                 "chars": pc.struct_field(edits, "chars_removed")}).group_by("rule").aggregate(
                [("chars", "count"), ("chars", "sum")])
            for rule, documents, chars in zip(*(per_rule.column(c).to_pylist() for c in
                                                ("rule", "chars_count", "chars_sum")), strict=True):
                entry = self.rules.setdefault(rule, {"documents": 0, "chars_removed": 0})
                entry["documents"] += documents
                entry["chars_removed"] += chars
        reasons = pc.list_flatten(ledger.filter(pc.equal(fates, "quarantined")).column("reasons"))
        self.reasons.update(_value_counts(pc.list_element(pc.split_pattern(reasons, ":", max_splits=1), 0)))
        if "shape_evidence" in ledger.column_names:
            self._shapes.append(_first_per_path(ledger.select(["source_path", "shape_evidence"])))
            if len(self._shapes) >= ValueCounts.COMPACT_EVERY:
                self._shapes = [_first_per_path(pa.concat_tables(self._shapes))]

    def result(self) -> dict[str, Any]:
        shapes = (_first_per_path(pa.concat_tables(self._shapes)) if self._shapes else
                  pa.table({"source_path": pa.array([], pa.string()), "shape_evidence": pa.array([], pa.string())}))
        return {
            "fates": dict(sorted(self.by_kind.items())),
            "quarantine_reasons": dict(sorted(self.reasons.items())),
            "cleaning": dict(sorted(self.rules.items())),
            "shapes": ColumnMap(shapes, "source_path", "shape_evidence"),
        }


def _first_per_path(table: pa.Table) -> pa.Table:
    """One evidence a raw file (the first in order: a file's segments all carry its shape's)."""
    grouped = table.group_by("source_path", use_threads=False).aggregate([("shape_evidence", "min")])
    return pa.table({"source_path": grouped.column("source_path"),
                     "shape_evidence": grouped.column("shape_evidence_min")})


def _value_counts(values: pa.Array | pa.ChunkedArray) -> dict[str, int]:
    counted = pc.value_counts(values)
    return dict(zip(counted.field("values").to_pylist(), counted.field("counts").to_pylist(), strict=True))


class ColumnMap:
    """A JSON object of many entries held as two Arrow columns (keys ascending and unique), not as Python
    objects: stats.json maps every raw file, hundreds of thousands of entries at a million articles.
    `write_json` streams it; the card reads its size and largest entries."""

    CHUNK = 10_000

    def __init__(self, table: pa.Table, key: str, value: str) -> None:
        ordered = table.sort_by(key)
        self.keys, self.values_ = ordered.column(key).combine_chunks(), ordered.column(value).combine_chunks()
        if len(pc.unique(self.keys)) != len(self.keys):
            raise ValueError(f"ColumnMap: a {key} has more than one {value}")

    def __len__(self) -> int:
        return len(self.keys)

    def chunks(self) -> Iterator[dict[Any, Any]]:
        """The entries, in key order, as dicts of at most CHUNK entries."""
        for start in range(0, len(self.keys), self.CHUNK):
            yield dict(zip(self.keys.slice(start, self.CHUNK).to_pylist(),
                           self.values_.slice(start, self.CHUNK).to_pylist(), strict=True))

    def items(self) -> Iterator[tuple[Any, Any]]:
        for chunk in self.chunks():
            yield from chunk.items()

    def values(self) -> Iterator[Any]:
        return (value for _, value in self.items())


class ValueCounts:
    """How often each value of a string column occurs, over many tables; in Arrow, compacted as it grows."""

    COMPACT_EVERY = 64  # tables

    def __init__(self) -> None:
        self._pieces: list[pa.Table] = []

    def add(self, values: pa.Array | pa.ChunkedArray) -> None:
        counted = pc.value_counts(pc.fill_null(values, UNKNOWN))
        self._pieces.append(pa.table({"value": counted.field("values"), "count": counted.field("counts")}))
        if len(self._pieces) >= self.COMPACT_EVERY:
            self._pieces = [self._combined()]

    def _combined(self) -> pa.Table:
        summed = pa.concat_tables(self._pieces).group_by("value").aggregate([("count", "sum")])
        return pa.table({"value": summed.column("value"), "count": summed.column("count_sum")})

    def result(self) -> ColumnMap:
        empty = pa.table({"value": pa.array([], pa.string()), "count": pa.array([], pa.int64())})
        return ColumnMap(self._combined() if self._pieces else empty, "value", "count")


def write_json(path: Path, value: Any) -> None:
    """`json.dump(value, indent=2, ensure_ascii=False, sort_keys=True)` plus a newline, byte for byte, with the
    ColumnMaps in it written a chunk at a time."""
    with path.open("w", encoding="utf-8") as handle:
        for piece in _json_pieces(value, 0):
            handle.write(piece)
        handle.write("\n")


def _json_pieces(value: Any, depth: int) -> Iterator[str]:
    inner = "\n" + "  " * (depth + 1)
    if isinstance(value, ColumnMap):  # a chunk of scalar entries at a time, through json's C encoder
        for start, chunk in enumerate(value.chunks()):
            entries = json.dumps(chunk, indent=2, ensure_ascii=False)[4:-2]  # '"k": v,\n  "k": v'
            yield ("," if start else "{") + inner + entries.replace("\n  ", inner)
        yield "\n" + "  " * depth + "}" if len(value) else "{}"
    elif isinstance(value, dict) and any(isinstance(item, ColumnMap) for item in value.values()):
        for start, (key, item) in enumerate(sorted(value.items())):
            yield ("," if start else "{") + inner + json.dumps(key, ensure_ascii=False) + ": "
            yield from _json_pieces(item, depth + 1)
        yield "\n" + "  " * depth + "}" if value else "{}"
    else:
        yield json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True).replace("\n", "\n" + "  " * depth)
