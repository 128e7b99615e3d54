"""Publish: the Hugging Face dataset folder, written aside and swapped in whole.

release/ = data/<split>-NNNNN-of-NNNNN.parquet, ledger/, README.md (card), DATASHEET.md, stats.json,
validation/, checksums.sha256. A release-level check (unique ids, disjoint non-empty splits, ledger
conservation) must pass before the folder replaces the previous one.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from corpus import __version__
from corpus.cache import package_source_sha256
from corpus.dedup import INDEX_FILE
from corpus.executors import current_executor
from corpus.params import PublishParams
from corpus.progress import progress
from corpus.record import LEDGER_SCHEMA, RECORD_SCHEMA, REMOVAL_SCHEMA, schema_fingerprint
from corpus.release.card import fill_blocks, render_blocks, render_card
from corpus.release.checks import check_release
from corpus.release.citation import croissant, data_digests, fingerprint_of, write_citation, write_croissant
from corpus.release.ledger import FATE_GROUPS, ConservationError, FateBook, ledger_rows
from corpus.release.parquet_set import ParquetSetWriter
from corpus.release.plots import write_plots
from corpus.release.stats import LedgerStats, SplitStats
from corpus.release.takedown import Takedown, apply_takedowns, load_takedowns
from corpus.shards import aligned, read_batches, read_chain, read_table, unit_names
from corpus.stages import StagePaths
from corpus.stages.split import SPLITS
from corpus.storage import get_file, get_tree

CHECKSUMS = "checksums.sha256"


def with_provenance(table: pa.Table, fill: dict[str, str]) -> pa.Table:
    """Set provenance fields that are only known at the end (the full params chain, pipeline version)."""
    provenance = table.column("provenance").combine_chunks()
    children = {field.name: provenance.field(i) for i, field in enumerate(provenance.type)}
    for name, value in fill.items():
        children[name] = pa.array([value] * len(table), type=pa.string())
    rebuilt = pa.StructArray.from_arrays(list(children.values()), fields=list(provenance.type))
    return table.set_column(table.schema.get_field_index("provenance"), "provenance", rebuilt)


def write_checksums(folder: Path, known: dict[str, str]) -> str:
    """sha256 of every file, sorted by path (files in `known` are not read again); returns the sha256 of
    the manifest."""
    lines = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != CHECKSUMS):
        name = path.relative_to(folder).as_posix()
        digest = known.get(name) or hashlib.sha256(path.read_bytes()).hexdigest()
        lines.append(f"{digest}  {name}\n")
    manifest = "".join(lines)
    (folder / CHECKSUMS).write_text(manifest, encoding="utf-8")
    return hashlib.sha256(manifest.encode()).hexdigest()


def publish_rows(
    paths: StagePaths, staging: Path, params: PublishParams, takedowns: list[Takedown], fill: dict[str, str],
    metadata: dict[str, str],
) -> tuple[SplitStats, pa.Table]:
    """Stream every split into data/, minus takedowns: the stats, and (id, split) of each published row."""
    stats, keys = SplitStats(), []
    for split in SPLITS:
        with ParquetSetWriter(staging / "data", split, RECORD_SCHEMA, params, metadata) as writer:
            for batch in read_batches(paths.stage("split"), split, expect=RECORD_SCHEMA):
                rows, _ = apply_takedowns(with_provenance(pa.Table.from_batches([batch]), fill), takedowns)
                writer.write(rows)
                stats.add(split, rows)
                labels = pa.array([split] * rows.num_rows, pa.string())
                keys.append(pa.table({"id": rows.column("id"), "split": labels}))
        stats.splits.setdefault(split, 0)
    return stats, pa.concat_tables(keys) if keys else KEY_SCHEMA.empty_table()


KEY_SCHEMA = pa.schema([("id", pa.string()), ("split", pa.string())])
LEDGER_ORDER = [("path", "ascending"), ("start", "ascending"), ("segment", "ascending")]


@dataclass(frozen=True)
class LedgerJob:
    unit: str
    paths: StagePaths
    takedowns: list[Takedown]
    fill: dict[str, str]


@dataclass(frozen=True)
class LedgerPiece:
    ledger: pa.Table  # the unit's ledger rows, by raw file path and position
    totals: dict[str, int]  # segments per fate group


def ledger_unit(job: LedgerJob) -> LedgerPiece:
    """One unit's ledger rows: every segment ingest cut from its files, with the fate the later stages gave
    it (kept = published; removal notices; taken down) and the edits clean recorded. Raises
    ConservationError unless each segment has exactly one fate."""
    unit, stage = job.unit, job.paths.stage
    published, taken_down = [], {}
    for split in SPLITS:
        for batch in read_batches(stage("split"), f"{split}-{unit}", columns=["id", "url", "provenance"]):
            rows, removed = apply_takedowns(pa.Table.from_batches([batch]), job.takedowns)
            published += pc.struct_field(rows.column("provenance"), "segment_id").to_pylist()
            taken_down.update(removed)
    removals = [row for name in ("clean", "validate", "dedup") for row in read_table(stage(name), f"removed-{unit}")
                .cast(REMOVAL_SCHEMA).to_pylist()]
    removals += [{"segment_id": segment, "article_id": None, "fate": "taken_down", "reasons": [t.describe()]}
                 for segment, t in sorted(taken_down.items())]
    book, pieces = FateBook(published, removals), []
    segments = read_batches(stage("ingest"), f"segments-{unit}", ["segment_id", "article_id", "title", "provenance"])
    for rows, cleaned in aligned(segments, read_batches(stage("clean"), f"edits-{unit}")):
        if not rows.column("segment_id").equals(cleaned.column("segment_id")):
            raise ConservationError(f"unit {unit}: clean's edits are not in the order of ingest's segments")
        pieces.append(ledger_rows(with_provenance(pa.Table.from_batches([rows]), job.fill), cleaned.column("edits"),
                                  book))
    ledger = pa.concat_tables(pieces) if pieces else LEDGER_SCHEMA.empty_table()
    provenance = ledger.column("provenance")
    order = pc.sort_indices(pa.table({"path": pc.struct_field(provenance, "source_path"),
                                      "start": pc.struct_field(provenance, "byte_start"),
                                      "segment": ledger.column("segment_id")}), sort_keys=LEDGER_ORDER)
    return LedgerPiece(ledger.take(order), book.totals())


def publish_ledger(
    paths: StagePaths, staging: Path, params: PublishParams, takedowns: list[Takedown], fill: dict[str, str],
    metadata: dict[str, str],
) -> tuple[LedgerStats, dict[str, int], pa.Table]:
    """Stream one ledger row per raw segment into ledger/, unit by unit (units follow raw file path order):
    the stats, the fate totals, and (segment_id, fate) of every row."""
    units = unit_names(paths.stage("ingest"), "segments")
    jobs = (LedgerJob(unit, paths, takedowns, fill) for unit in units)
    stats, totals, fates = LedgerStats(), Counter(), []
    with ParquetSetWriter(staging / "ledger", "ledger", LEDGER_SCHEMA, params, metadata) as writer:
        for piece in progress(current_executor().map(ledger_unit, jobs), total=len(units), unit="unit",
                              desc="ledger"):
            writer.write(piece.ledger)
            stats.add(piece.ledger)
            totals.update(piece.totals)
            fates.append(piece.ledger.select(["segment_id", "fate"]))
    ledger_totals = {"segments": totals["segments"], **{group: totals[group] for group in FATE_GROUPS}}
    return stats, ledger_totals, pa.concat_tables(fates)


def _json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")


def main(paths: StagePaths, params: PublishParams) -> dict[str, Any]:
    chain = read_chain(paths.stage("split"), "train")
    fill = {"params_sha256": chain, "pipeline_version": __version__}
    sources = source_checksums(paths.stage("ingest"))
    staging = paths.release_dir.with_name(paths.release_dir.name + ".tmp")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    metadata = {
        "corpus.pipeline_version": __version__,
        "corpus.code_sha256": package_source_sha256(),
        "corpus.params_sha256": chain,
        "corpus.schema_fingerprint": schema_fingerprint(),
        "corpus.sources_sha256": json.dumps(sources, sort_keys=True),
    }
    takedowns = load_takedowns(paths.config_file(params.takedown))
    split_stats, published = publish_rows(paths, staging, params, takedowns, fill, metadata)
    ledger_stats, ledger_totals, ledger_fates = publish_ledger(paths, staging, params, takedowns, fill, metadata)

    stats = {
        "version": params.version,
        "pipeline_version": __version__,
        "params_sha256": chain,
        "schema_fingerprint": metadata["corpus.schema_fingerprint"],
        **split_stats.result(),
        "ledger": ledger_totals,
        **ledger_stats.result(),
        "sources_sha256": sources,
        "validation": json.loads((paths.stage("validate") / "summary.json").read_text(encoding="utf-8")),
    }
    release_checks = check_release(published, ledger_fates, stats, docs=staging / "validation" / "release")
    get_tree(paths.stage("validate") / "docs", staging / "validation" / "rows")
    (staging / "dedup").mkdir()
    get_file(paths.stage("dedup") / INDEX_FILE, staging / "dedup" / INDEX_FILE)
    digests = data_digests(staging)
    fingerprint = fingerprint_of(digests)
    stats["fingerprint"] = fingerprint
    write_citation(staging / "CITATION.cff", params, fingerprint)
    write_croissant(staging / "croissant.json", croissant(staging, params, stats, fingerprint, digests))
    data_files = {split: f"data/{split}-*.parquet" for split in SPLITS} | {"ledger": "ledger/ledger-*.parquet"}
    (staging / "README.md").write_text(render_card(stats, params, data_files), encoding="utf-8")
    template = paths.config_file(params.datasheet_template).read_text(encoding="utf-8")
    write_plots(staging / "plots", stats, split_stats.lengths().tolist())
    (staging / "DATASHEET.md").write_text(fill_blocks(template, render_blocks(stats)), encoding="utf-8")
    _json(staging / "stats.json", stats)
    _json(staging / "validation" / "rows.json", stats["validation"])
    _json(staging / "validation" / "release.json", release_checks)
    write_checksums(staging, known=digests)

    if paths.release_dir.exists():
        shutil.rmtree(paths.release_dir)
    staging.rename(paths.release_dir)
    return {
        "articles": stats["articles"],
        **stats["splits"],
        **{f"ledger_{k}": v for k, v in stats["ledger"].items()},
        "fingerprint": fingerprint,
    }


def source_checksums(ingest: Path) -> dict[str, str]:
    """Raw file path → sha256, for every file ingest read."""
    provenance = read_table(ingest, "segments", ["provenance"]).column("provenance")
    pairs = (
        pa.table(
            {"path": pc.struct_field(provenance, "source_path"), "sha": pc.struct_field(provenance, "source_sha256")}
        )
        .group_by(["path", "sha"])
        .aggregate([])
    )
    return dict(sorted(zip(pairs.column("path").to_pylist(), pairs.column("sha").to_pylist(), strict=True)))
