"""A synthetic raw corpus built from the seeds' own sentences, in the seeds' line-snippet shape.

Articles are ~2,400 characters of seed sentences in a seeded shuffle (deterministic for a given size),
prefixed by the `매체 기자 |` byline form, written 1,000 per file. Optionally plants exact duplicates and
near-duplicates (random Hangul substitutions at known edit rates) and returns their labels, for the
dedup quality figure.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SENTENCE = re.compile(r"[^.!?]+[.!?]")
OUTLETS = ("데일리굿타임", "뉴스21", "TV서울", "세종타임즈")
REPORTERS = ("유종운", "장병기", "심현주", "나재희")
EDIT_RATES = (0.01, 0.03, 0.05, 0.1, 0.2, 0.4)
HANGUL = "가나다라마바사아자차카타파하거너더러머버서어저처커터퍼허"


@dataclass(frozen=True)
class Planted:
    file: str
    line: int  # 1-based
    original_file: str
    original_line: int
    edit_rate: float
    jaccard: float  # true character 5-gram Jaccard with the original body


def seed_sentences() -> list[str]:
    text = " ".join(" ".join(path.read_text(encoding="utf-8").split()) for path in sorted(SEEDS.glob("*.txt")))
    return [s.strip() for s in SENTENCE.findall(text) if len(s.strip()) > 30]


def shingles(text: str, k: int = 5) -> set[str]:
    text = " ".join(text.split())
    return {text[i : i + k] for i in range(len(text) - k + 1)}


def edit(text: str, rate: float, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(round(len(chars) * rate)):
        chars[rng.randrange(len(chars))] = rng.choice(HANGUL)
    return "".join(chars)


def write_corpus(
    folder: Path, n_articles: int, per_file: int = 1_000, chars: int = 2_400,
    exact_fraction: float = 0.0, near_fraction: float = 0.0,
) -> list[Planted]:
    """Write n_articles originals plus planted copies; return the labels of the planted ones."""
    folder.mkdir(parents=True, exist_ok=True)
    sentences = seed_sentences()
    rng = random.Random(n_articles)
    lines, where = [], []
    for index in range(n_articles):
        body: list[str] = []
        while sum(map(len, body)) < chars:
            body.append(rng.choice(sentences))
        lines.append(f"{OUTLETS[index % 4]} {REPORTERS[index % 4]} 기자 | [{index}] " + " ".join(body))
    planted_sources = []
    for _ in range(round(n_articles * exact_fraction)):
        planted_sources.append((rng.randrange(n_articles), 0.0))
    for i in range(round(n_articles * near_fraction)):
        planted_sources.append((rng.randrange(n_articles), EDIT_RATES[i % len(EDIT_RATES)]))
    copies = []
    for original, rate in planted_sources:
        prefix, body = lines[original].split("| ", 1)
        copies.append((original, rate, f"{prefix}| {edit(body, rate, rng)}"))
    all_lines = lines + [text for _, _, text in copies]
    for start in range(0, len(all_lines), per_file):
        name = f"synthetic-{start // per_file:05d}.txt"
        (folder / name).write_text("\n".join(all_lines[start : start + per_file]) + "\n", encoding="utf-8")
        where += [(name, line) for line in range(1, len(all_lines[start : start + per_file]) + 1)]
    labels = []
    for offset, (original, rate, text) in enumerate(copies):
        copy_file, copy_line = where[n_articles + offset]
        original_file, original_line = where[original]
        a, b = shingles(lines[original].split("| ", 1)[1]), shingles(text.split("| ", 1)[1])
        labels.append(Planted(copy_file, copy_line, original_file, original_line, rate, len(a & b) / len(a | b)))
    (folder.parent / "labels.jsonl").write_text(
        "".join(json.dumps(label.__dict__, ensure_ascii=False) + "\n" for label in labels), encoding="utf-8"
    )
    return labels
