"""A synthetic raw corpus built from the seeds' own sentences, in the seeds' line-snippet shape.

Articles are ~2,400 characters of seed sentences in a seeded shuffle (deterministic for a given size),
prefixed by the `매체 기자 |` byline form, written 1,000 per file.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SENTENCE = re.compile(r"[^.!?]+[.!?]")
OUTLETS = ("데일리굿타임", "뉴스21", "TV서울", "세종타임즈")
REPORTERS = ("유종운", "장병기", "심현주", "나재희")


def seed_sentences() -> list[str]:
    text = " ".join(" ".join(path.read_text(encoding="utf-8").split()) for path in sorted(SEEDS.glob("*.txt")))
    return [s.strip() for s in SENTENCE.findall(text) if len(s.strip()) > 30]


def write_corpus(folder: Path, n_articles: int, per_file: int = 1_000, chars: int = 2_400) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    sentences = seed_sentences()
    rng = random.Random(n_articles)
    for start in range(0, n_articles, per_file):
        lines = []
        for index in range(start, min(start + per_file, n_articles)):
            body: list[str] = []
            while sum(map(len, body)) < chars:
                body.append(rng.choice(sentences))
            byline = f"{OUTLETS[index % 4]} {REPORTERS[index % 4]} 기자 | "
            lines.append(byline + f"[{index}] " + " ".join(body))
        (folder / f"synthetic-{start // per_file:05d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder
