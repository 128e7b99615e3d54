"""Release-level checks with GX: unique ids, disjoint and non-empty splits, ledger conservation.

Any failure stops the build with a message naming each failed expectation and example values.
"""

from __future__ import annotations

from typing import Any

import great_expectations as gx
import pandas as pd
import pyarrow as pa

from corpus.validation import validate_frame

E = gx.expectations


class ReleaseCheckError(RuntimeError):
    """The release as a whole is not fit to publish."""


def _suites(stats: dict[str, Any], ledger_rows: int) -> dict[str, gx.ExpectationSuite]:
    ledger = stats["ledger"]
    return {
        "release_rows": gx.ExpectationSuite(name="release_rows", expectations=[
            E.ExpectColumnValuesToBeUnique(column="id", meta={"rule": "ids_unique_and_splits_disjoint"}),
            E.ExpectColumnValuesToBeInSet(column="split", value_set=["train", "validation", "test"]),
            E.ExpectColumnDistinctValuesToEqualSet(
                column="split", value_set=["train", "validation", "test"], meta={"rule": "no_empty_split"}),
            E.ExpectTableRowCountToEqual(value=ledger["kept"], meta={"rule": "rows_equal_ledger_kept"}),
        ]),
        "release_ledger": gx.ExpectationSuite(name="release_ledger", expectations=[
            E.ExpectColumnValuesToBeUnique(column="segment_id", meta={"rule": "one_ledger_row_per_segment"}),
            E.ExpectColumnValuesToMatchRegex(
                column="fate", regex=r"^(?:kept|quarantined|duplicate_of:[0-9a-f]{24}|dropped:[a-z_]+|taken_down)$"),
            E.ExpectTableRowCountToEqual(value=ledger_rows, meta={"rule": "ledger_has_every_segment"}),
        ]),
    }


def check_release(splits: dict[str, pa.Table], ledger: pa.Table, stats: dict[str, Any]) -> dict[str, Any]:
    rows = pd.DataFrame({
        "id": [i for table in splits.values() for i in table.column("id").to_pylist()],
        "split": [name for name, table in splits.items() for _ in range(table.num_rows)],
    })
    frames = {"release_rows": rows, "release_ledger": ledger.select(["segment_id", "fate"]).to_pandas()}
    suites = _suites(stats, stats["ledger"]["segments"])
    results, problems = {}, []
    for name, suite in suites.items():
        report = validate_frame(frames[name], suite)
        results[name] = {"success": report.success, "failures": report.failures,
                         "evaluated_expectations": report.statistics.get("evaluated_expectations")}
        problems += [f"{name}: {f['expectation']} (unexpected {f['unexpected_count']}, "
                     f"observed {f['observed_value']}, e.g. {f['examples']})" for f in report.failures]
    if problems:
        raise ReleaseCheckError("release checks failed:\n  " + "\n  ".join(problems))
    return results
