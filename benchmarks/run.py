"""Per-stage throughput and peak memory of the pipeline on a synthetic corpus.

    .venv/bin/python benchmarks/run.py --articles 10000

Prints a Markdown table: seconds, articles/s and CPU seconds per stage, and the process's peak RSS.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import write_corpus

from corpus.pipeline import run_stage
from corpus.stages import STAGE_ORDER, StagePaths

PARAMS = Path(__file__).resolve().parent.parent / "params.yaml"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="corpus-bench-") as scratch:
        root = Path(scratch)
        raw = write_corpus(root / "raw", args.articles)
        megabytes = sum(p.stat().st_size for p in raw.iterdir()) / 1e6
        paths = StagePaths(raw, root / "work", root / "release")
        rows = []
        total_wall = 0.0
        for name in STAGE_ORDER:
            wall, cpu = time.perf_counter(), time.process_time()
            run_stage(name, paths, PARAMS)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            total_wall += wall
            rows.append((name, wall, args.articles / wall, cpu))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.articles} articles, {megabytes:.1f} MB raw, peak RSS {peak_mb:.0f} MB\n")
    print("| stage | seconds | articles/s | CPU s |\n|---|---|---|---|")
    for name, wall, rate, cpu in rows:
        print(f"| {name} | {wall:.2f} | {rate:,.0f} | {cpu:.2f} |")
    print(f"| **end to end** | {total_wall:.2f} | {args.articles / total_wall:,.0f} | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
