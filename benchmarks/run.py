"""Per-stage throughput and peak memory of the pipeline on a synthetic corpus, and the figures issue 25 sets
targets for, side by side in one run.

    .venv/bin/python benchmarks/run.py --articles 20000 --shapes jsonl [--datatrove-sample 1000]
    .venv/bin/python benchmarks/run.py --articles 10000 [--repeat-stage clean --repeats 5]

Prints a Markdown table per stage: seconds, articles/s, MB/s of raw input, CPU seconds and peak RSS. Each
stage runs in a fresh process, as under `dvc repro`; set CORPUS_WORKERS=1 for one-core figures.
Then, on the same raw files: `corpus run` as a user starts it (a new interpreter, imports and set-up
included, its whole process tree's CPU and peak memory), the bare pyarrow floor, the cold start (`corpus
run` on a 200-article file, `corpus --help`, `corpus why`), and, when the bench extra is installed (`pip
install -e .[bench]`), datatrove with FineWeb-2's Korean settings on the first --datatrove-sample articles,
one worker (benchmarks/datatrove_compare.py); last, each target with what was measured.
With --repeat-stage, that stage then runs again --repeats times on the same input and its steady-state
rate (minimum, median, maximum articles/s of wall time) is printed: on a shared machine one run can be
off by a quarter.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import multiprocessing
import os
import queue
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import write_corpus

from corpus.pipeline import run_stage
from corpus.rawfiles import scan_input
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
    seconds of the stage and its workers, peak RSS of the stage process in MB, peak memory (PSS) of the stage's
    whole process tree in MB — the stage, its pool workers and publish's GX helper at once, sampled every 50 ms)."""
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
    """Memory of a process and all its descendants now, in MB (Linux /proc; 0 elsewhere): the sum of their
    proportional set sizes (PSS: a page that n of them share counts 1/n in each), so the pages forked
    workers share with their parent count once, as they take memory once; RSS where PSS is not available."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(child) for child in (task / "children").read_text().split()]
            total += _memory_kb(current)
        except OSError:  # gone meanwhile, or no /proc
            continue
    return total / 1024


def _memory_kb(pid: int) -> int:
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        return next(int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:"))
    except (OSError, StopIteration):
        status = Path(f"/proc/{pid}/status").read_text()
        return sum(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))


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


def time_command(arguments: list[str]) -> tuple[float, float, float]:
    """A command of this package in a new interpreter, as a user starts it: wall seconds, CPU seconds of its
    whole process tree (every descendant is waited for), and the tree's peak RSS in MB (sampled every 50 ms)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen([sys.executable, "-m", "corpus", *arguments], stdout=subprocess.DEVNULL,
                                 stderr=errors)
        peak = 0.0
        while child.poll() is None:
            peak = max(peak, tree_rss_mb(child.pid))
            time.sleep(0.05)
        wall = time.perf_counter() - started
        if child.returncode:
            errors.seek(0)
            raise RuntimeError(f"corpus {' '.join(arguments)} failed:\n{errors.read().decode()[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu, max(peak, after.ru_maxrss / 1024)


def corpus_run(raw: Path, release: Path) -> tuple[float, float, float]:
    return time_command(["run", "--input", str(raw), "--output", str(release), "--params", str(PARAMS)])


def datatrove_rate(raw: Path, work: Path, sample: int) -> tuple[float, int] | None:
    """datatrove's FineWeb-2 Korean dedup and filters, one worker, on the first `sample` articles of the raw
    files: (articles/s, articles), or None without the bench extra."""
    if importlib.util.find_spec("datatrove") is None:
        return None
    from datatrove_compare import run_datatrove  # it imports this module

    (work / "jsonl").mkdir(parents=True)
    written = write_texts(raw, work / "jsonl" / "articles.jsonl", sample)
    timings, _, _ = run_datatrove(work / "jsonl", work / "datatrove")
    return written / sum(wall for wall, _ in timings.values()), written


def write_texts(raw: Path, out: Path, limit: int) -> int:
    """The first `limit` articles as datatrove documents ({"id", "text"}): a JSON Lines export's records'
    texts, each line of any other raw file; the number written."""
    count = 0
    with out.open("w", encoding="utf-8") as jsonl:
        for path in sorted(p for p in raw.rglob("*") if p.is_file()):
            with path.open(encoding="utf-8") as lines:
                for number, line in enumerate(lines, start=1):
                    if count >= limit:
                        return count
                    text = json.loads(line)["text"] if path.suffix == ".jsonl" else line.rstrip("\n")
                    jsonl.write(json.dumps({"id": f"{path.name}:{number}", "text": text}, ensure_ascii=False) + "\n")
                    count += 1
    return count


def repeat_stage(name: str, paths: StagePaths) -> float:
    started = time.perf_counter()
    with contextlib.redirect_stderr(io.StringIO()):
        run_stage(name, paths, PARAMS)
    return time.perf_counter() - started


SMALL = 200  # articles of the small build whose wall time is the cold start
TARGETS = {"rate": 2_000, "datatrove": 60, "floor": 0.25, "small": 2.5, "help": 0.5}  # issue 25


def print_targets(rate: float, floor_rate: float, small: float, helped: float, asked: float,
                  peer: tuple[float, int] | None) -> None:
    cores = os.cpu_count() or 1

    def row(target: str, measured: str, met: bool) -> None:
        print(f"| {target} | {measured} | {'yes' if met else '**no**'} |")

    print("\n| target | measured | met |\n|---|---|---|")
    row(f"`corpus run` ≥ {TARGETS['rate']:,} articles/s on {cores} cores", f"{rate:,.0f} /s ({rate / cores:,.0f} per "
        f"core)", rate >= TARGETS["rate"])
    if peer is None:
        print("| ≥ 60× datatrove per core | not run: `pip install -e .[bench]` | |")
    else:
        ratio = rate / cores / peer[0]
        row(f"≥ {TARGETS['datatrove']}× datatrove per core", f"{ratio:.1f}× (datatrove {peer[0]:.1f} /s on {peer[1]:,} "
            f"articles, one worker)", ratio >= TARGETS["datatrove"])
    row(f"≥ {TARGETS['floor']}× the bare pyarrow pass", f"{rate / floor_rate:.3f}× ({floor_rate:,.0f} /s, one core)",
        rate / floor_rate >= TARGETS["floor"])
    row(f"`corpus run` on {SMALL} articles ≤ {TARGETS['small']} s", f"{small:.2f} s", small <= TARGETS["small"])
    row(f"`corpus --help` ≤ {TARGETS['help']} s", f"{helped:.2f} s", helped <= TARGETS["help"])
    row(f"`corpus why` ≤ {TARGETS['help']} s (a raw line of the small build)", f"{asked:.2f} s",
        asked <= TARGETS["help"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--shapes", choices=["mixed", "snippets", "jsonl"], default="mixed",
                        help="the seeds' mix of raw shapes, line snippets only, or one JSON Lines file "
                             "(benchmarks/synthetic.py)")
    parser.add_argument("--datatrove-sample", type=int, default=1_000,
                        help="datatrove on the first N articles (0: not run); needs the bench extra")
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
        run = corpus_run(raw, root / "release-of-run")
        write_corpus(root / "small", SMALL, shapes=args.shapes)
        small = corpus_run(root / "small", root / "release-of-small")
        helped = time_command(["--help"])
        line = f"{next(scan_input(root / 'small', stat=False)).relative}:1"  # the first raw file, as ingest reads it
        asked = time_command(["why", line, "--release", str(root / "release-of-small")])
        peer = datatrove_rate(raw, root / "peer", args.datatrove_sample) if args.datatrove_sample else None
        repeated = [repeat_stage(args.repeat_stage, paths) for _ in range(args.repeats)] if args.repeat_stage else []
    workers = os.environ.get("CORPUS_WORKERS", "one per core")
    print(f"{args.articles} articles ({args.shapes} shapes), {megabytes:.1f} MB raw, CORPUS_WORKERS={workers}\n")
    print("| stage | seconds | articles/s | raw MB/s | CPU s | peak RSS MB | process tree peak PSS MB |\n"
          "|---|---|---|---|---|---|---|")
    for name, wall, rate, cpu, rss, tree in rows:
        print(f"| {name} | {wall:.2f} | {rate:,.0f} | {megabytes / wall:.1f} | {cpu:.2f} | {rss:,.0f} | {tree:,.0f} |")
    total_cpu, peak, tree_peak = sum(row[3] for row in rows), max(row[4] for row in rows), max(row[5] for row in rows)
    print(f"| **all stages**, one after another | {total_wall:.2f} | {args.articles / total_wall:,.0f} | "
          f"{megabytes / total_wall:.1f} | "
          f"{total_cpu:.2f} | {peak:,.0f} | {tree_peak:,.0f} |")
    print(f"| bare pyarrow floor (read → NFC → Parquet) | {floor:.2f} | {args.articles / floor:,.0f} | "
          f"{megabytes / floor:.1f} | | | |")
    print(f"| **`corpus run`**, cold start included | {run[0]:.2f} | {args.articles / run[0]:,.0f} | "
          f"{megabytes / run[0]:.1f} | {run[1]:.2f} | | {run[2]:,.0f} |")
    print(f"\n`corpus run` / floor: {run[0] / floor:.1f}× the time; {megabytes / run[0]:.1f} MB/s raw")
    print_targets(args.articles / run[0], args.articles / floor, small[0], helped[0], asked[0], peer)
    if repeated:
        rates = sorted(args.articles / seconds for seconds in repeated)
        print(f"\n{args.repeat_stage}, {len(rates)} more runs: min {rates[0]:,.0f}, median "
              f"{statistics.median(rates):,.0f}, max {rates[-1]:,.0f} articles/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
