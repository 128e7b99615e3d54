"""Publish: the Hugging Face dataset folder, written aside and swapped in whole.

release/ = data/<split>-NNNNN-of-NNNNN.parquet, ledger/, README.md (card), DATASHEET.md, stats.json,
validation/, checksums.sha256. A release-level check (unique ids, disjoint non-empty splits, ledger
conservation) must pass before the folder replaces the previous one.
"""

from __future__ import annotations

import hashlib
import json
import math
import shutil
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from corpus import __version__
from corpus.dedup import INDEX_FILE
from corpus.params import PublishParams
from corpus.record import RECORD_SCHEMA, REMOVAL_SCHEMA, check_schema, schema_fingerprint
from corpus.release.card import fill_blocks, render_blocks, render_card
from corpus.release.checks import check_release
from corpus.release.citation import croissant, data_digests, fingerprint_of, write_citation, write_croissant
from corpus.release.ledger import assign_fates, fate_totals, ledger_table
from corpus.release.plots import write_plots
from corpus.release.stats import ledger_stats, split_stats, text_lengths
from corpus.release.takedown import apply_takedowns, load_takedowns
from corpus.shards import read_chain, read_table
from corpus.stages import StagePaths
from corpus.stages.split import SPLITS

CHECKSUMS = "checksums.sha256"


def with_provenance(table: pa.Table, fill: dict[str, str]) -> pa.Table:
    """Set provenance fields that are only known at the end (the full params chain, pipeline version)."""
    provenance = table.column("provenance").combine_chunks()
    children = {field.name: provenance.field(i) for i, field in enumerate(provenance.type)}
    for name, value in fill.items():
        children[name] = pa.array([value] * len(table), type=pa.string())
    rebuilt = pa.StructArray.from_arrays(list(children.values()), fields=list(provenance.type))
    return table.set_column(table.schema.get_field_index("provenance"), "provenance", rebuilt)


def write_parquet_set(table: pa.Table, folder: Path, stem: str, params: PublishParams, metadata: dict) -> list[str]:
    """`<stem>-NNNNN-of-NNNNN.parquet` files of at most rows_per_shard rows (one file even when empty)."""
    folder.mkdir(parents=True, exist_ok=True)
    count = max(1, math.ceil(table.num_rows / params.rows_per_shard))
    names = []
    schema = table.schema.with_metadata({k.encode(): v.encode() for k, v in metadata.items()})
    for index in range(count):
        name = f"{stem}-{index:05d}-of-{count:05d}.parquet"
        chunk = table.slice(index * params.rows_per_shard, params.rows_per_shard)
        pq.write_table(chunk.cast(schema), folder / name, compression=params.compression,
                       row_group_size=params.row_group_rows, use_content_defined_chunking=True)
        names.append(name)
    return names


def code_sha256() -> str:
    """sha256 over the package's source files: which code built the data, without a commit hash (a
    commit id inside the data would change the bytes with every commit, code change or not)."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


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


def _json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")


def main(paths: StagePaths, params: PublishParams) -> dict[str, Any]:
    chain = read_chain(paths.stage("split"), "train")
    fill = {"params_sha256": chain, "pipeline_version": __version__}
    splits = {split: with_provenance(read_table(paths.stage("split"), split), fill) for split in SPLITS}
    takedowns = load_takedowns(paths.config_file(params.takedown))
    taken_down: dict[str, Any] = {}
    for split, table in splits.items():
        check_schema(table.schema, RECORD_SCHEMA, f"split {split}")
        splits[split], removed = apply_takedowns(table, takedowns)
        taken_down.update(removed)
    segments = read_table(paths.stage("ingest"), "segments", ["segment_id", "article_id", "title", "provenance"])
    kept = [s for t in splits.values() for s in pc.struct_field(t.column("provenance"), "segment_id").to_pylist()]
    removals = _removals(paths) + [
        {"segment_id": segment, "article_id": None, "fate": "taken_down", "reasons": [t.describe()]}
        for segment, t in sorted(taken_down.items())
    ]
    fates = assign_fates(segments.column("segment_id").to_pylist(), kept, removals)
    edits = {row["segment_id"]: row["edits"] for row in read_table(paths.stage("clean"), "edits").to_pylist()}
    ledger = ledger_table(segments, fates, edits, fill)
    provenances = segments.column("provenance").to_pylist()
    sources = dict(sorted({p["source_path"]: p["source_sha256"] for p in provenances}.items()))

    stats = {
        "version": params.version,
        "pipeline_version": __version__,
        "params_sha256": chain,
        "schema_fingerprint": schema_fingerprint(),
        **split_stats(splits),
        "ledger": fate_totals(fates),
        **ledger_stats(ledger),
        "sources_sha256": sources,
        "validation": json.loads((paths.stage("validate") / "summary.json").read_text(encoding="utf-8")),
    }
    staging = paths.release_dir.with_name(paths.release_dir.name + ".tmp")
    if staging.exists():
        shutil.rmtree(staging)
    release_checks = check_release(splits, ledger, stats, docs=staging / "validation" / "release")
    shutil.copytree(paths.stage("validate") / "docs", staging / "validation" / "rows")
    metadata = {"corpus.pipeline_version": __version__, "corpus.code_sha256": code_sha256(),
                "corpus.params_sha256": chain,
                "corpus.schema_fingerprint": stats["schema_fingerprint"],
                "corpus.sources_sha256": json.dumps(sources, sort_keys=True)}
    for split, table in splits.items():
        write_parquet_set(table.cast(RECORD_SCHEMA), staging / "data", split, params, metadata)
    write_parquet_set(ledger, staging / "ledger", "ledger", params, metadata)
    (staging / "dedup").mkdir()
    shutil.copy2(paths.stage("dedup") / INDEX_FILE, staging / "dedup" / INDEX_FILE)
    digests = data_digests(staging)
    fingerprint = fingerprint_of(digests)
    stats["fingerprint"] = fingerprint
    write_citation(staging / "CITATION.cff", params, fingerprint)
    write_croissant(staging / "croissant.json", croissant(staging, params, stats, fingerprint, digests))
    data_files = {split: f"data/{split}-*.parquet" for split in SPLITS} | {"ledger": "ledger/ledger-*.parquet"}
    (staging / "README.md").write_text(render_card(stats, params, data_files), encoding="utf-8")
    template = paths.config_file(params.datasheet_template).read_text(encoding="utf-8")
    write_plots(staging / "plots", stats, text_lengths(splits))
    (staging / "DATASHEET.md").write_text(fill_blocks(template, render_blocks(stats)), encoding="utf-8")
    _json(staging / "stats.json", stats)
    _json(staging / "validation" / "rows.json", stats["validation"])
    _json(staging / "validation" / "release.json", release_checks)
    write_checksums(staging, known=digests)

    if paths.release_dir.exists():
        shutil.rmtree(paths.release_dir)
    staging.rename(paths.release_dir)
    return {"articles": stats["articles"], **stats["splits"], **{f"ledger_{k}": v for k, v in stats["ledger"].items()},
            "fingerprint": fingerprint}
