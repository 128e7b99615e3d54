"""Incremental rebuild: how long a rebuild takes after adding raw files, against a full build.

    .venv/bin/python benchmarks/incremental.py --articles 100000 --added 1000

Builds the synthetic corpus from cold (an empty result cache), adds `--added` new articles as one new raw
file of line snippets, and rebuilds with the warm cache: ingest, clean, validate and dedup's signatures reuse every unit
that did not change; dedup's clustering, split and publish run over the whole corpus. Each stage runs in a
fresh process, as under `dvc repro`. The rebuilt release is checked against a cold build of the same input
(byte-identical checksums) unless --no-check.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import time_stages
from synthetic import write_corpus

from corpus.stages import StagePaths


def build(raw: Path, root: Path, name: str, cache: Path | None) -> dict[str, tuple[float, float]]:
    """stage → (wall seconds, peak RSS MB of the stage's process tree: the stage, its workers, its helper)."""
    paths = StagePaths(raw, root / f"{name}-work", root / f"{name}-release", cache=str(cache) if cache else None)
    return {stage: (wall, tree) for stage, (wall, _, _, tree) in time_stages(paths).items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--added", type=int, default=1_000)
    parser.add_argument("--no-check", action="store_true", help="skip the cold rebuild that checks the bytes")
    parser.add_argument("--shapes", choices=["mixed", "snippets"], default="mixed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="corpus-incremental-") as scratch:
        root = Path(scratch)
        write_corpus(root / "raw", args.articles, shapes=args.shapes)
        write_corpus(root / "new", args.added, per_file=args.added)
        cache = root / "cache"
        full = build(root / "raw", root, "full", cache)
        for path in (root / "new").iterdir():
            shutil.move(path, root / "raw" / f"added-{path.name}")
        again = build(root / "raw", root, "incremental", cache)
        if not args.no_check:
            build(root / "raw", root, "cold", None)
            same = all((root / f"{name}-release" / "checksums.sha256").read_bytes()
                       == (root / "cold-release" / "checksums.sha256").read_bytes() for name in ("incremental",))
    workers = os.environ.get("CORPUS_WORKERS", "one per core")
    print(f"{args.articles} articles + {args.added} added ({args.added / args.articles:.1%}), "
          f"CORPUS_WORKERS={workers}\n")
    print("| stage | full build s | rebuild after adding s | full build peak RSS MB (process tree) | "
          "rebuild peak RSS MB (process tree) |\n"
          "|---|---|---|---|---|")
    for stage in full:
        print(f"| {stage} | {full[stage][0]:.2f} | {again[stage][0]:.2f} | {full[stage][1]:,.0f} | "
              f"{again[stage][1]:,.0f} |")
    total_full, total_again = (sum(wall for wall, _ in times.values()) for times in (full, again))
    print(f"| **total** | {total_full:.2f} | {total_again:.2f} | {max(r for _, r in full.values()):,.0f} | "
          f"{max(r for _, r in again.values()):,.0f} |")
    print(f"\nrebuild / full build: {total_again / total_full:.1%}")
    if not args.no_check:
        print("rebuilt release byte-identical to a cold build of the same input:", same)
    return 0


if __name__ == "__main__":
    sys.exit(main())
