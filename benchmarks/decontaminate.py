"""Decontamination quality and speed: benchmark items planted in articles among clean ones.

    python benchmarks/decontaminate.py [--clean 100000] [--planted 500] [--against FILE …] [--grid]

The items are the KLUE dev excerpts (tests/fixtures/klue, as params.yaml names them) or the files given
(`--against`: the full KLUE dev files, read the same way). The clean articles are ~2,400 characters of the
seeds' sentences (benchmarks/synthetic.py). Each planted article holds one item, cycling through four
kinds: verbatim (the item between two seed sentences), re-spaced (a third of its spaces dropped, a space
put in after one character in twelve), punctuation changed (marks dropped, swapped or added), embedded (the
item in the middle of a full-length article). Reports recall per kind, false flags (clean articles
flagged) and articles/s on one core of the matching itself (normalize, hash, look up), for the chosen
unit and n, or for a grid of them (`--grid`).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synthetic import seed_sentences
from corpus.contamination.benchmarks import Benchmark, read_items
from corpus.contamination.ngrams import NgramIndex, Unit, find_hits
from corpus.params import load_stage_params
from corpus.rules.normalize import normalize_v1

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("verbatim", "respaced", "punctuation", "embedded")
GRID: tuple[tuple[Unit, int], ...] = (("char", 8), ("char", 10), ("char", 13), ("char", 20), ("char", 30),
                                     ("eojeol", 3), ("eojeol", 5), ("eojeol", 8), ("eojeol", 13))
BATCH = 2_048


def benchmark_items(against: list[str]) -> list[str]:
    """The items' texts: of the files given, or of the benchmarks params.yaml names."""
    if against:
        specs = [(Benchmark(Path(f).stem, (f,), ("premise",) if f.endswith(".json") else ("sentence",),
                            "guid" if f.endswith(".json") else None), Path(f)) for f in against]
    else:
        params = load_stage_params("decontaminate", ROOT / "params.yaml")
        specs = []
        for name, spec in sorted(params.against.items()):
            benchmark = Benchmark(name, tuple(spec["paths"]), tuple(spec["text"]), spec.get("id"))
            specs += [(benchmark, ROOT / path) for path in spec["paths"]]
    texts = dict.fromkeys(normalize_v1(item.text) for benchmark, path in specs for item in read_items(benchmark, path))
    return list(texts)


def respace(text: str, rng: random.Random) -> str:
    out = []
    for char in text:
        if char == " " and rng.random() < 1 / 3:
            continue
        out.append(char)
        if char != " " and rng.random() < 1 / 12:
            out.append(" ")
    return "".join(out)


_MARK = re.compile(r"[.,!?'\"·]")


def repunctuate(text: str, rng: random.Random) -> str:
    changed = _MARK.sub(lambda m: rng.choice(["", "。", ",", "…", m.group()]), text)
    return changed.replace(" ", rng.choice([" ", ", "]), 1)


def article(rng: random.Random, sentences: list[str], chars: int) -> list[str]:
    body: list[str] = []
    while sum(map(len, body)) < chars:
        body.append(rng.choice(sentences))
    return body


def corpus(items: list[str], n_clean: int, n_planted: int, seed: int = 27) -> tuple[list[str], list[int], list[str]]:
    """Clean articles then planted ones; each planted article's item index and kind."""
    rng = random.Random(seed)
    sentences = seed_sentences()
    texts = [" ".join(article(rng, sentences, 2_400)) for _ in range(n_clean)]
    planted_items, kinds = [], []
    for i in range(n_planted):
        kind, item = KINDS[i % len(KINDS)], rng.randrange(len(items))
        text = {"verbatim": items[item], "respaced": respace(items[item], rng),
                "punctuation": repunctuate(items[item], rng), "embedded": items[item]}[kind]
        if kind == "embedded":
            body = article(rng, sentences, 2_400)
            body.insert(len(body) // 2, text)
        else:
            body = [rng.choice(sentences), text, rng.choice(sentences)]
        texts.append(" ".join(body))
        planted_items.append(item)
        kinds.append(kind)
    return texts, planted_items, kinds


def measure(texts: list[str], items: list[str], planted_items: list[int], kinds: list[str], n_clean: int,
            unit: Unit, n: int, min_overlap: float) -> dict[str, object]:
    index = NgramIndex.build(items, unit, n)
    index.table  # noqa: B018  (built once, before the clock starts, as a unit job's first batch would)
    started = time.process_time()
    found = []
    for start in range(0, len(texts), BATCH):
        hits = find_hits(texts[start : start + BATCH], index, unit, n, min_overlap)
        found += hits.item.tolist()
    seconds = time.process_time() - started
    flagged = sum(1 for item in found[:n_clean] if item >= 0)
    recall = {kind: 0 for kind in KINDS}
    for kind, hit in zip(kinds, found[n_clean:], strict=True):
        recall[kind] += hit >= 0  # items are distinct texts: a hit on an item of the same text is the one planted
    per_kind = kinds.count(KINDS[0])
    return {"unit": unit, "n": n, "indexed": int((index.item_ngrams > 0).sum()), "items": len(items),
            "recall": sum(recall.values()) / len(kinds), **{k: v / per_kind for k, v in recall.items()},
            "false_flags": flagged, "false_rate": flagged / n_clean, "per_second": len(texts) / seconds}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clean", type=int, default=100_000)
    parser.add_argument("--planted", type=int, default=500)
    parser.add_argument("--against", nargs="*", default=[])
    parser.add_argument("--grid", action="store_true", help="every unit and n of GRID, not only params.yaml's")
    args = parser.parse_args(argv)
    params = load_stage_params("decontaminate", ROOT / "params.yaml")
    items = benchmark_items(args.against)
    texts, planted_items, kinds = corpus(items, args.clean, args.planted)
    print(f"{len(items)} distinct items; {args.clean:,} clean + {args.planted} planted articles; "
          f"min_overlap {params.min_overlap}")
    print("| unit | n | items indexed | recall | verbatim | re-spaced | punctuation | embedded | false flags "
          "| articles/s (1 core) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for unit, n in GRID if args.grid else ((params.unit, params.n),):
        r = measure(texts, items, planted_items, kinds, args.clean, unit, n, params.min_overlap)
        print(f"| {unit} | {n} | {r['indexed']} of {r['items']} | {r['recall']:.4f} | {r['verbatim']:.3f} | "
              f"{r['respaced']:.3f} | {r['punctuation']:.3f} | {r['embedded']:.3f} | {r['false_flags']} "
              f"({r['false_rate']:.4%}) | {r['per_second']:,.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
