"""The ledger: one row per raw segment with its fate, and the conservation law that checks it.

n_segments = kept + quarantined + duplicates + dropped + taken_down, and every segment has exactly
one fate. A build that breaks this fails; nothing is lost silently.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

import pyarrow as pa

from corpus.record import LEDGER_SCHEMA

FATE_GROUPS = ("kept", "quarantined", "duplicate", "dropped", "taken_down")


class ConservationError(RuntimeError):
    """Some raw segment has no fate, or more than one."""


def fate_group(fate: str) -> str:
    if fate.startswith("duplicate_of:"):
        return "duplicate"
    return fate.split(":", 1)[0]


def assign_fates(
    segment_ids: Iterable[str], kept: Iterable[str], removals: Iterable[dict[str, Any]]
) -> dict[str, tuple[str, list[str]]]:
    """segment id → (fate, reasons); raises ConservationError unless each segment has exactly one fate."""
    known = set(segment_ids)
    fates: dict[str, tuple[str, list[str]]] = {}
    doubled, unknown = [], []
    for segment_id, fate, reasons in [*((s, "kept", []) for s in kept),
                                      *((r["segment_id"], r["fate"], r["reasons"]) for r in removals)]:
        if segment_id not in known:
            unknown.append(segment_id)
        elif segment_id in fates:
            doubled.append(f"{segment_id} ({fates[segment_id][0]} and {fate})")
        else:
            fates[segment_id] = (fate, list(reasons))
    missing = sorted(known - set(fates))
    problems = []
    if missing:
        problems.append(f"{len(missing)} segment(s) with no fate, e.g. {missing[:5]}")
    if doubled:
        problems.append(f"{len(doubled)} segment(s) with two fates, e.g. {doubled[:5]}")
    if unknown:
        problems.append(f"{len(unknown)} fate(s) for segments ingest never produced, e.g. {unknown[:5]}")
    if problems:
        raise ConservationError("ledger does not add up: " + "; ".join(problems))
    return fates


def fate_totals(fates: dict[str, tuple[str, list[str]]]) -> dict[str, int]:
    groups = Counter(fate_group(fate) for fate, _ in fates.values())
    totals = {group: groups.get(group, 0) for group in FATE_GROUPS}
    unexpected = set(groups) - set(FATE_GROUPS)
    if unexpected:
        raise ConservationError(f"unknown fate kinds {sorted(unexpected)}")
    return {"segments": len(fates), **totals}


def ledger_table(
    segments: pa.Table, fates: dict[str, tuple[str, list[str]]], edits: dict[str, list[dict[str, Any]]],
    provenance_fill: dict[str, str],
) -> pa.Table:
    rows = []
    for segment in segments.to_pylist():
        fate, reasons = fates[segment["segment_id"]]
        rows.append({
            "segment_id": segment["segment_id"],
            "article_id": segment["article_id"],
            "fate": fate,
            "reasons": reasons,
            "title": segment["title"],
            "edits": edits.get(segment["segment_id"], []),
            "provenance": {**segment["provenance"], **provenance_fill},
        })
    rows.sort(key=lambda r: (r["provenance"]["source_path"], r["provenance"]["byte_start"], r["segment_id"]))
    return pa.Table.from_pylist(rows, schema=LEDGER_SCHEMA)
