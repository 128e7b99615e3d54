"""Great Expectations (GX Core 1.x) over Arrow batches: suites from schema/expectations/, row verdicts, Data Docs.

Column-map expectations give per-row verdicts (`unexpected_index_list`), which decide quarantine;
table-level expectations decide whether a whole build passes. Runs go through a throwaway file-mode GX
project so that GX renders its own HTML Data Docs, which are then made reproducible (fixed run time,
no random ids, no tracking query strings) and copied into the build.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from corpus.plumbing.deferred import defer

defer("altair", "scipy.stats")  # GX imports them for its KL-divergence expectation alone (see corpus.plumbing.deferred)

import great_expectations as gx  # noqa: E402
import pandas as pd  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.compute as pc  # noqa: E402
from great_expectations.core.run_identifier import RunIdentifier  # noqa: E402
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402

logging.getLogger("great_expectations").setLevel(logging.ERROR)

# Every run is stamped with this time, so Data Docs paths and pages do not change between rebuilds.
RUN_TIME = datetime(2000, 1, 1, tzinfo=UTC)
RUN_STAMP = "20000101T000000.000000Z"
BATCH_ID = "corpus-rows"  # GX's name for the one batch of the `rows` dataframe asset
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_TIMESTAMP = re.compile(r"\d{8}T\d{6}\.\d{6}Z")
_TRACKING_QUERY = re.compile(r"(logo-long\.png)\?[^\"']*")


@dataclass
class SuiteReport:
    """What a suite said about one frame: failing rows with reasons, and a JSON-able summary."""

    success: bool
    failed_rows: dict[int, list[str]] = field(default_factory=dict)
    failures: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)  # severity "warning": reported, never quarantined
    statistics: dict[str, Any] = field(default_factory=dict)
    result_json: str = ""  # GX's own validation result, made reproducible (see GxProject.add_result)


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


class GxProject:
    """A GX project: suites, checkpoint runs and Data Docs. `file` mode keeps results in a temporary folder
    and renders Data Docs from them; `ephemeral` mode (for validating batches in worker processes) keeps
    nothing: each run's result comes back as JSON, which a file-mode project can take in (`add_result`)."""

    def __init__(self, mode: str = "file") -> None:
        # GX stamps and renders run times in the local zone: run the whole project on a UTC clock so
        # results and pages are the same on every machine.
        self._clock = ExitStack()
        self._clock.enter_context(_utc_clock())
        self._folder = tempfile.TemporaryDirectory(prefix="corpus-gx-") if mode == "file" else None
        root = {"project_root_dir": self._folder.name} if self._folder else {}
        self.context = gx.get_context(mode=mode, **root)
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        source = self.context.data_sources.add_pandas("corpus")
        self._batches = source.add_dataframe_asset("rows").add_batch_definition_whole_dataframe("whole")
        self._checkpoints: dict[str, Any] = {}

    def _checkpoint(self, suite: gx.ExpectationSuite) -> Any:
        if suite.name not in self._checkpoints:
            suite = self.context.suites.add(suite)
            definition = self.context.validation_definitions.add(
                gx.ValidationDefinition(name=suite.name, data=self._batches, suite=suite)
            )
            self._checkpoints[suite.name] = self.context.checkpoints.add(
                gx.Checkpoint(name=suite.name, validation_definitions=[definition], result_format="COMPLETE")
            )
        return self._checkpoints[suite.name]

    def validate(
        self, frame: pd.DataFrame, suite: gx.ExpectationSuite, run_name: str, parameters: dict[str, Any] | None = None
    ) -> SuiteReport:
        checkpoint = self._checkpoint(suite)
        result = checkpoint.run(
            batch_parameters={"dataframe": frame},
            expectation_parameters=parameters or {},
            run_id=RunIdentifier(run_name=run_name, run_time=RUN_TIME),
        )
        (validation,) = result.run_results.values()
        report = _report(validation)
        report.result_json = reproducible_json(self.context.validation_results_store.serialize(validation))
        return report

    def add_result(self, result_json: str) -> None:
        """Take in a result validated elsewhere (file mode), so that Data Docs show it."""
        assert self._folder is not None, "only a file-mode project keeps results"
        document = json.loads(result_json)
        run_name = document["meta"]["run_id"]["run_name"]
        folder = Path(self._folder.name) / "gx" / "uncommitted" / "validations" / document["suite_name"] / run_name
        (folder / RUN_STAMP).mkdir(parents=True, exist_ok=True)
        (folder / RUN_STAMP / f"{BATCH_ID}.json").write_text(result_json, encoding="utf-8")

    def write_docs(self, destination: Path) -> Path:
        """Build GX's Data Docs and copy them, made reproducible, to destination (index.html inside)."""
        self.context.build_data_docs()
        (site,) = self.context.get_docs_sites_urls()
        source = Path(site["site_url"].removeprefix("file://")).parent
        if destination.exists():
            shutil.rmtree(destination)
        shutil.copytree(source, destination, ignore=shutil.ignore_patterns("fonts", "images"))
        for page in destination.rglob("*.html"):
            page.write_text(reproducible_html(page.read_text(encoding="utf-8")), encoding="utf-8")
        return destination / "index.html"

    def close(self) -> None:
        if self._folder is not None:
            self._folder.cleanup()
        self._clock.close()

    def __enter__(self) -> GxProject:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextmanager
def _utc_clock() -> Iterator[None]:
    saved = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    try:
        yield
    finally:
        if saved is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = saved
        time.tzset()


def reproducible_html(page: str) -> str:
    """Data Docs HTML without what changes from run to run: load times, random element ids, tracking."""
    page = _TRACKING_QUERY.sub(r"\1", page)
    page = _TIMESTAMP.sub(lambda m: m.group() if m.group() == RUN_STAMP else "(time not recorded)", page)
    numbering: dict[str, str] = {}
    return _UUID.sub(lambda m: numbering.setdefault(m.group(), f"id-{len(numbering):06d}"), page)


def reproducible_json(result_json: str) -> str:
    """A GX result without what changes from run to run: load times and random ids (kept UUID-shaped, so GX
    still reads them, numbered in order of appearance)."""
    result_json = _TIMESTAMP.sub(RUN_STAMP, result_json)
    numbering: dict[str, str] = {}
    return _UUID.sub(lambda m: numbering.setdefault(m.group(), str(uuid.UUID(int=len(numbering) + 1))), result_json)


def _report(validation: Any) -> SuiteReport:
    report = SuiteReport(success=True, statistics=dict(validation.statistics))
    for item in validation.results:
        if item.success:
            continue
        config = item.expectation_config
        label = expectation_label(config)
        values = item.result.get("unexpected_list") or []
        summary = {
            "expectation": label,
            "unexpected_count": item.result.get("unexpected_count"),
            "observed_value": _short(item.result.get("observed_value")),
            "examples": sorted({str(_short(v)) for v in values})[:5],
        }
        if str(getattr(config.severity, "value", config.severity)) == "warning":
            report.warnings.append(summary)
            continue
        report.success = False
        report.failures.append(summary)
        for position, value in zip(item.result.get("unexpected_index_list") or [], values, strict=False):
            report.failed_rows.setdefault(int(position), []).append(f"{label}: {_short(value)}")
    return report


def _short(value: Any, limit: int = 80) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return None if isinstance(value, float) and pd.isna(value) else value
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Leak detectors for the row suite, run by Arrow's RE2 kernels over whole batches (no per-row Python).
# Each yields the offending substring, or null: the suite expects null, and the ledger shows the leak.
LEAK_PATTERNS = {
    "found_email": r"(?P<found>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z]{2,})",
    "found_mobile_phone": r"(?:^|[^\d-])(?P<found>01[016789][-. ]\d{3,4}[-. ]\d{4})(?:$|[^\d-])",
    # a mask cut or glued: "<PHON", "<PHONE" without ">", "PHONE>" without "<"
    "found_broken_mask": r"(?P<found><(?:EMAI|PHON|RR|CAR|ACCOUN)(?:[^A-Z]|$)"
    r"|<(?:EMAIL|PHONE|RRN|CARD|ACCOUNT)(?:[^>]|$)|(?:^|[^<A-Z])(?:EMAIL|PHONE|RRN|CARD|ACCOUNT)>)",
}
# What every match of a leak pattern contains, as patterns that start with a literal: RE2 skips to that
# literal at memory speed, so the full patterns (which open with a character class) only scan the texts
# that have it.
LEAK_GATES = {
    "found_email": ("@",),
    "found_mobile_phone": (r"01[016789][-. ]",),
    "found_broken_mask": ("<", ">"),
}


ROW_METADATA = ["id", "title", "publisher", "published_at", "quality"]
ROW_INPUTS = [*ROW_METADATA, "text"]  # the record columns row_columns reads


def row_columns(batch: pa.RecordBatch) -> pa.Table:
    """What the row suite looks at, for one batch (of at least ROW_INPUTS): flat metadata columns
    (quality.hangul_ratio → quality_hangul_ratio), text_length, and the leak columns of LEAK_PATTERNS. The
    text itself is not kept."""
    table = pa.Table.from_batches([batch])
    flat = table.select(ROW_METADATA).flatten()
    flat = flat.rename_columns([name.replace(".", "_") for name in flat.column_names])
    text = table.column("text")
    flat = flat.append_column("text_length", pc.utf8_length(text))
    for name, pattern in LEAK_PATTERNS.items():
        flat = flat.append_column(name, _leaks(text, pattern, LEAK_GATES[name]))
    return flat


def record_frame(pieces: list[pa.Table]) -> pd.DataFrame:
    """The row suite's dataframe of several batches' row_columns (the text never enters pandas).

    An integer column with nulls stays integers (objects), not floats: otherwise a failing value would read
    `6` or `6.0` in a row's reasons depending on whether another row of the same run had a null, and a
    unit's verdicts would depend on the units it is validated with."""
    return pa.concat_tables(pieces).to_pandas(integer_object_nulls=True).reset_index(drop=True)


def _leaks(text: pa.ChunkedArray, pattern: str, gates: tuple[str, ...]) -> pa.Array:
    """The substring `pattern` finds in each text, or null; run only on the texts a gate lets through."""
    text = text.combine_chunks()
    gated = pc.match_substring_regex(text, gates[0])
    for gate in gates[1:]:
        gated = pc.or_(gated, pc.match_substring_regex(text, gate))
    found = pa.nulls(len(text), pa.string())
    if not pc.any(gated).as_py():
        return found
    extracted = pc.struct_field(pc.extract_regex(pc.filter(text, gated), pattern), "found")
    return pc.replace_with_mask(found, gated, extracted)
