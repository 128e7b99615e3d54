"""Validate: the GX row suite on every record batch; failing rows go to quarantine with their reasons."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from corpus.params import ValidateParams, chain_sha256
from corpus.record import REMOVAL_SCHEMA, WORK_SCHEMA
from corpus.shards import ShardWriter, fresh_directory, read_chain, shard_paths
from corpus.stages import StagePaths
from corpus.validation import SuiteReport, load_suite, record_frame, validate_frame


def batches_of(directory: Path, name: str, rows: int) -> Iterator[pa.RecordBatch]:
    for path in shard_paths(directory, name):
        with pq.ParquetFile(path) as parquet:
            yield from parquet.iter_batches(batch_size=rows)


def split_batch(batch: pa.RecordBatch, report: SuiteReport) -> tuple[pa.RecordBatch, list[dict[str, Any]]]:
    """The rows that passed, and quarantine notices for the rows that failed."""
    failed = sorted(report.failed_rows)
    mask = pa.array([i not in report.failed_rows for i in range(batch.num_rows)])
    ids = batch.column("id").to_pylist()
    segment_ids = pc.struct_field(batch.column("provenance"), "segment_id").to_pylist()
    removals = [
        {"segment_id": segment_ids[i], "article_id": ids[i], "fate": "quarantined", "reasons": report.failed_rows[i]}
        for i in failed
    ]
    return batch.filter(mask), removals


def run(
    batches: Iterator[pa.RecordBatch], suite_path: Path, counts: Counter[str], failures: Counter[str]
) -> Iterator[tuple[pa.RecordBatch, list[dict[str, Any]]]]:
    suite = load_suite(suite_path)
    for batch in batches:
        report = validate_frame(record_frame(batch), suite)
        passed, removals = split_batch(batch, report)
        counts["total"] += batch.num_rows
        counts["kept"] += passed.num_rows
        counts["quarantined"] += len(removals)
        for reasons in report.failed_rows.values():
            failures.update(reason.split(":")[0] for reason in reasons)
        yield passed, removals


def main(paths: StagePaths, params: ValidateParams) -> dict[str, Any]:
    source = paths.stage("clean")
    output = fresh_directory(paths.stage("validate"))
    chain = chain_sha256(read_chain(source, "records"), params)
    counts: Counter[str] = Counter()
    failures: Counter[str] = Counter()
    suite_path = paths.config_file(params.suite)
    with (
        ShardWriter(output, "records", WORK_SCHEMA, chain=chain) as records,
        ShardWriter(output, "removed", REMOVAL_SCHEMA, chain=chain) as removed,
    ):
        for passed, removals in run(batches_of(source, "records", params.batch_rows), suite_path, counts, failures):
            records.write(passed)
            removed.write(removals)
    summary = {
        "suite": load_suite(suite_path).name,
        "expectations": len(load_suite(suite_path).expectations),
        "rows_evaluated": counts["total"],
        "rows_passed": counts["kept"],
        "rows_quarantined": counts["quarantined"],
        "failures_by_expectation": dict(sorted(failures.items())),
    }
    (output / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return {**dict(sorted(counts.items())), **{f"failed_{k}": v for k, v in sorted(failures.items())}}
