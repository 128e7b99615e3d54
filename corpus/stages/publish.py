"""Publish: the Hugging Face dataset folder, written aside and swapped in whole.

release/ = data/<split>-NNNNN-of-NNNNN.parquet, ledger/, dedup/ (the MinHash index), README.md (card),
DATASHEET.md, stats.json, validation/, checksums.sha256. The data, ledger and index files are cut along units
and written in parallel, each group's files reused from the cache when its units did not change
(corpus.release.parquet_set); the stats and checks then read them back without their text. A release-level
check (unique ids, disjoint non-empty splits, ledger conservation) must pass before the folder replaces the
previous one.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from corpus import __version__
from corpus.dedup import INDEX_COMPRESSION, INDEX_STEM, MINHASH_KEY
from corpus.params import PublishParams
from corpus.plumbing.cache import cached, job_key, package_source_sha256
from corpus.plumbing.digests import file_sha256
from corpus.plumbing.executors import current_executor
from corpus.plumbing.executors.warm import WarmProcess, warm_helper
from corpus.plumbing.progress import progress
from corpus.plumbing.shards import (
    aligned,
    open_parquet,
    read_batches,
    read_chain,
    read_table,
    read_unit_key,
    shard_paths,
    shard_rows,
    unit_names,
)
from corpus.record import LEDGER_SCHEMA, RECORD_SCHEMA, REMOVAL_SCHEMA, SCHEMA_DIR, SPLITS, schema_fingerprint
from corpus.release.card import empty_splits, fill_blocks, render_blocks
from corpus.release.citation import data_digests, fingerprint_of, write_citation
from corpus.release.ledger import FATE_GROUPS, ConservationError, FateBook, ledger_rows
from corpus.release.marker import check_replaceable, write_marker
from corpus.release.parquet_set import ParquetSetWriter, name_set, plan_groups, read_sources
from corpus.release.partitions import LEDGER_KEYS_SCHEMA, ROWS_SCHEMA, Partitions
from corpus.release.stats import ColumnMap, LedgerStats, SplitStats, write_json
from corpus.release.takedown import Takedown, apply_takedowns, load_takedowns
from corpus.stages import StagePaths
from corpus.stages.offsets import offset_of, read_offsets, shifted

CHECKSUMS = "checksums.sha256"
SPLIT_STATS_COLUMNS = ["id", *SplitStats.COLUMNS]
SOURCES_SCHEMA = pa.schema([("path", pa.string()), ("sha256", pa.string())])


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
        digest = known.get(name) or file_sha256(path)
        lines.append(f"{digest}  {name}\n")
    manifest = "".join(lines)
    (folder / CHECKSUMS).write_text(manifest, encoding="utf-8")
    return hashlib.sha256(manifest.encode()).hexdigest()


@dataclass(frozen=True)
class GroupJob:
    """One release file group: the rows of a split, the ledger or the MinHash index, of consecutive units."""

    kind: str  # a split, "ledger" or "index"
    units: tuple[str, ...]
    keys: tuple[str, ...]  # the split stage's keys of these units: everything upstream of their rows
    paths: StagePaths
    output: Path  # staging/data, staging/ledger or staging/dedup
    params: PublishParams
    takedowns: list[Takedown]
    fill: dict[str, str]
    metadata: dict[str, str]  # footer metadata every file shares

    @property
    def stem(self) -> str:
        return f"{self.kind}-{self.units[0]}"


def publish_group(job: GroupJob) -> dict[str, Any]:
    """Write one group's files (`<kind>-<first unit>-NNNNN.parquet`), or take them from the cache."""
    writes = {"compression": job.params.compression, "row_group_rows": job.params.row_group_rows,
              "rows_per_shard": job.params.rows_per_shard}
    takedowns = [(t.key, t.describe()) for t in job.takedowns]
    settings = json.dumps([writes, job.metadata, job.fill, takedowns], sort_keys=True)
    key = job_key("publish", job.kind, settings, *job.keys)
    produce = {"ledger": _write_ledger_group, "index": _write_index_group}.get(job.kind, _write_data_group)
    return cached("publish", key, job.paths.cache, job.output, [job.units[0]], lambda: produce(job))


def _write_data_group(job: GroupJob) -> tuple[list[Path], dict[str, Any]]:
    split = job.paths.stage("split")
    with ParquetSetWriter(job.output, job.stem, RECORD_SCHEMA, job.params, job.metadata) as writer:
        for name in (f"{job.kind}-{unit}" for unit in job.units):
            for batch in read_batches(split, name, expect=RECORD_SCHEMA):
                rows, _ = apply_takedowns(with_provenance(pa.Table.from_batches([batch]), job.fill), job.takedowns)
                writer.write(rows)
    return writer.paths, {}


def _write_ledger_group(job: GroupJob) -> tuple[list[Path], dict[str, Any]]:
    pieces = [ledger_unit(LedgerJob(unit, job.paths, job.takedowns, job.fill)) for unit in job.units]
    ledger = pa.concat_tables(piece.ledger for piece in pieces)
    totals = sum((Counter(piece.totals) for piece in pieces), Counter())
    with ParquetSetWriter(job.output, job.stem, LEDGER_SCHEMA, job.params, job.metadata) as writer:
        writer.write(ledger)
    return writer.paths, {"totals": dict(totals)}


def _write_index_group(job: GroupJob) -> tuple[list[Path], dict[str, Any]]:
    dedup = job.paths.stage("dedup")
    with open_parquet(shard_paths(dedup, f"index-{job.units[0]}")[0]) as first:
        schema = first.schema_arrow
    metadata = job.metadata | {MINHASH_KEY: schema.metadata[MINHASH_KEY.encode()].decode()}
    with ParquetSetWriter(job.output, job.stem, schema, job.params, metadata, INDEX_COMPRESSION) as writer:
        for unit in job.units:
            for batch in read_batches(dedup, f"index-{unit}"):
                writer.write(pa.Table.from_batches([batch]))
    return writer.paths, {}


KINDS = {**{split: ("data", split) for split in SPLITS}, "ledger": ("ledger", "ledger"),
         "index": ("dedup", INDEX_STEM)}  # group kind → (release folder, file stem)


def group_jobs(
    paths: StagePaths, staging: Path, params: PublishParams, takedowns: list[Takedown], fill: dict[str, str],
    metadata: dict[str, str],
) -> list[GroupJob]:
    """The release's file groups: each split's, the ledger's and the MinHash index's, each cut along units
    (plan_groups)."""
    units = unit_names(paths.stage("ingest"), "segments")
    split = paths.stage("split")
    keys = [read_unit_key(split, f"{SPLITS[0]}-{unit}") for unit in units]
    rows = {kind: [shard_rows(split, f"{kind}-{unit}") for unit in units] for kind in SPLITS}
    rows["ledger"] = [shard_rows(paths.stage("ingest"), f"segments-{unit}") for unit in units]
    rows["index"] = [shard_rows(paths.stage("dedup"), f"index-{unit}") for unit in units]
    return [
        GroupJob(kind, tuple(units[i] for i in group), tuple(keys[i] for i in group), paths,
                 staging / KINDS[kind][0], params, takedowns, fill, metadata)
        for kind in KINDS
        for group in plan_groups(rows[kind], keys, params.rows_per_shard)
    ]


def publish_files(jobs: list[GroupJob]) -> tuple[dict[str, list[str]], dict[str, int]]:
    """Every group written (in parallel) or reused, then each set named `<kind>-NNNNN-of-NNNNN.parquet`:
    the file names of each kind, and the ledger's fate totals."""
    for folder in {job.output for job in jobs}:
        folder.mkdir(parents=True, exist_ok=True)
    totals: Counter[str] = Counter()
    for result in progress(current_executor().map(publish_group, jobs), total=len(jobs), unit="file group",
                           desc="publish"):
        totals.update(result.get("totals", {}))
    names = {}
    for kind, (_, stem) in KINDS.items():
        files = [path for job in jobs if job.kind == kind for path in shard_paths(job.output, job.stem)]
        names[kind] = name_set(files, stem)
    return names, dict(totals)


def release_tables(folder: Path, names: list[str], columns: list[str]) -> Iterator[pa.Table]:
    for name in names:
        yield pq.read_table(folder / name, columns=columns)


def split_summary(data: Path, names: dict[str, list[str]], scratch: Path) -> tuple[SplitStats, Partitions]:
    """The composition of the written splits, and (id, split) of every published row in hash partitions; read
    back from the files (written now or reused), without their text."""
    stats = SplitStats()
    published = Partitions(scratch / "rows", ROWS_SCHEMA, "id", _rows_in(data, [names[s] for s in SPLITS]))
    for split in SPLITS:
        stats.splits.setdefault(split, 0)
        for rows in release_tables(data, names[split], SPLIT_STATS_COLUMNS):
            stats.add(split, rows)
            published.add(pa.table({"id": rows.column("id"), "split": pa.array([split] * rows.num_rows)}))
    return stats, published


def ledger_summary(folder: Path, names: list[str], scratch: Path) -> tuple[LedgerStats, Partitions]:
    """The ledger's stats and (segment_id, fate) of every row in hash partitions, read back from its files."""
    stats = LedgerStats()
    fates = Partitions(scratch / "ledger", LEDGER_KEYS_SCHEMA, "segment_id", _rows_in(folder, [names]))
    for rows in release_tables(folder, names, list(LedgerStats.COLUMNS)):
        stats.add(rows)
        fates.add(rows)
    return stats, fates


def _rows_in(folder: Path, name_lists: Iterable[list[str]]) -> int:
    return sum(pq.read_metadata(folder / name).num_rows for names in name_lists for name in names)


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
    removals = [row for name in ("clean", "validate", "dedup", "decontaminate")
                for row in read_table(stage(name), f"removed-{unit}").cast(REMOVAL_SCHEMA).to_pylist()]
    flagged = read_table(stage("decontaminate"), f"flagged-{unit}").cast(REMOVAL_SCHEMA).to_pylist()
    removals += [{"segment_id": segment, "article_id": None, "fate": "taken_down", "reasons": [t.describe()]}
                 for segment, t in sorted(taken_down.items())]
    book, pieces = FateBook(published, removals, flagged), []
    offset = offset_of(read_offsets(stage("ingest")), unit)
    segments = (shifted(batch, offset) for batch in
                read_batches(stage("ingest"), f"segments-{unit}", ["segment_id", "article_id", "title", "provenance"]))
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


def main(paths: StagePaths, params: PublishParams) -> dict[str, Any]:
    # GX (the row Data Docs, the release checks) and the libraries of the card and plots are slow to import:
    # helper processes load them, and GX's renders the row docs, while the data files are written.
    with tempfile.TemporaryDirectory(prefix="corpus-release-keys-") as scratch, \
            warm_helper("corpus.validation") as checker, warm_helper("corpus.release.documents") as writer:
        return _publish(paths, params, Path(scratch), checker, writer)


def _publish(paths: StagePaths, params: PublishParams, scratch: Path, checker: WarmProcess, writer: WarmProcess
             ) -> dict[str, Any]:
    chain = read_chain(paths.stage("split"), "train")
    fill = {"params_sha256": chain, "pipeline_version": __version__}
    check_replaceable(paths.release_dir, "release")
    staging = paths.release_dir.with_name(paths.release_dir.name + ".tmp")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    (staging / "validation").mkdir()
    row_results = [path.read_text(encoding="utf-8") for path in sorted(paths.stage("validate").glob("gx-*.json"))]
    checker.submit("corpus.release.checks:write_row_docs", row_results, staging / "validation" / "rows")
    metadata = {
        "corpus.pipeline_version": __version__,
        "corpus.code_sha256": package_source_sha256(),
        "corpus.params_sha256": chain,
        "corpus.schema_fingerprint": schema_fingerprint(),
    }
    takedowns = load_takedowns(paths.config_file(params.takedown))
    names, totals = publish_files(group_jobs(paths, staging, params, takedowns, fill, metadata))
    sources = ledger_sources(staging / "ledger", names["ledger"])
    split_stats, published = split_summary(staging / "data", names, scratch)
    ledger_stats, ledger_fates = ledger_summary(staging / "ledger", names["ledger"], scratch)
    stats = {
        "version": params.version,
        "pipeline_version": __version__,
        "params_sha256": chain,
        "schema_fingerprint": metadata["corpus.schema_fingerprint"],
        **split_stats.result(),
        "ledger": {"segments": totals.get("segments", 0), **{k: totals.get(k, 0) for k in FATE_GROUPS},
                   "published": totals.get("published", 0)},
        **ledger_stats.result(),
        "sources_sha256": sources,
        "validation": json.loads((paths.stage("validate") / "summary.json").read_text(encoding="utf-8")),
        "contamination": json.loads((paths.stage("decontaminate") / "summary.json").read_text(encoding="utf-8")),
        "balance": split_stats.balance(params.max_split_divergence, params.balance_min_articles,
                                       params.balance_gate),
    }
    stats["empty_splits"] = empty_splits(stats)
    stats["sizes"] = {kind: parquet_sizes(staging / KINDS[kind][0], names[kind]) for kind in (*SPLITS, "ledger")}
    checker.submit("corpus.release.checks:check_release", published.close(), ledger_fates.close(),
                   split_stats.splits, stats, docs=staging / "validation" / "release")
    digests = data_digests(staging)
    fingerprint = fingerprint_of(digests)
    stats["fingerprint"] = fingerprint
    data_files = {split: f"data/{split}-*.parquet" for split in SPLITS} | {"ledger": "ledger/ledger-*.parquet"}
    writer.submit("write_documents", staging, params, stats, digests, data_files, split_stats.length_counts)
    write_citation(staging / "CITATION.cff", params, fingerprint)
    template = paths.config_file(params.datasheet_template).read_text(encoding="utf-8")
    ship_schema(staging / "schema")
    (staging / "DATASHEET.md").write_text(fill_blocks(template, render_blocks(stats)), encoding="utf-8")
    write_json(staging / "stats.json", stats)
    write_json(staging / "validation" / "rows.json", stats["validation"])
    writer.result()
    checker.result()  # the row docs
    checks = checker.result()
    for warning in check_warnings(checks, stats["empty_splits"]):
        print(f"publish: warning: {warning}", file=sys.stderr)
    write_json(staging / "validation" / "release.json", checks)
    write_marker(staging)
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


SHIPPED_SCHEMA = ("README.md", "record.schema.json", "ledger.schema.json")


def ship_schema(folder: Path) -> None:
    """The field docs and contracts the card points at, into the release (the card is read without the repo)."""
    folder.mkdir()
    for name in SHIPPED_SCHEMA:
        shutil.copyfile(SCHEMA_DIR / name, folder / name)


def parquet_sizes(folder: Path, names: list[str]) -> dict[str, int]:
    """A file set's bytes: uncompressed (`num_bytes`, the data's size near enough as Arrow holds it) and on disk."""
    uncompressed = stored = 0
    for name in names:
        metadata = pq.read_metadata(folder / name)
        uncompressed += sum(metadata.row_group(i).total_byte_size for i in range(metadata.num_row_groups))
        stored += (folder / name).stat().st_size
    return {"num_bytes": uncompressed, "download_size": stored}


def check_warnings(results: dict[str, dict[str, Any]], empty: list[str]) -> list[str]:
    """One line per warning of the release checks; an empty split named (it is left out of the card's configs)."""
    lines = [f"{name}: {w['expectation']} ({w['unexpected_count']} rows)"
             for name, result in sorted(results.items()) for w in result.get("warnings", [])
             if "[no_empty_split]" not in w["expectation"]]
    if empty:
        lines.insert(0, f"no articles in {', '.join(empty)} (no_empty_split): left out of the card's configs")
    return lines


def ledger_sources(folder: Path, names: list[str]) -> ColumnMap:
    """Raw file path → sha256, for every file ingest read: the union of the ledger files' footers (the ledger
    has a row for every segment ingest cut, error rows included)."""
    pieces = [SOURCES_SCHEMA.empty_table()]
    for name in names:
        found = read_sources(folder / name)
        pieces.append(pa.table([list(found), list(found.values())], schema=SOURCES_SCHEMA))
    return ColumnMap(pa.concat_tables(pieces).group_by(["path", "sha256"]).aggregate([]), "path", "sha256")
