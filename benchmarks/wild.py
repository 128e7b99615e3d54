"""The wild benchmark: real files written by other people's crawlers (tests/fixtures/wild/), each built alone.

Per file: the articles expected (hand-verified, `expected.json`) against the articles published; for the
hand-verified samples, whether title, publisher, date and reporters are exact; how many published texts
still hold a credit, copyright or byline fragment (`LEFTOVERS`); for the pages with Fundus' gold JSON, the
body's token F1 against the gold. Then all the files together in one build.

    python benchmarks/wild.py [--json benchmarks/out/wild.json]

Titles and publishers are compared after the package's own normalization (normalize_v1: NFC, fullwidth
ASCII to halfwidth, whitespace folded); a date given without a time is compared by its date; reporters as
names (`구현모 기자` → 구현모), and a gold `박준석 기자 외 1명` (one more, unnamed) is matched by 박준석 and one more
name. A sample folded into a near-duplicate (`folded_into`) has no row of its own to check.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import shutil
import sys
import tempfile
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus.fields.dates import parse_kst  # noqa: E402
from corpus.fields.reporters import reporter_names  # noqa: E402
from corpus.pipeline import run_all  # noqa: E402
from corpus.rules.normalize import normalize_v1  # noqa: E402

WILD = ROOT / "tests" / "fixtures" / "wild"
PARAMS = ROOT / "params.yaml"
FIELDS = ("title", "publisher", "published_at", "reporters")
# What must not survive cleaning anywhere in a text: credits, copyright notices, bylines.
LEFTOVERS = {
    "copyright": re.compile(r"무단\s?전재|재배포\s?금지|저작권자|Copyright|All rights reserved|[ⓒ©]", re.IGNORECASE),
    "photo_credit": re.compile(r"재판매\s?및\s?DB|\((?:사진|자료|제공)\s?=|\[(?:사진|자료)\s?(?:제공|출처)?\s?="),
    "byline": re.compile(r"[\[【(][^\]】)\n]{0,20}=[^\]】)\n]{0,20}[\]】)]\s?[가-힣]{2,4}\s?기자"
                         r"|[가-힣]{2,4}\s?기자\s?="
                         r"|\[[^\]\n]{1,20}\s[가-힣]{2,4}\s?기자\]"),
    "lone_email": re.compile(r"(?:^|\n)\s*<EMAIL>\s*(?:\n|$)"),
}


def fold(value: str | None) -> str | None:
    return " ".join(normalize_v1(unicodedata.normalize("NFC", value)).split()) if value else value


UNNAMED = re.compile(r"외\s*(\d+)\s*명")


def inputs(expected: dict[str, Any]) -> list[Path]:
    return [WILD / name for name in expected]


def build(files: list[Path], folder: Path) -> Path:
    raw, release = folder / "raw", folder / "release"
    raw.mkdir(parents=True)
    for path in files:
        target = raw / path.relative_to(WILD)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    with contextlib.redirect_stderr(io.StringIO()):
        run_all(raw, release, PARAMS)
    return release


def _rows(release: Path, folder: str) -> list[dict[str, Any]]:
    return [row for path in sorted((release / folder).glob("*.parquet")) for row in pq.read_table(path).to_pylist()]


def evaluate_file(name: str, entry: dict[str, Any], release: Path) -> dict[str, Any]:
    """Expected vs published for one file built alone."""
    articles = {row["id"]: row for row in _rows(release, "data")}
    ledger = [row for row in _rows(release, "ledger") if row["provenance"]["source_path"] == name]
    by_index = {row["provenance"]["segment_index"]: row for row in ledger}
    fields: Counter[str] = Counter()
    checked: Counter[str] = Counter()
    misses = []
    for sample in entry.get("samples", []):
        if "folded_into" in sample:
            continue
        row = by_index.get(_segment_index(sample, entry, ledger))
        record = articles.get(row["article_id"]) if row and row["fate"] == "kept" else None
        for field in FIELDS:
            if field not in sample:
                continue
            checked[field] += 1
            want, got = _expected(field, sample), _got(field, record, sample)
            if want == got or (field == "reporters" and _with_unnamed(sample[field], got)):
                fields[field] += 1
            else:
                misses.append({"index": sample["index"], "field": field, "expected": want, "got": got})
    texts = [row["text"] for row in articles.values()]
    leftovers = {kind: sum(1 for text in texts if pattern.search(text)) for kind, pattern in LEFTOVERS.items()}
    result = {"file": name, "expected": entry["articles"], "published": len(articles),
              "fields_right": sum(fields.values()), "fields_checked": sum(checked.values()),
              "leftovers": leftovers, "misses": misses,
              "shape": ledger[0]["provenance"]["source_format"] if ledger else None}
    if "gold_file" in entry and articles:
        result["body_f1"] = body_f1(next(iter(articles.values()))["text"], _gold(entry))
    return result


def _segment_index(sample: dict[str, Any], entry: dict[str, Any], ledger: list[dict[str, Any]]) -> int:
    """Samples are numbered by line (text files), data row or list item: ingest's segment order, except that a
    page's one article may come after page segments of other roles."""
    if entry["articles"] == 1 and len(ledger) > 1:
        return next((r["provenance"]["segment_index"] for r in ledger if r["fate"] == "kept"), sample["index"])
    return sample["index"]


def _expected(field: str, sample: dict[str, Any]) -> Any:
    value = sample[field]
    if field == "published_at":
        stamp = parse_kst(sample.get("published_at_iso", value))
        return stamp.date().isoformat() if sample.get("published_at_precision") == "date" else stamp.isoformat()
    if field == "reporters":
        return list(reporter_names(value))
    return fold(value)


def _with_unnamed(gold: list[str], got: Any) -> bool:
    """`박준석 기자 외 1명`: the named reporters first, then as many more as the gold counts."""
    more = sum(int(m) for value in gold for m in UNNAMED.findall(value))
    named = list(reporter_names(gold))
    return bool(more) and isinstance(got, list) and got[: len(named)] == named and len(got) == len(named) + more


def _got(field: str, record: dict[str, Any] | None, sample: dict[str, Any]) -> Any:
    if record is None:
        return "(not published)"
    value = record[field]
    if field == "published_at":
        if value is None:
            return None
        return value.date().isoformat() if sample.get("published_at_precision") == "date" else value.isoformat()
    if field == "reporters":
        return list(value)
    return fold(value)


def _gold(entry: dict[str, Any]) -> str:
    gold = json.loads((WILD / entry["gold_file"]).read_text(encoding="utf-8"))[entry["gold_version"]]["body"]
    parts = [*gold.get("summary", [])]
    for section in gold.get("sections", []):
        parts += [*section.get("headline", []), *section.get("paragraphs", [])]
    return "\n".join(parts)


def body_f1(text: str, gold: str) -> dict[str, float]:
    """Token (whitespace word) precision, recall and F1 of a text against the gold body, as bags of words."""
    ours, theirs = Counter(fold(text).split()), Counter(fold(gold).split())
    common = sum((ours & theirs).values())
    precision = common / max(1, sum(ours.values()))
    recall = common / max(1, sum(theirs.values()))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def run() -> dict[str, Any]:
    expected = json.loads((WILD / "expected.json").read_text(encoding="utf-8"))
    results = []
    with tempfile.TemporaryDirectory(prefix="corpus-wild-") as scratch:
        for number, (name, entry) in enumerate(expected.items()):
            release = build([WILD / name], Path(scratch) / f"{number:02d}")
            results.append(evaluate_file(name, entry, release))
        together = build(inputs(expected), Path(scratch) / "all")
        total = json.loads((together / "stats.json").read_text(encoding="utf-8"))["articles"]
    right = sum(r["fields_right"] for r in results)
    checked = sum(r["fields_checked"] for r in results)
    return {
        "files": results,
        "articles_expected": sum(r["expected"] for r in results),
        "articles_published": sum(r["published"] for r in results),
        "counts_exact": sum(r["expected"] == r["published"] for r in results),
        "field_accuracy": round(right / max(1, checked), 4),
        "fields_checked": checked,
        "texts_with_leftovers": {kind: sum(r["leftovers"][kind] for r in results) for kind in LEFTOVERS},
        "together_published": total,
    }


def render(summary: dict[str, Any]) -> str:
    lines = ["| file | shape | expected | published | fields right | leftovers | body F1 |",
             "|---|---|---|---|---|---|---|"]
    for r in summary["files"]:
        left = ", ".join(f"{k} {v}" for k, v in r["leftovers"].items() if v) or "0"
        f1 = f"{r['body_f1']['f1']:.3f}" if "body_f1" in r else ""
        lines.append(f"| {r['file']} | {r['shape']} | {r['expected']} | {r['published']} | "
                     f"{r['fields_right']}/{r['fields_checked']} | {left} | {f1} |")
    lines.append(f"\ncounts exact: {summary['counts_exact']}/{len(summary['files'])}; articles "
                 f"{summary['articles_published']}/{summary['articles_expected']}; field accuracy "
                 f"{summary['field_accuracy']:.1%} of {summary['fields_checked']}; texts with leftovers "
                 f"{summary['texts_with_leftovers']}; all files in one build: {summary['together_published']} articles")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--misses", action="store_true", help="print every field that is not exact")
    args = parser.parse_args()
    summary = run()
    print(render(summary))
    if args.misses:
        for r in summary["files"]:
            for miss in r["misses"]:
                print(f"{r['file']} #{miss['index']} {miss['field']}: expected {miss['expected']!r}, "
                      f"got {miss['got']!r}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(summary, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
