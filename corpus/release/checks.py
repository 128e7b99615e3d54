"""Release-level checks with GX: unique ids, disjoint splits, ledger conservation, split balance; empty splits
are warned of.

The suites are schema/expectations/release_*.json; any failure stops the build with a message naming
each failed expectation and example values. GX Data Docs of the checks, and of validate's row results, go
into the release.

The keys are checked in hash partitions (corpus.release.partitions) so that memory stays bounded as the
corpus grows: each partition is validated on its own, and the counts once, on a small totals frame.
Publish runs these checks in a helper process that loaded GX while the release files were written
(corpus.plumbing.executors.warm).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from corpus.record import SCHEMA_DIR
from corpus.release.partitions import Partitions
from corpus.validation import GxProject, SuiteReport, load_suite

SUITES = SCHEMA_DIR / "expectations"


class ReleaseCheckError(RuntimeError):
    """The release as a whole is not fit to publish."""


def check_release(
    rows: Partitions, ledger: Partitions, split_rows: dict[str, int], stats: dict[str, Any], docs: Path | None = None
) -> dict[str, Any]:
    """rows: (id, split) of every published row; ledger: (segment_id, fate) of every ledger row; split_rows:
    the rows of each split. Returns each suite's result; `warnings` (e.g. an empty split) do not fail."""
    totals = pd.DataFrame({
        "table": [*split_rows, "published", "ledger"],
        "rows": [*split_rows.values(), rows.rows, ledger.rows],
        "split_rows": [*split_rows.values(), None, None],
        "expected": [None] * len(split_rows) + [stats["ledger"]["published"], stats["ledger"]["segments"]],
    }).astype({"split_rows": "Int64", "expected": "Int64"})
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
        balance = stats.get("balance", {"pairs": [], "bound": 1.0})
        pairs = pd.DataFrame({"pair": [f"{p['dimension']} {p['splits']}" for p in balance["pairs"]],
                              "excess": [p["excess"] if p["gated"] else None for p in balance["pairs"]]},
                             ).astype({"pair": "string", "excess": "Float64"})
        _tally(results, "release_balance", project.validate(pairs, load_suite(SUITES / "release_balance.json"),
                                                             "release", {"max_split_divergence": balance["bound"]}))
        problems = [
            f"{name}: {f['expectation']} (unexpected {f['unexpected_count']}, observed {f['observed_value']}, "
            f"e.g. {f['examples']})"
            for name, result in results.items() for f in result["failures"]
        ]
        if not results["release_balance"]["success"]:
            problems += [f"  split balance: {p['dimension']} {p['splits']} differ by {p['excess']} bits beyond chance "
                         f"(bound {balance['bound']})" for p in balance["pairs"] if p["gated"]
                         and p["excess"] > balance["bound"]]
        if problems:
            raise ReleaseCheckError("release checks failed:\n  " + "\n  ".join(problems))
        if docs is not None:
            project.write_docs(docs)
    return results


def write_row_docs(results: list[str], destination: Path) -> None:
    """GX Data Docs of the row suite's results (validate's, as JSON) into destination."""
    with GxProject() as project:
        for result in results:
            project.add_result(result)
        project.write_docs(destination)


def _tally(results: dict[str, dict[str, Any]], name: str, report: SuiteReport) -> None:
    result = results.setdefault(name, {"success": True, "failures": [], "warnings": [], "evaluated_expectations": 0})
    result["success"] = result["success"] and report.success
    result["failures"] += report.failures
    result["warnings"] += report.warnings
    result["evaluated_expectations"] += report.statistics.get("evaluated_expectations") or 0

