"""A synthetic raw corpus built from the seeds' own sentences, in the seeds' raw shapes.

Articles are ~2,400 characters of seed sentences in a seeded shuffle (deterministic for a given size).
`shapes="snippets"`: every article is a line of a line-snippet file (`매체 기자 |` byline form, 1,000 a
file). `shapes="jsonl"`: every article a record of one JSON Lines file (title, text, publisher, date), as
a user's export usually is. `shapes="mixed"` (the seeds' mix): 70% so, 20% as page dumps — one article
page per file, with the menus, dateline, photo caption, navigation and "most read" sidebar of seed 001
— and 10% as listing pages of 50 entries in the form of seed 004. Optionally plants exact duplicates and
near-duplicates (random Hangul substitutions at known edit rates) among the line snippets and returns
their labels, for the dedup quality figure.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
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


def _originals(n_articles: int, sentences: list[str], rng: random.Random, chars: int) -> Iterator[str]:
    for index in range(n_articles):
        body: list[str] = []
        while sum(map(len, body)) < chars:
            body.append(rng.choice(sentences))
        yield f"{OUTLETS[index % 4]} {REPORTERS[index % 4]} 기자 | [{index}] " + " ".join(body)


MIXED_SHARES = {"page_dump": 0.2, "listing": 0.1}  # the rest are line snippets
MINISTRIES = ("과학기술정보통신부", "국토교통부", "행정안전부", "보건복지부")
LISTING_ENTRIES = 50


def write_corpus(
    folder: Path, n_articles: int, per_file: int = 1_000, chars: int = 2_400,
    exact_fraction: float = 0.0, near_fraction: float = 0.0, shapes: str = "snippets",
) -> list[Planted]:
    """Write n_articles originals plus planted copies; return the labels of the planted ones.

    Streams: one file's lines in memory at a time. The originals are generated twice from the same seed,
    once to write them and once to pick up the ones the planted copies are made from (their choice
    draws from the generator after all originals, so it is only known once they are written)."""
    folder.mkdir(parents=True, exist_ok=True)
    sentences = seed_sentences()
    if shapes == "jsonl":
        write_jsonl(folder / "export.jsonl", n_articles, sentences, chars)
        return []
    if shapes == "mixed":
        others = {shape: round(n_articles * share) for shape, share in MIXED_SHARES.items()}
        write_pages(folder / "pages", others["page_dump"], sentences, chars)
        write_listings(folder, others["listing"], sentences, chars)
        n_articles -= sum(others.values())
    rng = random.Random(n_articles)
    files = _FileWriter(folder, per_file)
    for line in _originals(n_articles, sentences, rng, chars):
        files.add(line)
    planted_sources = [(rng.randrange(n_articles), 0.0) for _ in range(round(n_articles * exact_fraction))]
    for i in range(round(n_articles * near_fraction)):
        planted_sources.append((rng.randrange(n_articles), EDIT_RATES[i % len(EDIT_RATES)]))
    wanted = {original for original, _ in planted_sources}
    replay = _originals(n_articles, sentences, random.Random(n_articles), chars)
    originals = {index: line for index, line in enumerate(replay) if index in wanted}
    labels = []
    for original, rate in planted_sources:
        prefix, body = originals[original].split("| ", 1)
        copy = edit(body, rate, rng)
        copy_file, copy_line = files.add(f"{prefix}| {copy}")
        original_file, original_line = files.where(original)
        a, b = shingles(body), shingles(copy)
        labels.append(Planted(copy_file, copy_line, original_file, original_line, rate, len(a & b) / len(a | b)))
    files.close()
    (folder.parent / "labels.jsonl").write_text(
        "".join(json.dumps(label.__dict__, ensure_ascii=False) + "\n" for label in labels), encoding="utf-8"
    )
    return labels


class _FileWriter:
    """Lines into `synthetic-NNNNN.txt`, per_file lines a file."""

    def __init__(self, folder: Path, per_file: int) -> None:
        self.folder, self.per_file, self.count, self.pending = folder, per_file, 0, []

    def where(self, index: int) -> tuple[str, int]:
        return f"synthetic-{index // self.per_file:05d}.txt", index % self.per_file + 1

    def add(self, line: str) -> tuple[str, int]:
        self.pending.append(line)
        self.count += 1
        if len(self.pending) == self.per_file:
            self._flush()
        return self.where(self.count - 1)

    def _flush(self) -> None:
        if self.pending:
            name, _ = self.where(self.count - 1)
            (self.folder / name).write_text("\n".join(self.pending) + "\n", encoding="utf-8")
            self.pending = []

    def close(self) -> None:
        self._flush()


def _sentences_of(rng: random.Random, sentences: list[str], chars: int) -> list[str]:
    body: list[str] = []
    while sum(map(len, body)) < chars:
        body.append(rng.choice(sentences))
    return body


def _date(index: int) -> str:
    """A KST date and time in 2025, seven minutes per article."""
    minutes = index * 7
    month, day, hour = 1 + minutes // 40320 % 12, 1 + minutes // 1440 % 28, minutes // 60 % 24
    return f"2025-{month:02d}-{day:02d} {hour:02d}:{minutes % 60:02d}:00"


def write_jsonl(path: Path, n_articles: int, sentences: list[str], chars: int) -> None:
    """One JSON object a line, streamed to the file."""
    rng = random.Random(f"jsonl:{n_articles}")
    with path.open("w", encoding="utf-8") as out:
        for index in range(n_articles):
            body = _sentences_of(rng, sentences, chars)
            record = {"id": index, "title": f"{body[0][:40]} [{index}]", "text": " ".join(body),
                      "publisher": OUTLETS[index % 4], "date": _date(index)}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def write_pages(folder: Path, n_pages: int, sentences: list[str], chars: int) -> None:
    """One article page per file, in the page-dump shape of seed 001 (its navigation and sidebar kept)."""
    folder.mkdir(parents=True, exist_ok=True)
    seed_lines = (SEEDS / "001_ecd383afc86f028b.txt").read_text(encoding="utf-8").splitlines()
    tail = "\n".join(seed_lines[seed_lines.index("  • 목록 바로가기"):])
    rng = random.Random(f"pages:{n_pages}")
    for index in range(n_pages):
        outlet, reporter = OUTLETS[index % 4], REPORTERS[index % 4]
        body = _sentences_of(rng, sentences, chars)
        paragraphs = [" ".join(body[i : i + 3]) for i in range(0, len(body), 3)]
        paragraphs[0] = f"[{outlet}/{reporter} 기자] [page {index}] {paragraphs[0]}"
        head = (f"기사 메일전송\n{body[0][:40]}\n  • {reporter}\n  • 등록 {_date(index)}\n\n기사수정\n"
                f"  • {body[1][:50]}\n\n▲ {body[2][:20]}\n\n\n")
        page = head + "\n\n\n".join(paragraphs) + "\n\n" + tail + "\n"
        (folder / f"page-{index:07d}.txt").write_text(page, encoding="utf-8")


def write_listings(folder: Path, n_entries: int, sentences: list[str], chars: int) -> None:
    """Listing pages of LISTING_ENTRIES entries (title, issuer, body, date), in the shape of seed 004."""
    rng = random.Random(f"listings:{n_entries}")
    for start in range(0, n_entries, LISTING_ENTRIES):
        entries = []
        for index in range(start, min(start + LISTING_ENTRIES, n_entries)):
            body = _sentences_of(rng, sentences, chars)
            entries.append(f"-\n{body[0][:45]}\n{MINISTRIES[index % 4]}\n[세종타임즈] [entry {index}] "
                           f"{''.join(body)}\n{_date(index)[:10]}")
        text = "MORE NEWS\n" + "\n".join(entries) + "\n"
        (folder / f"listing-{start // LISTING_ENTRIES:05d}.txt").write_text(text, encoding="utf-8")
