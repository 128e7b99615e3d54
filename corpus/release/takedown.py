"""Takedowns: a reviewed list of article ids or URLs that no release after the request may contain.

takedown.yaml holds entries `{id: <article id> | url: <url>, reason: <why>, date: <YYYY-MM-DD>}`. Publish
removes matching rows from every split and ledgers them as `taken_down` with the reason and date.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import yaml


@dataclass(frozen=True)
class Takedown:
    key: str  # "id:<id>" or "url:<url>"
    reason: str
    date: str

    def describe(self) -> str:
        return f"taken down {self.date}: {self.reason}"


def load_takedowns(path: Path) -> list[Takedown]:
    if not path.exists():
        return []
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    takedowns = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not (entry.get("id") or entry.get("url")) or not entry.get("reason"):
            raise ValueError(f"{path}: entry {number} needs an id or a url, and a reason: {entry!r}")
        key = f"id:{entry['id']}" if entry.get("id") else f"url:{entry['url']}"
        takedowns.append(Takedown(key, str(entry["reason"]), str(entry.get("date", ""))))
    return takedowns


def apply_takedowns(table: pa.Table, takedowns: list[Takedown]) -> tuple[pa.Table, dict[str, Takedown]]:
    """The rows that stay, and segment id → takedown for the rows removed."""
    if not takedowns or table.num_rows == 0:
        return table, {}
    by_key = {t.key: t for t in takedowns}
    ids, urls = table.column("id").to_pylist(), table.column("url").to_pylist()
    segments = pc.struct_field(table.column("provenance"), "segment_id").to_pylist()
    removed = {}
    for segment, id_, url in zip(segments, ids, urls, strict=True):
        hit = by_key.get(f"id:{id_}") or (by_key.get(f"url:{url}") if url else None)
        if hit is not None:
            removed[segment] = hit
    keep = pa.array([segment not in removed for segment in segments])
    return table.filter(keep), removed
