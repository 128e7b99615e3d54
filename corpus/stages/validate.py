"""Validate: the GX row suite on every record batch; failing rows go to quarantine with their reasons."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from corpus.params import ValidateParams, chain_sha256
from corpus.record import REMOVAL_SCHEMA, WORK_SCHEMA
from corpus.shards import ShardWriter, fresh_directory, read_batches, read_chain
from corpus.stages import StagePaths
from corpus.validation import GxProject, SuiteReport, load_suite, record_frame


@dataclass
class Tally:
    """What validation saw: row counts, failures per expectation, values behind warnings."""

    counts: Counter[str] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    warnings: dict[str, set[str]] = field(default_factory=dict)

    def add(self, report: SuiteReport, rows: int, quarantined: int) -> None:
        self.counts.update(total=rows, kept=rows - quarantined, quarantined=quarantined)
        for reasons in report.failed_rows.values():
            self.failures.update(reason.split(":")[0] for reason in reasons)
        for warning in report.warnings:
            self.warnings.setdefault(warning["expectation"], set()).update(warning["examples"])


def split_batch(batch: pa.RecordBatch, report: SuiteReport) -> tuple[pa.RecordBatch, list[dict[str, Any]]]:
    """The rows that passed, and quarantine notices for the rows that failed."""
    mask = pa.array([i not in report.failed_rows for i in range(batch.num_rows)])
    ids = batch.column("id").to_pylist()
    segment_ids = pc.struct_field(batch.column("provenance"), "segment_id").to_pylist()
    removals = [
        {"segment_id": segment_ids[i], "article_id": ids[i], "fate": "quarantined", "reasons": report.failed_rows[i]}
        for i in sorted(report.failed_rows)
    ]
    return batch.filter(mask), removals


def run(
    batches: Iterator[pa.RecordBatch], suite_path: Path, parameters: dict[str, Any], gx_project: GxProject, tally: Tally
) -> Iterator[tuple[pa.RecordBatch, list[dict[str, Any]]]]:
    suite = load_suite(suite_path)
    for index, batch in enumerate(batches):
        report = gx_project.validate(record_frame(batch), suite, f"batch-{index:05d}", parameters)
        passed, removals = split_batch(batch, report)
        tally.add(report, batch.num_rows, len(removals))
        yield passed, removals


def main(paths: StagePaths, params: ValidateParams) -> dict[str, Any]:
    source = paths.stage("clean")
    output = fresh_directory(paths.stage("validate"))
    chain = chain_sha256(read_chain(source, "records"), params)
    suite_path = paths.config_file(params.suite)
    tally = Tally()
    with (
        GxProject() as gx_project,
        ShardWriter(output, "records", WORK_SCHEMA, chain=chain) as records,
        ShardWriter(output, "removed", REMOVAL_SCHEMA, chain=chain) as removed,
    ):
        batches = read_batches(source, "records", batch_rows=params.batch_rows, expect=WORK_SCHEMA)
        for passed, removals in run(batches, suite_path, params.expectation_parameters, gx_project, tally):
            records.write(passed)
            removed.write(removals)
        gx_project.write_docs(output / "docs")
    suite = load_suite(suite_path)
    summary = {
        "suite": suite.name,
        "expectations": len(suite.expectations),
        "rows_evaluated": tally.counts["total"],
        "rows_passed": tally.counts["kept"],
        "rows_quarantined": tally.counts["quarantined"],
        "failures_by_expectation": dict(sorted(tally.failures.items())),
        "warnings": {label: sorted(values) for label, values in sorted(tally.warnings.items())},
    }
    (output / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return {**dict(sorted(tally.counts.items())), **{f"failed_{k}": v for k, v in sorted(tally.failures.items())}}
