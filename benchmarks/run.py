"""Per-stage throughput and peak memory of the pipeline on a synthetic corpus.

    .venv/bin/python benchmarks/run.py --articles 10000 [--repeat-stage clean --repeats 5]

Prints a Markdown table per stage: seconds, articles/s, MB/s of raw input, CPU seconds and peak RSS. Each
stage runs in a fresh process, as under `dvc repro`; set CORPUS_WORKERS=1 for one-core figures.
With --repeat-stage, that stage then runs again --repeats times on the same input and its steady-state
rate (minimum, median, maximum articles/s of wall time) is printed: on a shared machine one run can be
off by a quarter.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import multiprocessing
import os
import queue
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import write_corpus

from corpus.pipeline import run_stage
from corpus.stages import STAGE_ORDER, StagePaths

PARAMS = Path(__file__).resolve().parent.parent / "params.yaml"


def floor_pass(raw: Path, out: Path) -> float:
    """The practical floor: read raw lines, NFC-normalize, write one zstd Parquet column. Seconds."""
    import unicodedata

    import pyarrow as pa
    import pyarrow.parquet as pq

    started = time.perf_counter()
    with pq.ParquetWriter(out, pa.schema([("text", pa.string())]), compression="zstd") as writer:
        for path in sorted(p for p in raw.rglob("*") if p.is_file()):
            with path.open(encoding="utf-8") as lines:
                texts = [unicodedata.normalize("NFC", line.rstrip("\n")) for line in lines]
            writer.write_table(pa.table({"text": texts}))
    return time.perf_counter() - started


def time_stages(paths: StagePaths, params: Path = PARAMS) -> dict[str, tuple[float, float, float, float]]:
    """Run every stage in order, each in a fresh process as `dvc repro` does; stage → (wall seconds, CPU
    seconds of the stage and its workers, peak RSS of the stage process in MB, peak RSS of the stage's whole
    process tree in MB — the stage, its pool workers and publish's GX helper at once, sampled every 50 ms)."""
    context = multiprocessing.get_context("spawn")
    timings = {}
    for name in STAGE_ORDER:
        results = context.Queue()
        child = context.Process(target=_stage_child, args=(name, paths, params, results))
        child.start()
        tree_peak = 0.0
        while True:
            tree_peak = max(tree_peak, tree_rss_mb(child.pid))
            try:
                timing = results.get(timeout=0.05)
                break
            except queue.Empty:
                continue
        child.join()
        if child.exitcode:
            raise RuntimeError(f"stage {name} failed: {timing}")
        timings[name] = (*timing, max(tree_peak, timing[2]))
    return timings


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants now, in MB (Linux /proc; 0 elsewhere)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(child) for child in (task / "children").read_text().split()]
        except OSError:  # gone meanwhile, or no /proc
            continue
        total += sum(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
    return total / 1024


def _stage_child(name: str, paths: StagePaths, params: Path, results: multiprocessing.Queue) -> None:
    started = time.perf_counter()
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            run_stage(name, paths, params)
    except Exception as error:
        results.put(repr(error))
        raise
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    cpu = sum(u.ru_utime + u.ru_stime for u in usage)
    peak = max(u.ru_maxrss for u in usage) / 1024
    results.put((time.perf_counter() - started, cpu, peak))


def repeat_stage(name: str, paths: StagePaths) -> float:
    started = time.perf_counter()
    with contextlib.redirect_stderr(io.StringIO()):
        run_stage(name, paths, PARAMS)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--shapes", choices=["mixed", "snippets", "jsonl"], default="mixed",
                        help="the seeds' mix of raw shapes, line snippets only, or one JSON Lines file "
                             "(benchmarks/synthetic.py)")
    parser.add_argument("--repeat-stage", choices=STAGE_ORDER)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="corpus-bench-") as scratch:
        root = Path(scratch)
        raw = root / "raw"
        write_corpus(raw, args.articles, shapes=args.shapes)
        megabytes = sum(p.stat().st_size for p in raw.rglob("*") if p.is_file()) / 1e6
        paths = StagePaths(raw, root / "work", root / "release")
        timings = time_stages(paths)
        rows = [(name, wall, args.articles / wall, cpu, rss, tree) for name, (wall, cpu, rss, tree) in timings.items()]
        total_wall = sum(wall for wall, *_ in timings.values())
        floor = floor_pass(raw, root / "floor.parquet")
        repeated = [repeat_stage(args.repeat_stage, paths) for _ in range(args.repeats)] if args.repeat_stage else []
    workers = os.environ.get("CORPUS_WORKERS", "one per core")
    print(f"{args.articles} articles ({args.shapes} shapes), {megabytes:.1f} MB raw, CORPUS_WORKERS={workers}\n")
    print("| stage | seconds | articles/s | raw MB/s | CPU s | peak RSS MB | process tree peak MB |\n"
          "|---|---|---|---|---|---|---|")
    for name, wall, rate, cpu, rss, tree in rows:
        print(f"| {name} | {wall:.2f} | {rate:,.0f} | {megabytes / wall:.1f} | {cpu:.2f} | {rss:,.0f} | {tree:,.0f} |")
    total_cpu, peak, tree_peak = sum(row[3] for row in rows), max(row[4] for row in rows), max(row[5] for row in rows)
    print(f"| **end to end** | {total_wall:.2f} | {args.articles / total_wall:,.0f} | {megabytes / total_wall:.1f} | "
          f"{total_cpu:.2f} | {peak:,.0f} | {tree_peak:,.0f} |")
    print(f"| bare pyarrow floor (read → NFC → Parquet) | {floor:.2f} | {args.articles / floor:,.0f} | "
          f"{megabytes / floor:.1f} | | | |")
    print(f"\nend to end / floor: {total_wall / floor:.1f}× the time; {megabytes / total_wall:.1f} MB/s raw")
    if repeated:
        rates = sorted(args.articles / seconds for seconds in repeated)
        print(f"\n{args.repeat_stage}, {len(rates)} more runs: min {rates[0]:,.0f}, median "
              f"{statistics.median(rates):,.0f}, max {rates[-1]:,.0f} articles/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
