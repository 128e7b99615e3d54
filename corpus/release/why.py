"""`corpus why`: where did this article go? Answered from a release's ledger, in plain words."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pyarrow.compute as pc
import pyarrow.parquet as pq

HEX_ID = re.compile(r"^[0-9a-f]{24}$")
LOCATION = re.compile(r"^(?P<path>.+?)(?::(?P<line>\d+))?$")


def _matching_rows(files: list[Path], columns: list[str], matches: Any) -> list[dict[str, Any]]:
    """The rows of `files` for which `matches(table of columns)` is true: the named columns are read first,
    and a file's other columns only when one of its rows matches (pyarrow.dataset alone takes ~0.3 s to import)."""
    rows: list[dict[str, Any]] = []
    for path in files:
        parquet = pq.ParquetFile(path)
        mask = matches(parquet.read(columns=columns))
        if pc.any(mask).as_py():
            rows += parquet.read().filter(mask).to_pylist()
    return rows


def _ledger_rows(release: Path, query: str) -> list[dict[str, Any]]:
    ledger = sorted((release / "ledger").glob("*.parquet"))
    if HEX_ID.match(query):
        return _matching_rows(ledger, ["article_id", "segment_id"], lambda table: pc.or_kleene(
            pc.equal(table["article_id"], query), pc.equal(table["segment_id"], query)))
    match = LOCATION.match(query)
    assert match is not None
    path, line = match["path"], match["line"]
    rows: list[dict[str, Any]] = []
    while not rows and path:  # `seeds/001.txt` typed from the repository is `001.txt` of the input folder
        rows = _matching_rows(ledger, ["provenance.source_path"], lambda table, path=path: pc.equal(
            pc.struct_field(table["provenance"], "source_path"), path))
        path = path.partition("/")[2]
    if line is not None:
        rows = [r for r in rows if r["provenance"]["line_start"] <= int(line) <= max(r["provenance"]["line_end"], 1)]
    return rows


def _published_split(release: Path, article_id: str) -> str | None:
    for path in sorted((release / "data").glob("*.parquet")):
        if pc.any(pc.equal(pq.ParquetFile(path).read(columns=["id"])["id"], article_id)).as_py():
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
