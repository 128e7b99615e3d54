"""Great Expectations (GX Core 1.x) over Arrow batches: suites from schema/expectations/, row-level verdicts.

Column-map expectations give per-row verdicts (`unexpected_index_list`), which decide quarantine;
table-level expectations decide whether a whole build passes.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import great_expectations as gx
import pandas as pd
import pyarrow as pa
from great_expectations.data_context.types.base import ProgressBarsConfig

logging.getLogger("great_expectations").setLevel(logging.ERROR)


@dataclass
class SuiteReport:
    """What a suite said about one frame: failing rows with reasons, and a JSON-able summary."""

    success: bool
    failed_rows: dict[int, list[str]] = field(default_factory=dict)
    failures: list[dict[str, Any]] = field(default_factory=list)
    statistics: dict[str, Any] = field(default_factory=dict)


@cache
def _batch_definition() -> Any:
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("corpus")
    return source.add_dataframe_asset("rows").add_batch_definition_whole_dataframe("whole")


def load_suite(path: Path | str) -> gx.ExpectationSuite:
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    return gx.ExpectationSuite(
        name=document["name"], expectations=document["expectations"], meta=document.get("meta") or {}
    )


def expectation_label(config: Any) -> str:
    column = config.kwargs.get("column")
    label = f"{config.type}({column})" if column else config.type
    rule = (config.meta or {}).get("rule")
    return f"{label}[{rule}]" if rule else label


def validate_frame(frame: pd.DataFrame, suite: gx.ExpectationSuite) -> SuiteReport:
    batch = _batch_definition().get_batch(batch_parameters={"dataframe": frame})
    result = batch.validate(suite, result_format={"result_format": "COMPLETE"})
    report = SuiteReport(success=bool(result.success), statistics=dict(result.statistics))
    for item in result.results:
        if item.success:
            continue
        label = expectation_label(item.expectation_config)
        indexes = item.result.get("unexpected_index_list") or []
        values = item.result.get("unexpected_list") or []
        for position, value in zip(indexes, values, strict=False):
            report.failed_rows.setdefault(int(position), []).append(f"{label}: {_short(value)}")
        report.failures.append(
            {
                "expectation": label,
                "unexpected_count": item.result.get("unexpected_count"),
                "observed_value": _short(item.result.get("observed_value")),
                "examples": [_short(v) for v in values[:5]],
            }
        )
    return report


def _short(value: Any, limit: int = 80) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return None if isinstance(value, float) and pd.isna(value) else value
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def record_frame(batch: pa.RecordBatch | pa.Table) -> pd.DataFrame:
    """The columns the row suite looks at, flattened (quality.hangul_ratio → quality_hangul_ratio)."""
    table = pa.Table.from_batches([batch]) if isinstance(batch, pa.RecordBatch) else batch
    flat = table.select(["id", "title", "text", "publisher", "published_at", "quality"]).flatten()
    frame = flat.rename_columns([name.replace(".", "_") for name in flat.column_names]).to_pandas()
    return frame.reset_index(drop=True)
