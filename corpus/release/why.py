"""`corpus why`: where did this article go? Answered from a release's ledger, in plain words."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pyarrow.compute as pc
import pyarrow.dataset as ds

HEX_ID = re.compile(r"^[0-9a-f]{24}$")
LOCATION = re.compile(r"^(?P<path>.+?)(?::(?P<line>\d+))?$")


def _ledger_rows(release: Path, query: str) -> list[dict[str, Any]]:
    ledger = ds.dataset(release / "ledger", format="parquet")
    if HEX_ID.match(query):
        condition = (pc.field("article_id") == query) | (pc.field("segment_id") == query)
        return ledger.to_table(filter=condition).to_pylist()
    match = LOCATION.match(query)
    assert match is not None
    path, line = match["path"], match["line"]
    rows: list[dict[str, Any]] = []
    while not rows and path:  # `seeds/001.txt` typed from the repository is `001.txt` of the input folder
        rows = ledger.to_table(filter=pc.field("provenance", "source_path") == path).to_pylist()
        path = path.partition("/")[2]
    if line is not None:
        rows = [r for r in rows if r["provenance"]["line_start"] <= int(line) <= max(r["provenance"]["line_end"], 1)]
    return rows


def _published_split(release: Path, article_id: str) -> str | None:
    for path in sorted((release / "data").glob("*.parquet")):
        table = ds.dataset(path, format="parquet").to_table(columns=["id"], filter=pc.field("id") == article_id)
        if table.num_rows:
            return path.name.split("-")[0]
    return None


def describe(release: Path, row: dict[str, Any]) -> str:
    provenance = row["provenance"]
    where = (f"{provenance['source_path']} lines {provenance['line_start']}–{provenance['line_end']} "
             f"(bytes {provenance['byte_start']}–{provenance['byte_end']}, {provenance['source_format']}, "
             f"{provenance['role']})")
    title = f" “{row['title']}”" if row["title"] else ""
    fate, reasons = row["fate"], "; ".join(row["reasons"])
    if fate == "kept":
        verdict = f"published in the {_published_split(release, row['article_id'])} split as id {row['article_id']}"
    elif fate.startswith("duplicate_of:"):
        original = fate.split(":", 1)[1]
        split = _published_split(release, original)
        verdict = f"not published: a duplicate of {original} ({reasons}), which is in the {split} split"
    elif fate == "quarantined":
        verdict = f"quarantined, not published: {reasons}"
    elif fate.startswith("contaminated:"):
        _, benchmark, item = fate.split(":", 2)
        split = _published_split(release, row["article_id"]) if row["article_id"] else None
        where_now = f"published in the {split} split, flagged" if split else "not published"
        verdict = f"holds item {item} of the benchmark {benchmark}, {where_now}: {reasons}"
    elif fate.startswith("dropped:"):
        verdict = f"dropped ({fate.split(':', 1)[1].replace('_', ' ')}): {reasons}"
    else:
        verdict = f"{fate.replace('_', ' ')}: {reasons}"
    edits = ", ".join(
        f"{e['rule']} {'removed' if e['chars_removed'] > 0 else 'added'} {abs(e['chars_removed'])}"
        for e in row["edits"]
        if e["chars_removed"]
    )
    cleaning = f"\n  cleaning (characters): {edits}" if edits else ""
    return f"segment {row['segment_id']}{title}\n  from {where}\n  → {verdict}{cleaning}"


def explain(release: Path, query: str) -> list[str]:
    """One paragraph per ledger row matching an article id, a segment id, or `path[:line]`."""
    return [describe(release, row) for row in _ledger_rows(release, query)]
