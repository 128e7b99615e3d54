"""The ledger: one row per raw segment with its fate, and the conservation law that checks it.

n_segments = kept + quarantined + duplicates + dropped + taken_down + contaminated, and every segment has
exactly one fate. A build that breaks this fails; nothing is lost silently. A contaminated article is
published too when decontaminate's policy is flag: published = kept + flagged.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

import pyarrow as pa

from corpus.record import LEDGER_SCHEMA

FATE_GROUPS = ("kept", "quarantined", "duplicate", "dropped", "taken_down", "contaminated")


class ConservationError(RuntimeError):
    """Some raw segment has no fate, or more than one."""


def fate_group(fate: str) -> str:
    if fate.startswith("duplicate_of:"):
        return "duplicate"
    return fate.split(":", 1)[0]


class FateBook:
    """The fates known before the ledger is assembled (published segment ids, removal notices, and the notices
    of published segments that are flagged as contaminated). Each raw segment claims its fate as the ledger
    streams past; `totals` then raises ConservationError unless every segment had exactly one fate and every
    fate belonged to a segment."""

    def __init__(self, kept: Iterable[str], removals: Iterable[dict[str, Any]],
                 flagged: Iterable[dict[str, Any]] = ()) -> None:
        self._kept: set[str] = set()
        self._removed: dict[str, tuple[str, list[str]]] = {}
        self._doubled: list[str] = []
        for segment_id in kept:
            if segment_id in self._kept:
                self._doubled.append(f"{segment_id} (kept twice)")
            self._kept.add(segment_id)
        for removal in removals:
            segment_id, fate = removal["segment_id"], removal["fate"]
            if segment_id in self._kept or segment_id in self._removed:
                first = "kept" if segment_id in self._kept else self._removed[segment_id][0]
                self._doubled.append(f"{segment_id} ({first} and {fate})")
            else:
                self._removed[segment_id] = (fate, list(removal["reasons"]))
        self._flagged = {flag["segment_id"]: (flag["fate"], list(flag["reasons"])) for flag in flagged
                         if flag["segment_id"] in self._kept}  # a flagged article taken down is taken down
        self._unclaimed = self._kept | self._removed.keys()
        self._missing: list[str] = []
        self._groups: Counter[str] = Counter()

    def claim(self, segment_id: str) -> tuple[str, list[str]]:
        """The segment's fate (an empty one if it has none: `totals` will fail the build)."""
        if segment_id in self._flagged:
            fate: tuple[str, list[str]] = self._flagged[segment_id]
            self._groups["flagged"] += 1
        elif segment_id in self._kept:
            fate = ("kept", [])
        elif segment_id in self._removed:
            fate = self._removed[segment_id]
        else:
            self._missing.append(segment_id)
            return ("", [])
        self._unclaimed.discard(segment_id)
        self._groups[fate_group(fate[0])] += 1
        return fate

    def totals(self) -> dict[str, int]:
        problems = []
        if self._missing:
            problems.append(f"{len(self._missing)} segment(s) with no fate, e.g. {sorted(self._missing)[:5]}")
        if self._doubled:
            problems.append(f"{len(self._doubled)} segment(s) with two fates, e.g. {self._doubled[:5]}")
        if self._unclaimed:
            unknown = sorted(self._unclaimed)
            problems.append(f"{len(unknown)} fate(s) for segments ingest never produced, e.g. {unknown[:5]}")
        if unexpected := set(self._groups) - {*FATE_GROUPS, "flagged"}:
            problems.append(f"unknown fate kinds {sorted(unexpected)}")
        if problems:
            raise ConservationError("ledger does not add up: " + "; ".join(problems))
        segments = sum(n for group, n in self._groups.items() if group != "flagged")
        return {"segments": segments, **{group: self._groups[group] for group in FATE_GROUPS},
                "published": self._groups["kept"] + self._groups["flagged"]}


def ledger_rows(segments: pa.Table, edits: pa.ChunkedArray | pa.Array, book: FateBook) -> pa.Table:
    """Ledger rows for segments (segment_id, article_id, title, provenance) and the edits clean recorded for
    them (same order), built column by column: only the fates pass through Python."""
    claimed = [book.claim(segment_id) for segment_id in segments.column("segment_id").to_pylist()]
    columns = {
        "segment_id": segments.column("segment_id"),
        "article_id": segments.column("article_id"),
        "fate": pa.array([fate for fate, _ in claimed], pa.string()),
        "reasons": pa.array([reasons for _, reasons in claimed], pa.list_(pa.string())),
        "title": segments.column("title"),
        "edits": edits,
        "provenance": segments.column("provenance"),
    }
    return pa.Table.from_arrays([columns[field.name] for field in LEDGER_SCHEMA], schema=LEDGER_SCHEMA)
