"""The pipeline's stages, in order. Each module has a pure core and a `main(paths, params)` that does I/O.

This module is imported by `corpus --help` and `corpus why`: it imports nothing heavy (pyarrow comes with
the functions that use it), so the command line starts in a fraction of a second.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from corpus.plumbing.storage import AnyPath

STAGE_ORDER = ("ingest", "clean", "validate", "dedup", "decontaminate", "split", "publish")
P = TypeVar("P")


PROJECT_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class StagePaths:
    """Where a stage reads and writes: raw input, the work folder of stage outputs, the release folder,
    and the folder of the params file, against which relative paths named in params are resolved."""

    input_dir: Path
    work_dir: AnyPath  # a local folder or an fsspec URL (corpus.plumbing.storage)
    release_dir: Path
    config_dir: Path = Path(".")
    cache: str | None = None  # unit results are kept here for incremental rebuilds (corpus.plumbing.cache); none: off
    writing: str | None = None  # the stage being run writes to <name>.partial, renamed when it succeeds

    def stage(self, name: str) -> AnyPath:
        return self.work_dir / (f"{name}.partial" if name == self.writing else name)

    def config_file(self, relative: str) -> Path:
        """A file named in params: beside the params file, else the one this project ships."""
        beside = self.config_dir / relative
        return beside if beside.exists() else PROJECT_ROOT / relative


@dataclass(frozen=True)
class UnitJob(Generic[P]):
    """One unit's work in a stage: read the unit's shards in `source`, write its shards to `output`
    (picklable, so any executor can run it)."""

    unit: str
    source: AnyPath  # the previous stage's folder
    output: AnyPath
    params: P
    chain: str  # the params hash chain up to this stage
    cache: str | None


def map_units(
    paths: StagePaths, name: str, previous: str, kind: str, params: Any, function: Callable[[UnitJob], dict[str, Any]],
    job: Callable[..., UnitJob] = UnitJob, prepare: Callable[[AnyPath], object] | None = None,
) -> Counter[str]:
    """Run `function` on every unit of the previous stage's `<kind>-<unit>-…` shards, on the executor, into
    this stage's fresh folder; the sum of the jobs' counters. `job` makes each job from UnitJob's fields (a
    stage that reads more than the previous stage passes a UnitJob subclass with the fields it adds);
    `prepare` writes what every job reads into the fresh folder before any runs."""
    from corpus.params import chain_sha256
    from corpus.plumbing.executors import current_executor
    from corpus.plumbing.progress import progress
    from corpus.plumbing.shards import fresh_directory, read_chain, unit_names

    source = paths.stage(previous)
    output = fresh_directory(paths.stage(name))
    if prepare is not None:
        prepare(output)
    chain = chain_sha256(read_chain(source, kind), params)
    units = unit_names(source, kind)
    jobs = (job(unit, source, output, params, chain, paths.cache) for unit in units)
    counts: Counter[str] = Counter()
    for result in progress(current_executor().map(function, jobs), total=len(units), unit="unit", desc=name,
                           articles=counted_total):
        counts.update(result["counts"])
    return counts


def counted_total(result: dict[str, Any]) -> int:
    """The records a unit job went through (its `total` counter): what a progress bar counts as done."""
    return result["counts"].get("total", 0)


def metrics_summary(counters: dict[str, Any], seconds: float) -> dict[str, Any]:
    """The few numbers `dvc metrics show` gives a stage a column each: what came in, what went on, what left it
    and why, and how fast (the only figure that is not the same on every run). Every counter is in
    `<stage>.counters.json` beside it. Publish counts the whole ledger (its `ledger_*` counters)."""
    if "ledger_segments" in counters:  # publish
        into, out = counters["ledger_segments"], counters["articles"]
        gone = {fate: counters.get(f"ledger_{fate}", 0)
                for fate in ("dropped", "quarantined", "duplicate", "contaminated")}
    else:
        into, out = counters.get("total", 0), counters.get("kept", counters.get("total", 0))
        gone = {
            "dropped": sum(n for k, n in counters.items() if k.startswith("dropped_")
                           and not k.startswith("dropped_duplicate_")),
            "quarantined": counters.get("quarantined", 0) + counters.get("errors", 0),
            "duplicate": sum(n for k, n in counters.items() if k.startswith("dropped_duplicate_")),
        }
    return {"in": into, "out": out, **{fate: n for fate, n in gone.items() if n},
            "seconds": round(seconds, 2), "per_second": round(into / seconds) if seconds > 0 else 0}


def write_metrics(path: Path, metrics: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(metrics, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(partial, path)


def promote(partial: Path, final: Path) -> None:
    """Swap a finished stage output into place; a killed stage leaves only a .partial folder behind."""
    from corpus.plumbing.storage import remove_tree

    remove_tree(final)
    partial.rename(final)
