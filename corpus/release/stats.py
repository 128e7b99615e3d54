"""stats.json: the numbers a release reports, computed from the published rows and the ledger."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

UNKNOWN = "(unknown)"


def _counter(counts: Counter[Any]) -> dict[str, int]:
    counts = Counter({UNKNOWN if value is None else value: n for value, n in counts.items()})
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


class SplitStats:
    """Composition of the published rows (splits, publishers, months, sources, lengths), added up batch
    by batch as the rows are written."""

    def __init__(self) -> None:
        self.splits: dict[str, int] = {}
        self.columns: dict[str, Counter[Any]] = {"publisher": Counter(), "month": Counter(), "source": Counter()}
        self.truncated = 0
        self.length_counts = np.zeros(0, dtype=np.int64)  # articles by text length: as long as the longest text

    # What `add` reads of the published rows (nested fields by path: Parquet reads only those leaves).
    COLUMNS = ("publisher", "published_at", "provenance.source_path", "is_truncated", "quality.n_chars")

    def add(self, split: str, table: pa.Table) -> None:
        """Rows with COLUMNS (as `pq.read_table(columns=COLUMNS)` gives them: nested ones by leaf name)."""
        self.splits[split] = self.splits.get(split, 0) + table.num_rows
        if not table.num_rows:
            return
        self.columns["publisher"].update(_value_counts(table.column("publisher")))
        self.columns["month"].update(_value_counts(pc.strftime(table.column("published_at"), format="%Y-%m")))
        self.columns["source"].update(_value_counts(table.column("source_path")))
        self.truncated += pc.sum(table.column("is_truncated")).as_py() or 0
        counts = np.bincount(table.column("n_chars").to_numpy())
        longest = max(len(counts), len(self.length_counts))
        self.length_counts = np.pad(self.length_counts, (0, longest - len(self.length_counts)))
        self.length_counts[: len(counts)] += counts

    def result(self) -> dict[str, Any]:
        counts = self.length_counts
        lengths = np.flatnonzero(counts)  # the lengths that occur, ascending
        articles = int(counts.sum())
        return {
            "articles": articles,
            "splits": dict(self.splits),
            "publishers": _counter(self.columns["publisher"]),
            "months": dict(sorted(_counter(self.columns["month"]).items())),
            "sources": dict(sorted(_counter(self.columns["source"]).items())),
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

    def __init__(self) -> None:
        self.by_kind: Counter[str] = Counter()
        self.reasons: Counter[str] = Counter()
        self.rules: dict[str, dict[str, int]] = {}

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

    def result(self) -> dict[str, Any]:
        return {
            "fates": dict(sorted(self.by_kind.items())),
            "quarantine_reasons": dict(sorted(self.reasons.items())),
            "cleaning": dict(sorted(self.rules.items())),
        }


def _value_counts(values: pa.Array | pa.ChunkedArray) -> dict[str, int]:
    counted = pc.value_counts(values)
    return dict(zip(counted.field("values").to_pylist(), counted.field("counts").to_pylist(), strict=True))
