"""Validate: the GX row suite on every record; failing rows go to quarantine with their reasons.

Units are validated in groups (a GX run costs ~0.2 s whatever its size, so a run covers up to `batch_rows`
rows across units). Group ends depend only on the units' own content keys and sizes, so a group keeps its
cache key when units elsewhere change (plan_groups). Each group runs in an in-memory GX context on the
executor and returns GX's result as JSON (`gx-<unit>-NNNNN.json`, kept in the stage folder). Publish renders
the Data Docs of these results into the release, in the process where it runs the release checks.

GX (~1.3 s to import) is imported where a group is validated, not with this module. Under `corpus run` a
helper process has been importing it since the run began: the groups are validated there, several on a pool
forked from it, so the run's own process never imports GX (before, a corpus of two groups or more, anything
past ~20k articles, imported it in the run's process on the way: ~1.4 s).
"""

from __future__ import annotations

import hashlib
import importlib
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc

from corpus.params import ValidateParams, chain_sha256
from corpus.plumbing.cache import ResultCache, job_key
from corpus.plumbing.executors import current_executor, executor_name
from corpus.plumbing.executors.local import worker_count
from corpus.plumbing.executors.warm import prestarted_helper
from corpus.plumbing.progress import progress
from corpus.plumbing.shards import (
    ShardWriter,
    fresh_directory,
    read_batches,
    read_chain,
    read_unit_key,
    shard_rows,
    unit_names,
)
from corpus.plumbing.storage import AnyPath, is_local
from corpus.record import REMOVAL_SCHEMA, WORK_SCHEMA
from corpus.stages import StagePaths, counted_total

if TYPE_CHECKING:
    from corpus.validation import SuiteReport

GX_MODULE = "corpus.validation"

GROUP_EVERY = 16  # a group of units ends after a unit whose key hashes to 0 modulo this…
HALF_FULL_EVERY = 4  # …or modulo this once it holds half of batch_rows (see plan_groups)


@dataclass
class Tally:
    """What validation saw: row counts, failures per expectation, values behind warnings."""

    counts: Counter[str] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    warnings: dict[str, set[str]] = field(default_factory=dict)

    def add(self, report: SuiteReport, rows: int) -> None:
        quarantined = len(report.failed_rows)
        self.counts.update(total=rows, kept=rows - quarantined, quarantined=quarantined)
        for reasons in report.failed_rows.values():
            self.failures.update(reason.split(":")[0] for reason in reasons)
        for warning in report.warnings:
            self.warnings.setdefault(warning["expectation"], set()).update(warning["examples"])

    def to_json(self) -> dict[str, Any]:
        return {"counts": dict(self.counts), "failures": dict(self.failures),
                "warnings": {label: sorted(values) for label, values in self.warnings.items()}}

    def merge(self, stored: dict[str, Any]) -> None:
        self.counts.update(stored["counts"])
        self.failures.update(stored["failures"])
        for label, values in stored["warnings"].items():
            self.warnings.setdefault(label, set()).update(values)


def split_batch(
    batch: pa.RecordBatch, failed_rows: dict[int, list[str]]
) -> tuple[pa.RecordBatch, list[dict[str, Any]]]:
    """The rows that passed, and quarantine notices for the rows that failed (by position in the batch)."""
    mask = pa.array([i not in failed_rows for i in range(batch.num_rows)])
    ids = batch.column("id").to_pylist()
    segment_ids = pc.struct_field(batch.column("provenance"), "segment_id").to_pylist()
    removals = [
        {"segment_id": segment_ids[i], "article_id": ids[i], "fate": "quarantined", "reasons": failed_rows[i]}
        for i in sorted(failed_rows)
    ]
    return batch.filter(mask), removals


def plan_groups(rows: Sequence[int], keys: Sequence[str], batch_rows: int) -> list[list[int]]:
    """Unit indexes grouped for GX runs, like content-defined chunks, from each unit's row count and (hex) key.

    A group closes after a unit whose key is a boundary (0 modulo GROUP_EVERY; or modulo HALF_FULL_EVERY once
    it holds half of batch_rows), and before a unit that would take it past batch_rows, so it is one GX run
    (unless a unit alone is larger). A new unit then changes its own group only, unless it moves a cut made
    for size, which the looser boundary past half makes rare."""
    groups: list[list[int]] = []
    group: list[int] = []
    held = 0
    for index, (count, key) in enumerate(zip(rows, keys, strict=True)):
        if group and held + count > batch_rows:
            groups.append(group)
            group, held = [], 0
        group.append(index)
        held += count
        boundary = int(key[:8], 16)
        if boundary % GROUP_EVERY == 0 or (held >= batch_rows // 2 and boundary % HALF_FULL_EVERY == 0):
            groups.append(group)
            group, held = [], 0
    if group:
        groups.append(group)
    return groups


def group_units(source: AnyPath, units: list[str], batch_rows: int) -> list[tuple[tuple[str, str], ...]]:
    """Consecutive (unit, unit key) pairs, grouped by plan_groups."""
    keys = [read_unit_key(source, f"records-{unit}") for unit in units]
    rows = [shard_rows(source, f"records-{unit}") for unit in units]
    return [tuple((units[i], keys[i]) for i in group) for group in plan_groups(rows, keys, batch_rows)]


@dataclass(frozen=True)
class ValidateJob:
    units: tuple[str, ...]
    unit_keys: tuple[str, ...]  # the keys clean's shards of those units carry
    source: AnyPath  # clean's folder
    output: AnyPath
    suite: Path
    params: ValidateParams
    chain: str
    cache: str | None


READ_ROWS = 2_000  # rows (with their text) in memory at a time; a GX run sees only their row_columns


def _batches(job: ValidateJob, units: Iterable[str], columns: list[str] | None = None
             ) -> Iterator[tuple[str, pa.RecordBatch]]:
    """(unit, batch) of READ_ROWS rows; the same cuts for any `columns`, since they follow the files' rows."""
    for unit in units:
        for batch in read_batches(job.source, f"records-{unit}", columns, READ_ROWS, expect=WORK_SCHEMA):
            yield unit, batch


def _runs(job: ValidateJob) -> Iterator[list[tuple[str, pa.Table]]]:
    """(unit, row_columns) of the job's batches, cut into runs of at most batch_rows rows (whole batches)."""
    from corpus.validation import ROW_INPUTS, row_columns

    run: list[tuple[str, pa.Table]] = []
    rows = 0
    for unit, batch in _batches(job, job.units, ROW_INPUTS):
        if run and rows + batch.num_rows > job.params.batch_rows:
            yield run
            run, rows = [], 0
        run.append((unit, row_columns(batch)))
        rows += batch.num_rows
    if run:
        yield run


UNIT_ENTRIES = "validate-units"  # the cache's stage folder for each unit's own files


def validate_units(job: ValidateJob) -> dict[str, Any]:
    """Validate a group of units: `records-<unit>` (passed), `removed-<unit>` (quarantined) and GX's results
    `gx-<first unit>-NNNNN.json`; or take them from the cache. Returns the group's tally.

    Every expectation of the row suite is row-local, so a unit's output depends on its own rows only, not on
    the units it is validated with: each unit's files are cached under the unit's own key, the group's GX
    results and tally under the group's. When a new unit joins a group, GX runs on the whole group again (its
    results are one document), but the other units' files are taken from the cache, not written again."""
    suite_sha = hashlib.sha256(job.suite.read_bytes()).hexdigest()
    key = job_key("validate", job.chain, suite_sha, *job.unit_keys)
    unit_keys = {unit: job_key("validate", job.chain, suite_sha, input_key)
                 for unit, input_key in zip(job.units, job.unit_keys, strict=True)}
    cache = ResultCache(job.cache)
    reused = {unit for unit, unit_key in unit_keys.items()
              if cache.fetch(UNIT_ENTRIES, unit_key, job.output, [unit]) is not None}
    if len(reused) == len(job.units):
        stored = cache.fetch("validate", key, job.output, [job.units[0]])
        if stored is not None:
            return stored
    written, results, tally = _validate_units(job, key, unit_keys, reused)
    for unit, files in written.items():
        cache.store(UNIT_ENTRIES, unit_keys[unit], files, [unit], {})
    cache.store("validate", key, results, [job.units[0]], tally)
    return tally


def _validate_units(
    job: ValidateJob, key: str, unit_keys: dict[str, str], reused: set[str]
) -> tuple[dict[str, list[AnyPath]], list[AnyPath], dict[str, Any]]:
    """GX over the group's rows; the files of the units not in `reused` written. Returns those units' files,
    the GX result files and the tally."""
    from corpus.validation import GxProject, load_suite, record_frame

    suite, tally, results = load_suite(job.suite), Tally(), []
    fresh = [unit for unit in job.units if unit not in reused]
    writers = {
        (kind, unit): ShardWriter(job.output, f"{kind}-{unit}", schema, chain=job.chain, unit_key=unit_keys[unit])
        for unit in fresh for kind, schema in (("records", WORK_SCHEMA), ("removed", REMOVAL_SCHEMA))
    }
    # The fresh units' batches are read twice, in the same order: once for the GX runs (only the columns they
    # look at), once whole to write the rows that passed — so a run's text is never in memory whole.
    whole = _batches(job, fresh)
    with GxProject(mode="ephemeral") as gx_project:
        for number, run in enumerate(_runs(job)):
            frame = record_frame([columns for _, columns in run])
            run_name = f"rows-{_content_key(frame['id'])}"  # by its rows, so the docs follow the data, not units
            report = gx_project.validate(frame, suite, run_name, job.params.expectation_parameters)
            tally.add(report, len(frame))
            offset = 0
            for unit, columns in run:
                if unit not in reused:
                    _, batch = next(whole)
                    failed = {i - offset: reasons for i, reasons in report.failed_rows.items()
                              if offset <= i < offset + batch.num_rows}
                    passed, removals = split_batch(batch, failed)
                    writers["records", unit].write(passed)
                    writers["removed", unit].write(removals)
                offset += columns.num_rows
            result_file = job.output / f"gx-{job.units[0]}-{number:05d}.json"
            result_file.write_text(report.result_json, encoding="utf-8")
            results.append(result_file)
    written: dict[str, list[AnyPath]] = {unit: [] for unit in fresh}
    for (_, unit), writer in writers.items():
        written[unit] += writer.close()
    return written, results, tally.to_json()


def _content_key(ids: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(map(str, ids)).encode("utf-8")).hexdigest()[:16]  # a null id is still a row


def main(paths: StagePaths, params: ValidateParams) -> dict[str, Any]:
    source = paths.stage("clean")
    output = fresh_directory(paths.stage("validate"))
    chain = chain_sha256(read_chain(source, "records"), params)
    suite_path = paths.config_file(params.suite)
    groups = group_units(source, unit_names(source, "records"), params.batch_rows)
    jobs = (ValidateJob(tuple(u for u, _ in group), tuple(k for _, k in group), source, output, suite_path, params,
                        chain, paths.cache) for group in groups)
    tally = Tally()
    validated = _validated(jobs, is_local(output))
    for stored in progress(validated, total=len(groups), unit="group", desc="validate", articles=counted_total):
        tally.merge(stored)
    suite = json.loads(suite_path.read_text(encoding="utf-8"))
    summary = {
        "suite": suite["name"],
        "expectations": len(suite["expectations"]),
        "rows_evaluated": tally.counts["total"],
        "rows_passed": tally.counts["kept"],
        "rows_quarantined": tally.counts["quarantined"],
        "failures_by_expectation": dict(sorted(tally.failures.items())),
        "warnings": {label: sorted(values) for label, values in sorted(tally.warnings.items())},
    }
    (output / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return {**dict(sorted(tally.counts.items())), **{f"failed_{k}": v for k, v in sorted(tally.failures.items())}}


def _validated(jobs: Iterator[ValidateJob], local_output: bool) -> Iterator[dict[str, Any]]:
    """Each group's tally: in the helper that has GX loaded, if `corpus run` started one and the stage writes
    to local files (an fsspec memory:// folder is this process's own), on a pool forked from it when there
    are several groups; else on the executor (its forked workers share the GX this process imports first)."""
    helper = prestarted_helper(GX_MODULE)
    if helper is not None and not helper.in_process and local_output and executor_name() == "local":
        yield from helper.map(f"{__name__}:validate_units", jobs, worker_count())
        return
    if executor_name() == "local":
        importlib.import_module(GX_MODULE)
    yield from current_executor().map(validate_units, jobs)
