"""stats.json: the numbers a release reports, computed from the published rows and the ledger."""

from __future__ import annotations

import statistics
from collections import Counter
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from corpus.release.ledger import fate_group

UNKNOWN = "(unknown)"


def _counter(values: list[Any]) -> dict[str, int]:
    counts = Counter(UNKNOWN if value is None else value for value in values)
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def text_lengths(tables: dict[str, pa.Table]) -> list[int]:
    """quality.n_chars of every published row, split by split."""
    return [n for table in tables.values() for n in pc.struct_field(table.column("quality"), "n_chars").to_pylist()]


def split_stats(tables: dict[str, pa.Table]) -> dict[str, Any]:
    """Composition of the published rows: splits, publishers, months, sources, lengths."""
    columns: dict[str, list[Any]] = {"publisher": [], "month": [], "source": [], "truncated": []}
    for table in tables.values():
        columns["publisher"] += table.column("publisher").to_pylist()
        months = pc.strftime(table.column("published_at"), format="%Y-%m") if table.num_rows else pa.array([])
        columns["month"] += months.to_pylist()
        columns["source"] += pc.struct_field(table.column("provenance"), "source_path").to_pylist()
        columns["truncated"] += table.column("is_truncated").to_pylist()
    lengths = text_lengths(tables)
    return {
        "articles": len(lengths),
        "splits": {name: table.num_rows for name, table in tables.items()},
        "publishers": _counter(columns["publisher"]),
        "months": dict(sorted(_counter(columns["month"]).items())),
        "sources": dict(sorted(_counter(columns["source"]).items())),
        "truncated": sum(columns["truncated"]),
        "text_chars": {
            "min": min(lengths, default=0),
            "median": statistics.median(lengths) if lengths else 0,
            "mean": round(statistics.fmean(lengths), 1) if lengths else 0,
            "max": max(lengths, default=0),
        },
    }


def ledger_stats(ledger: pa.Table) -> dict[str, Any]:
    """Fates, drop and quarantine reasons, and what each cleaning rule removed."""
    fates = ledger.column("fate").to_pylist()
    by_kind = Counter("duplicate_of" if fate_group(f) == "duplicate" else f for f in fates)
    rules: dict[str, dict[str, int]] = {}
    for edits in ledger.column("edits").to_pylist():
        for edit in edits:
            entry = rules.setdefault(edit["rule"], {"documents": 0, "chars_removed": 0})
            entry["documents"] += 1
            entry["chars_removed"] += edit["chars_removed"]
    reasons = Counter(
        reason.split(":")[0]
        for fate, row_reasons in zip(fates, ledger.column("reasons").to_pylist(), strict=True)
        if fate == "quarantined"
        for reason in row_reasons
    )
    return {
        "fates": dict(sorted(by_kind.items())),
        "quarantine_reasons": dict(sorted(reasons.items())),
        "cleaning": dict(sorted(rules.items())),
    }
