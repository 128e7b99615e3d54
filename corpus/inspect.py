"""`corpus inspect`: how raw files will be read, without building — the shape each file was taken for and why,
how many segments it gives, and the first ones with the fields cleaning reads off them.

It runs ingest's reading and clean's steps on the files as given (no cache, no validation, no dedup), so
what it shows is what a build would do with them up to the quality gate.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpus.errors import UsageError
from corpus.params import CleanParams, IngestParams
from corpus.rawfiles import scan_input
from corpus.stages.clean import clean_segment, resolve_steps
from corpus.stages.ingest import read_file

TEXT_PREVIEW = 160  # characters of cleaned text shown per segment


@dataclass
class FileReport:
    """One raw file as ingest and clean see it."""

    path: str
    shape: str
    evidence: str
    encoding: str
    roles: Counter[str] = field(default_factory=Counter)
    samples: list[dict[str, Any]] = field(default_factory=list)


def raw_files(paths: Iterable[Path]) -> Iterator[tuple[Path, Path]]:
    """(file, the folder its name is relative to) for each path: a file, or every raw file under a folder."""
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path} does not exist")
        if path.is_dir():
            for raw in scan_input(path, stat=False):
                yield path / raw.relative, path
        else:
            yield path, path.parent


def inspect_file(path: Path, folder: Path, ingest: IngestParams, clean: CleanParams, shown: int) -> FileReport:
    """Read one file as ingest does; clean its first `shown` segments as clean does."""
    steps = resolve_steps(clean.steps)
    relative = path.relative_to(folder).as_posix()
    report: FileReport | None = None
    for row in read_file(path, relative, ingest, folder):
        provenance = row["provenance"]
        if report is None:
            report = FileReport(relative, provenance["source_format"], provenance["shape_evidence"],
                                provenance["encoding"])
        report.roles["error" if row["error"] else provenance["role"]] += 1
        if len(report.samples) < shown:
            report.samples.append(_sample(row, clean_segment(row, steps, clean)))
    assert report is not None, "ingest yields a row for every file, an error row at least"
    return report


def _sample(row: dict[str, Any], outcome: Any) -> dict[str, Any]:
    provenance = row["provenance"]
    sample = {"segment": provenance["segment_index"], "lines": (provenance["line_start"], provenance["line_end"]),
              "role": provenance["role"]}
    if outcome.record is None:
        removal = outcome.removal
        return {**sample, "fate": removal["fate"], "reasons": removal["reasons"], "title": row.get("title")}
    record = outcome.record
    return {**sample, "fate": "kept so far (validation and dedup not run)", "title": record["title"],
            "publisher": record["publisher"], "reporters": record["reporters"],
            "published_at": record["published_at"].isoformat() if record["published_at"] else None,
            "section": record["section"], "url": record["url"], "is_truncated": record["is_truncated"],
            "n_sentences": record["quality"]["n_sentences"], "text": record["text"]}


def render(report: FileReport) -> str:
    segments = sum(report.roles.values())
    roles = ", ".join(f"{n} {role}" for role, n in sorted(report.roles.items()))
    lines = [f"{report.path}", f"  shape     {report.evidence}", f"  encoding  {report.encoding}",
             f"  segments  {segments}: {roles}"]
    for sample in report.samples:
        first, last = sample["lines"]
        where = f"line {first}" if first == last else f"lines {first}–{last}"
        lines.append(f"  #{sample['segment']} {sample['role']}, {where}: {sample['fate']}")
        if "reasons" in sample:
            lines += [f"      {'why':<13}{reason}" for reason in sample["reasons"]]
        for name in ("title", "publisher", "reporters", "published_at", "section", "url", "is_truncated",
                     "n_sentences"):
            value = sample.get(name)
            if value not in (None, [], ""):
                shown = ", ".join(value) if isinstance(value, list) else value
                lines.append(f"      {name:<13}{shown}")
        if sample.get("text"):
            text = " ".join(sample["text"].split())
            preview = text if len(text) <= TEXT_PREVIEW else text[: TEXT_PREVIEW - 1] + "…"
            lines += textwrap.wrap(f"{'text':<13}{preview} ({len(sample['text'])} chars)", width=110,
                                   initial_indent="      ", subsequent_indent=" " * 19)
    return "\n".join(lines)
