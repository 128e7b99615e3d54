"""Runs the stages in order, the same functions DVC calls one by one, on any folder of raw files."""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pyarrow as pa

from corpus.errors import UsageError
from corpus.params import load_stage_params
from corpus.plumbing.deferred import arrow_without_pandas
from corpus.plumbing.executors.warm import prestarted
from corpus.plumbing.storage import is_local, location
from corpus.rawfiles import scan_input
from corpus.release.marker import check_replaceable
from corpus.stages import STAGE_ORDER, StagePaths, metrics_summary, promote, write_metrics


def arrow_memory_pool() -> pa.MemoryPool:
    """jemalloc where pyarrow ships it (Linux, macOS), else the system allocator. Measured at 100k articles,
    one worker: validate's peak 714–768 MB with the system allocator (glibc's arenas keep the freed pages of
    every GX run) and ~450 with jemalloc; pyarrow's default mimalloc kept ~175 MB of freed buffers in
    publish at 1M."""
    try:
        return pa.jemalloc_memory_pool()
    except NotImplementedError:
        return pa.system_memory_pool()


def run_stage(name: str, paths: StagePaths, params_file: Path | None, metrics_file: Path | None = None
              ) -> dict[str, Any]:
    """One stage, as `dvc repro` runs it; `params_file` None: the package defaults."""
    if name not in STAGE_ORDER:
        raise UsageError(f"unknown stage {name!r}; stages: {', '.join(STAGE_ORDER)}")
    pa.set_memory_pool(arrow_memory_pool())
    arrow_without_pandas()
    module = importlib.import_module(f"corpus.stages.{name}")
    # publish swaps its release folder in itself; object stores have no atomic rename: stages write in place
    writes_work = name != "publish" and is_local(paths.work_dir)
    config_dir = params_file.resolve().parent if params_file is not None else Path.cwd()
    paths = dataclasses.replace(paths, config_dir=config_dir, writing=name if writes_work else None)
    started = time.perf_counter()
    metrics = module.main(paths, load_stage_params(name, params_file))
    if writes_work:
        promote(paths.stage(name), paths.work_dir / name)
    if metrics_file is not None:
        write_metrics(metrics_file, metrics_summary(metrics, time.perf_counter() - started))
        write_metrics(metrics_file.with_name(f"{metrics_file.stem}.counters.json"), metrics)
    return metrics


def run_all(
    input_dir: Path,
    output_dir: Path,
    params_file: Path | None,
    metrics_dir: Path | None = None,
    cache: Path | None = None,
    work: str | None = None,
) -> dict[str, Any]:
    """Every stage from raw files in input_dir to a release folder at output_dir, without DVC. Stage folders
    go under `work` (a folder or fsspec URL, kept) or a temporary folder; unit results are reused from and
    kept in `cache` when one is given."""
    # GX (~1.3 s to import, needed by validate) loads in a helper while the params are checked and the first
    # stages run (a run refused for a user's mistake kills it). `corpus run` starts it earlier still, before it
    # imports this module (~0.2 s sooner: a one-file build's longest wait).
    with prestarted("corpus.validation"):
        check_folders(input_dir, output_dir)
        config_dir = params_file.resolve().parent if params_file is not None else Path.cwd()
        for name in STAGE_ORDER:  # a bad param, or a file params name that is not there, is named now
            check = getattr(importlib.import_module(f"corpus.stages.{name}"), "check_params", None)
            stage_params = load_stage_params(name, params_file)
            if check is not None:
                check(stage_params, config_dir)
        return _run_stages(input_dir, output_dir, params_file, metrics_dir, cache, work)


# The card and plot libraries (~1.3 s to import, needed by publish) load in a helper from this stage on: it
# validates a group of rows in one process (GX's helper), so a core is free; before it, ingest and clean keep
# both cores busy, and GX's import needs one.
DOCUMENTS_FROM = "validate"


def _run_stages(input_dir: Path, output_dir: Path, params_file: Path | None, metrics_dir: Path | None,
                cache: Path | None, work: str | None) -> dict[str, Any]:
    results = {}
    with tempfile.TemporaryDirectory(prefix="corpus-work-") as scratch, contextlib.ExitStack() as helpers:
        work_dir = location(work) if work else Path(scratch)
        paths = StagePaths(input_dir, work_dir, output_dir, cache=str(cache) if cache else None)
        for name in STAGE_ORDER:
            if name == DOCUMENTS_FROM:
                helpers.enter_context(prestarted("corpus.release.documents"))
            metrics_file = metrics_dir / f"{name}.json" if metrics_dir else None
            results[name] = run_stage(name, paths, params_file, metrics_file)
            print(f"{name}: {_brief(results[name])}", file=sys.stderr)
    return results


def check_folders(input_dir: Path, output_dir: Path) -> None:
    """The mistakes a run must refuse before it starts (UsageError): no input folder, an input with no files,
    an output inside the input (the next run would read the release as raw news) or around it, an output that
    holds files which are not a release."""
    if not input_dir.exists():
        raise UsageError(f"input folder {input_dir} does not exist")
    if not input_dir.is_dir():
        raise UsageError(f"input {input_dir} is a file, not a folder: put it in a folder and pass the folder")
    source, target = input_dir.resolve(), output_dir.resolve()
    if target == source or target.is_relative_to(source):
        raise UsageError(f"output {output_dir} is inside the input folder {input_dir}: the next run would read the "
                         f"release as raw news; write it elsewhere")
    if source.is_relative_to(target):
        raise UsageError(f"input folder {input_dir} is inside the output {output_dir}, which the release replaces")
    if next(scan_input(input_dir, stat=False), None) is None:
        raise UsageError(f"input folder {input_dir} holds no raw files (names starting with '.' are skipped)")
    check_replaceable(output_dir)


def _brief(metrics: dict[str, Any]) -> str:
    keys = [k for k in ("total", "kept", "articles", "fingerprint") if k in metrics]
    return ", ".join(f"{k}={metrics[k]}" for k in keys)
