"""Benchmark files named in params (`decontaminate.against`): their items, as (benchmark, item id, field, text).

A benchmark is a name and how to read it: `paths` (files or globs, relative to the params file), `text` (the
fields whose values are items: each value is an item of its own) and `id` (the field naming an item; none:
`<file stem>:<row>`). Formats by extension: `.tsv` / `.csv` with a header row, `.json` (a list of objects,
or an object whose `data` is one), `.jsonl`, `.parquet`; and the KLUE NER and DP layout, a `.tsv` whose
sentences are in comment lines `## <id><TAB><sentence>` (`format: klue_sentences`, found by itself when the
file opens with `##`). A path or glob that finds nothing, a field an item lacks, an unreadable file: a
UsageError that names it (one line, exit status 2).
"""

from __future__ import annotations

import csv
import glob
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from corpus.errors import ParamsError, UsageError

FORMATS = ("auto", "tsv", "csv", "json", "jsonl", "parquet", "klue_sentences")
SPEC_KEYS = {"paths", "text", "id", "format"}


@dataclass(frozen=True)
class Benchmark:
    name: str
    paths: tuple[str, ...]
    text: tuple[str, ...]
    id: str | None = None
    format: str = "auto"


@dataclass(frozen=True)
class Item:
    benchmark: str
    item_id: str
    field: str
    text: str


def benchmarks_of(against: dict[str, Any], where: str = "decontaminate.against") -> list[Benchmark]:
    """The benchmarks params name, checked (ParamsError naming the key); in name order."""
    found = []
    for name, spec in sorted(against.items()):
        if not isinstance(spec, dict):
            raise ParamsError(f"{where}.{name}: expected a mapping with paths and text, got {spec!r}")
        if unknown := sorted(set(spec) - SPEC_KEYS):
            raise ParamsError(f"{where}.{name}: unknown key(s) {unknown}; known: {sorted(SPEC_KEYS)}")
        paths, text = spec.get("paths"), spec.get("text")
        paths = [paths] if isinstance(paths, str) else paths
        text = [text] if isinstance(text, str) else text
        if not paths or not all(isinstance(p, str) for p in paths):
            raise ParamsError(f"{where}.{name}.paths: expected a path or glob, or a list of them, got {paths!r}")
        if not text or not all(isinstance(t, str) for t in text):
            raise ParamsError(f"{where}.{name}.text: expected the text field(s) to read, got {text!r}")
        if ":" in name or not name.strip():
            raise ParamsError(f"{where}: a benchmark name cannot be empty or hold ':', got {name!r}")
        if spec.get("format", "auto") not in FORMATS:
            raise ParamsError(f"{where}.{name}.format: {spec['format']!r} is not one of {', '.join(FORMATS)}")
        found.append(Benchmark(name, tuple(paths), tuple(text), spec.get("id"), spec.get("format", "auto")))
    return found


def benchmark_files(benchmark: Benchmark, bases: list[Path]) -> list[Path]:
    """Every file the benchmark's paths and globs name, sorted; a relative one is looked for in each of `bases`
    in turn (beside the params file, then the project, as other files params name). None found: UsageError."""
    files: set[Path] = set()
    for pattern in benchmark.paths:
        matched: list[Path] = []
        for base in bases if not Path(pattern).is_absolute() else [Path("/")]:
            path = base / pattern
            matched = ([Path(m) for m in glob.glob(str(path), recursive=True)] if glob.has_magic(str(path))
                       else [path] if path.is_file() else [])
            if matched:
                break
        if not matched:
            raise UsageError(f"decontaminate.against.{benchmark.name}: {pattern} matches no file (looked in "
                             f"{', '.join(map(str, bases))})")
        files.update(matched)
    return sorted(files)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_items(benchmark: Benchmark, path: Path) -> Iterator[Item]:
    """The items of one file, in file order; empty texts skipped."""
    where = f"decontaminate.against.{benchmark.name}: {path}"
    kind = _format(benchmark, path)
    if kind == "klue_sentences":
        for item_id, sentence in _klue_sentences(path):
            yield Item(benchmark.name, item_id, "sentence", sentence)
        return
    for row_number, record in enumerate(_records(path, kind, where)):
        if not isinstance(record, dict):
            raise UsageError(f"{where}: record {row_number} is not an object with fields")
        if benchmark.id is not None and benchmark.id not in record:
            raise UsageError(f"{where}: record {row_number} has no id field {benchmark.id!r}; "
                             f"its fields: {sorted(record)}")
        item_id = str(record[benchmark.id]) if benchmark.id is not None else f"{path.stem}:{row_number}"
        for field in benchmark.text:
            if field not in record:
                raise UsageError(f"{where}: record {row_number} has no text field {field!r}; its fields: "
                                 f"{sorted(record)}")
            if isinstance(record[field], str) and record[field].strip():
                yield Item(benchmark.name, item_id, field, record[field])


def _format(benchmark: Benchmark, path: Path) -> str:
    if benchmark.format != "auto":
        return benchmark.format
    suffix = path.suffix.lower().lstrip(".")
    if suffix in ("tsv", "csv", "txt"):
        with path.open(encoding="utf-8", errors="replace") as handle:
            return "klue_sentences" if handle.read(2) == "##" else ("csv" if suffix == "csv" else "tsv")
    if suffix in ("json", "jsonl", "parquet"):
        return suffix
    raise UsageError(f"decontaminate.against.{benchmark.name}: {path}: cannot tell its format from {path.suffix!r}; "
                     f"name one (format: {', '.join(FORMATS[1:])})")


def _records(path: Path, kind: str, where: str) -> Iterator[Any]:
    try:
        if kind == "parquet":
            yield from pq.read_table(path).to_pylist()
        elif kind == "jsonl":
            with path.open(encoding="utf-8") as handle:
                yield from (json.loads(line) for line in handle if line.strip())
        elif kind == "json":
            document = json.loads(path.read_text(encoding="utf-8"))
            records = document.get("data") if isinstance(document, dict) else document
            if not isinstance(records, list):
                raise UsageError(f"{where}: expected a list of objects (or an object whose data is one)")
            yield from records
        else:
            with path.open(encoding="utf-8", newline="") as handle:
                yield from csv.DictReader(handle, delimiter="\t" if kind == "tsv" else ",")
    except (OSError, UnicodeDecodeError, ValueError) as error:
        if isinstance(error, UsageError):
            raise
        raise UsageError(f"{where}: cannot read it as {kind}: {' '.join(str(error).split())[:200]}") from None


_ENTITY = re.compile(r"<([^<>:]+):[A-Z]{2,3}>")  # KLUE NER marks entities in the sentence: <경찰:OG>은 …


def _klue_sentences(path: Path) -> Iterator[tuple[str, str]]:
    """`## <id>\\t<sentence>` lines (the id has no space; the file's header comments do), NER's
    entity marks taken off (`<경찰:OG>은` → `경찰은`)."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("## ") and "\t" in line:
                head, _, sentence = line[3:].rstrip("\n").partition("\t")
                if head and " " not in head and sentence.strip():
                    yield head, _ENTITY.sub(r"\1", sentence)
