"""Release-level checks with GX: unique ids, disjoint and non-empty splits, ledger conservation.

The suites are schema/expectations/release_*.json; any failure stops the build with a message naming
each failed expectation and example values. GX Data Docs of the checks go into the release.

The keys are checked in hash partitions so that memory stays bounded as the corpus grows: published
(id, split) and ledger (segment_id, fate) rows are spilled to Arrow files by the first two hex digits of
their key (up to 256 partitions of ~PARTITION_ROWS rows: bounded up to ~64M rows), and each partition is
validated on its own. Equal keys always share a partition, so uniqueness within every partition is
uniqueness overall; the counts are checked once, on a small totals frame.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.ipc as ipc

from corpus.record import SCHEMA_DIR
from corpus.validation import GxProject, SuiteReport, load_suite

SUITES = SCHEMA_DIR / "expectations"
PARTITION_ROWS = 250_000  # rows a partition holds on average: what one GX run has in memory
PREFIXES = pa.array([f"{value:02x}" for value in range(256)])  # a key's first two hex digits
ROWS_SCHEMA = pa.schema([("id", pa.string()), ("split", pa.string())])
LEDGER_KEYS_SCHEMA = pa.schema([("segment_id", pa.string()), ("fate", pa.string())])


class ReleaseCheckError(RuntimeError):
    """The release as a whole is not fit to publish."""


class Partitions:
    """Tables (of `schema`'s columns) spilled to Arrow files in `folder` by the first two hex digits of their
    `key` column, in ranges (keys that do not start with two go to the first partition), about PARTITION_ROWS
    rows a partition for `expected_rows`."""

    def __init__(self, folder: Path, schema: pa.Schema, key: str, expected_rows: int) -> None:
        self.folder, self.schema, self.key, self.rows = folder, schema, key, 0
        self.count = min(len(PREFIXES), max(1, math.ceil(expected_rows / PARTITION_ROWS)))
        self._writers: dict[int, ipc.RecordBatchFileWriter] = {}
        folder.mkdir(parents=True, exist_ok=True)

    def add(self, table: pa.Table) -> None:
        table = table.select(self.schema.names).cast(self.schema)
        self.rows += table.num_rows
        prefix = pc.index_in(pc.utf8_slice_codeunits(table.column(self.key), 0, 2), value_set=PREFIXES)
        part = pc.fill_null(prefix, 0).to_numpy(zero_copy_only=False).astype(np.int64) * self.count // len(PREFIXES)
        order = np.argsort(part, kind="stable")  # rows keep their order within a partition
        table, part = table.take(pa.array(order)), part[order]
        bounds = np.searchsorted(part, np.arange(self.count + 1))
        for number in np.flatnonzero(np.diff(bounds)).tolist():
            rows = table.slice(bounds[number], bounds[number + 1] - bounds[number])
            if number not in self._writers:
                self._writers[number] = ipc.new_file(self.folder / f"part-{number:03d}.arrow", rows.schema)
            self._writers[number].write_table(rows)

    def tables(self) -> Iterator[pa.Table]:
        """Each non-empty partition, read back whole (after the last `add`); one empty table if none."""
        for writer in self._writers.values():
            writer.close()
        if not self._writers:
            yield self.schema.empty_table()
        for number in sorted(self._writers):
            with pa.memory_map(str(self.folder / f"part-{number:03d}.arrow")) as source:
                yield ipc.open_file(source).read_all()


def check_release(
    rows: Partitions, ledger: Partitions, split_rows: dict[str, int], stats: dict[str, Any], docs: Path | None = None
) -> dict[str, Any]:
    """rows: (id, split) of every published row; ledger: (segment_id, fate) of every ledger row; split_rows:
    the rows of each split."""
    totals = pd.DataFrame({
        "table": [*split_rows, "published", "ledger"],
        "rows": [*split_rows.values(), rows.rows, ledger.rows],
        "expected": [None] * len(split_rows) + [stats["ledger"]["kept"], stats["ledger"]["segments"]],
    }).astype({"expected": "Int64"})
    results: dict[str, dict[str, Any]] = {}
    with GxProject() as project:
        for name, partitions in (("release_rows", rows), ("release_ledger", ledger)):
            suite = load_suite(SUITES / f"{name}.json")
            for number, table in enumerate(partitions.tables()):
                frame = table.to_pandas(types_mapper=pd.ArrowDtype)
                _tally(results, name, project.validate(frame, suite, f"release-{number:02d}"))
                del frame, table
        _tally(results, "release_totals", project.validate(totals, load_suite(SUITES / "release_totals.json"),
                                                            "release"))
        problems = [
            f"{name}: {f['expectation']} (unexpected {f['unexpected_count']}, observed {f['observed_value']}, "
            f"e.g. {f['examples']})"
            for name, result in results.items() for f in result["failures"]
        ]
        if problems:
            raise ReleaseCheckError("release checks failed:\n  " + "\n  ".join(problems))
        if docs is not None:
            project.write_docs(docs)
    return results


def _tally(results: dict[str, dict[str, Any]], name: str, report: SuiteReport) -> None:
    result = results.setdefault(name, {"success": True, "failures": [], "evaluated_expectations": 0})
    result["success"] = result["success"] and report.success
    result["failures"] += report.failures
    result["evaluated_expectations"] += report.statistics.get("evaluated_expectations") or 0
