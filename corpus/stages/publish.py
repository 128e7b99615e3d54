"""Publish: the Hugging Face dataset folder, written aside and swapped in whole.

release/ = data/<split>-NNNNN-of-NNNNN.parquet, ledger/, README.md (card), DATASHEET.md, stats.json,
validation/, checksums.sha256. A release-level check (unique ids, disjoint non-empty splits, ledger
conservation) must pass before the folder replaces the previous one.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from corpus import __version__
from corpus.cache import package_source_sha256
from corpus.dedup import INDEX_FILE
from corpus.params import PublishParams
from corpus.record import LEDGER_SCHEMA, RECORD_SCHEMA, REMOVAL_SCHEMA, schema_fingerprint
from corpus.release.card import fill_blocks, render_blocks, render_card
from corpus.release.checks import check_release
from corpus.release.citation import croissant, data_digests, fingerprint_of, write_citation, write_croissant
from corpus.release.ledger import ConservationError, FateBook, ledger_rows
from corpus.release.parquet_set import ParquetSetWriter
from corpus.release.plots import write_plots
from corpus.release.stats import LedgerStats, SplitStats
from corpus.release.takedown import Takedown, apply_takedowns, load_takedowns
from corpus.shards import aligned, read_batches, read_chain, read_table
from corpus.sorting import ranks, sorted_batches
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


def _removals(paths: StagePaths) -> list[dict[str, Any]]:
    tables = [read_table(paths.stage(stage), "removed") for stage in ("clean", "validate", "dedup")]
    return pa.concat_tables([t.cast(REMOVAL_SCHEMA) for t in tables]).to_pylist()


def publish_rows(
    paths: StagePaths,
    staging: Path,
    params: PublishParams,
    fill: dict[str, str],
    metadata: dict[str, str],
) -> tuple[SplitStats, pa.Table, dict[str, Takedown]]:
    """Stream every split into data/, minus takedowns: the stats, (id, split, segment_id) of each published
    row, and segment id → takedown of each row taken down."""
    takedowns = load_takedowns(paths.config_file(params.takedown))
    stats, keys, taken_down = SplitStats(), [], {}
    for split in SPLITS:
        with ParquetSetWriter(staging / "data", split, RECORD_SCHEMA, params, metadata) as writer:
            for batch in read_batches(paths.stage("split"), split, expect=RECORD_SCHEMA):
                rows, removed = apply_takedowns(with_provenance(pa.Table.from_batches([batch]), fill), takedowns)
                taken_down.update(removed)
                writer.write(rows)
                stats.add(split, rows)
                keys.append(
                    pa.table(
                        {
                            "id": rows.column("id"),
                            "split": pa.array([split] * rows.num_rows, pa.string()),
                            "segment_id": pc.struct_field(rows.column("provenance"), "segment_id"),
                        }
                    )
                )
        stats.splits.setdefault(split, 0)
    return stats, pa.concat_tables(keys) if keys else KEY_SCHEMA.empty_table(), taken_down


KEY_SCHEMA = pa.schema([("id", pa.string()), ("split", pa.string()), ("segment_id", pa.string())])


def publish_ledger(
    paths: StagePaths,
    staging: Path,
    params: PublishParams,
    book: FateBook,
    fill: dict[str, str],
    metadata: dict[str, str],
) -> tuple[LedgerStats, pa.Table]:
    """Stream one ledger row per raw segment into ledger/, ordered by raw file path and position: the
    stats and (segment_id, fate) of every row. Clean wrote one edits row per segment, in segment order."""
    ingest, columns = paths.stage("ingest"), ["segment_id", "article_id", "title", "provenance"]
    keys = read_table(ingest, "segments", ["segment_id", "provenance"])
    provenance = keys.column("provenance")
    _, rank = ranks(
        pa.table(
            {
                "path": pc.struct_field(provenance, "source_path"),
                "start": pc.struct_field(provenance, "byte_start"),
                "segment": keys.column("segment_id"),
            }
        ),
        [("path", "ascending"), ("start", "ascending"), ("segment", "ascending")],
    )
    del keys, provenance

    def rows() -> Iterator[pa.RecordBatch]:
        edits = read_batches(paths.stage("clean"), "edits")
        for segments, cleaned in aligned(read_batches(ingest, "segments", columns), edits):
            if not segments.column("segment_id").equals(cleaned.column("segment_id")):
                raise ConservationError("clean's edits are not in the order of ingest's segments")
            yield from ledger_rows(segments, cleaned.column("edits").to_pylist(), book, fill).to_batches()

    stats, fates = LedgerStats(), []
    with ParquetSetWriter(staging / "ledger", "ledger", LEDGER_SCHEMA, params, metadata) as writer:
        for ledger in sorted_batches(rows, rank, scratch=staging):
            writer.write(ledger)
            stats.add(ledger)
            fates.append(ledger.select(["segment_id", "fate"]))
    return stats, pa.concat_tables(fates)


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
    split_stats, published, taken_down = publish_rows(paths, staging, params, fill, metadata)
    removals = _removals(paths) + [
        {"segment_id": segment, "article_id": None, "fate": "taken_down", "reasons": [t.describe()]}
        for segment, t in sorted(taken_down.items())
    ]
    book = FateBook(published.column("segment_id").to_pylist(), removals)
    ledger_stats, ledger_fates = publish_ledger(paths, staging, params, book, fill, metadata)

    stats = {
        "version": params.version,
        "pipeline_version": __version__,
        "params_sha256": chain,
        "schema_fingerprint": metadata["corpus.schema_fingerprint"],
        **split_stats.result(),
        "ledger": book.totals(),
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
