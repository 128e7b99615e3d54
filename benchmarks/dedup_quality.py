"""Pairwise precision and recall of dedup on a synthetic corpus with planted duplicates.

    .venv/bin/python benchmarks/dedup_quality.py --articles 5000

Truth: each planted copy and its original form a pair; pairs whose true character-5-gram Jaccard is
at least 0.8 must be found (recall), and a predicted pair that was not planted is a false positive
(precision). Planted pairs below 0.8 are reported but neither rewarded nor penalised.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import time_stages
from synthetic import write_corpus

from corpus.stages import StagePaths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=5_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="corpus-dedup-") as scratch:
        root = Path(scratch)
        labels = write_corpus(root / "raw", args.articles, exact_fraction=0.05, near_fraction=0.12)
        paths = StagePaths(root / "raw", root / "work", root / "release")
        timings = {stage: wall for stage, (wall, *_) in time_stages(paths).items()}
        ledger = pq.read_table(root / "release" / "ledger").to_pylist()
    place = {(r["provenance"]["source_path"], r["provenance"]["line_start"]): r for r in ledger}
    cluster_of = {}
    for key, row in place.items():
        fate = row["fate"]
        cluster_of[key] = fate.split(":", 1)[1] if fate.startswith("duplicate_of:") else row["article_id"]
    members = defaultdict(list)
    for key, cluster in cluster_of.items():
        members[cluster].append(key)
    predicted = {frozenset(pair) for group in members.values() for pair in itertools.combinations(group, 2)}
    planted = {frozenset({(x.file, x.line), (x.original_file, x.original_line)}): x for x in labels}
    # Copies of one original are duplicates of each other too.
    by_original = defaultdict(list)
    for label in labels:
        by_original[(label.original_file, label.original_line)].append(label)
    for group in by_original.values():
        for a, b in itertools.combinations(group, 2):
            planted.setdefault(frozenset({(a.file, a.line), (b.file, b.line)}), min(a, b, key=lambda x: x.jaccard))
    positives = {pair for pair, label in planted.items() if label.jaccard >= 0.8}
    true_positive = len(predicted & positives)
    false_positive = len(predicted - set(planted))
    print(f"{args.articles} originals + {len(labels)} planted copies; dedup stage {timings['dedup']:.2f} s "
          f"({(args.articles + len(labels)) / timings['dedup']:,.0f} articles/s)")
    print(f"pairs with true J >= 0.8: {len(positives)}; found {true_positive}; "
          f"recall {true_positive / max(1, len(positives)):.4f}")
    print(f"predicted pairs: {len(predicted)}; not planted: {false_positive}; "
          f"precision {1 - false_positive / max(1, len(predicted)):.4f}")
    for rate in sorted({label.edit_rate for label in labels}):
        group = [pair for pair, label in planted.items() if label.edit_rate == rate]
        found = sum(1 for pair in group if pair in predicted)
        mean_j = sum(planted[p].jaccard for p in group) / max(1, len(group))
        print(f"  edit rate {rate:.2f}: mean true J {mean_j:.3f}, found {found}/{len(group)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
