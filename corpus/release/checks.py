"""Release-level checks with GX: unique ids, disjoint and non-empty splits, ledger conservation.

The suites are schema/expectations/release_*.json; any failure stops the build with a message naming
each failed expectation and example values. GX Data Docs of the checks go into the release.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from corpus.record import SCHEMA_DIR
from corpus.validation import GxProject, load_suite

SUITES = SCHEMA_DIR / "expectations"


class ReleaseCheckError(RuntimeError):
    """The release as a whole is not fit to publish."""


def check_release(rows: pa.Table, ledger: pa.Table, stats: dict[str, Any], docs: Path | None = None) -> dict[str, Any]:
    """rows: (id, split) of every published row; ledger: (segment_id, fate) of every ledger row."""
    frames = {
        "release_rows": rows.select(["id", "split"]).to_pandas(types_mapper=pd.ArrowDtype),
        "release_ledger": ledger.select(["segment_id", "fate"]).to_pandas(types_mapper=pd.ArrowDtype),
    }
    parameters = {"ledger_kept": stats["ledger"]["kept"], "segments": stats["ledger"]["segments"]}
    results, problems = {}, []
    with GxProject() as project:
        for name, frame in frames.items():
            report = project.validate(frame, load_suite(SUITES / f"{name}.json"), "release", parameters)
            results[name] = {
                "success": report.success,
                "failures": report.failures,
                "evaluated_expectations": report.statistics.get("evaluated_expectations"),
            }
            problems += [
                f"{name}: {f['expectation']} (unexpected {f['unexpected_count']}, "
                f"observed {f['observed_value']}, e.g. {f['examples']})"
                for f in report.failures
            ]
        if problems:
            raise ReleaseCheckError("release checks failed:\n  " + "\n  ".join(problems))
        if docs is not None:
            project.write_docs(docs)
    return results
