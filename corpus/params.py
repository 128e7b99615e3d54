"""Typed knobs, one dataclass per stage, read from the stage's key in params.yaml."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, TypeVar, get_args, get_origin, get_type_hints

import yaml

from corpus.errors import ParamsError

OnBadInput = Literal["quarantine", "error"]
BALANCE_DIMENSIONS = ("publisher", "section", "month", "length", "truncated")  # corpus.release.balance


DEFAULT_COLUMNS = {
    "title": ["title", "headline", "subject", "제목", "기사제목"],
    "text": ["text", "content", "contents", "body", "article", "articleBody", "본문", "내용", "기사본문"],
    "date": ["date", "published_at", "published", "pubdate", "datePublished", "datetime", "time", "날짜", "일자",
             "일시", "등록일", "작성일", "보도일", "게시일", "발행일", "입력일"],
    "url": ["url", "link", "href", "링크", "주소"],
    "section": ["section", "category", "articleSection", "분류", "카테고리", "섹션", "분야", "담당부서", "부서"],
    "publisher": ["publisher", "press", "media", "source", "outlet", "provider", "언론사", "신문사", "매체"],
    "reporters": ["reporter", "reporters", "author", "authors", "byline", "writer", "기자", "기자명", "작성자"],
}


@dataclass(frozen=True)
class IngestParams:
    formats: dict[str, str] = field(default_factory=dict)  # glob -> format name, overrides detection
    on_bad_input: OnBadInput = "quarantine"
    max_file_bytes: int = 4 << 30  # a stored file larger than this is refused
    max_decompressed_bytes: int = 4 << 30  # a compressed file expanding past this is a bomb
    max_document_bytes: int = 64 << 20  # page-like shapes (page dumps, listings, HTML) are read whole
    max_line_bytes: int = 8 << 20  # a longer line is quarantined, not read
    min_paragraph_chars: int = 40
    min_html_article_chars: int = 200  # less extracted text than this: a link list, not an article
    columns: dict[str, list[str]] = field(default_factory=lambda: {k: list(v) for k, v in DEFAULT_COLUMNS.items()})


@dataclass(frozen=True)
class CleanParams:
    steps: tuple[str, ...] = (
        "normalize_v1", "sentence_spacing_v1", "credits_v1", "byline_v2", "boilerplate_v2", "headline_v1", "pii_v3",
        "whitespace_v1",
    )
    keep_teasers: bool = False
    keep_photo_captions: bool = False  # photo items (a photo and its caption) are ledgered as dropped:photo_caption
    on_bad_input: OnBadInput = "quarantine"
    # Documents beyond these are dropped as dropped:quality (names: corpus.quality.THRESHOLDS).
    quality: dict[str, float] = field(
        default_factory=lambda: {"min_sentences": 1, "unended_min_chars": 100, "max_dup_line_fraction": 0.374,
                                 "max_latin_ratio": 0.5, "max_digit_ratio": 0.3}
    )


@dataclass(frozen=True)
class ValidateParams:
    suite: str = "schema/expectations/record_rows.json"
    batch_rows: int = 20_000
    # Values for the suite's {"$PARAMETER": name} placeholders.
    expectation_parameters: dict[str, Any] = field(
        default_factory=lambda: {
            "min_text_chars": 50,
            "max_text_chars": 200_000,
            "min_hangul_ratio": 0.4,
            "languages": ["ko"],
            "published_after": "1990-01-01T00:00:00+09:00",
            "published_before": "2030-12-31T23:59:59+09:00",
        }
    )


@dataclass(frozen=True)
class DedupParams:
    shingle: int = 5  # character n-gram size
    bands: int = 32  # LSH bands × rows = MinHash permutations
    rows: int = 4
    jaccard: float = 0.7  # a candidate pair is a near-duplicate when its estimated Jaccard is at least this
    seed: int = 1729
    previous_index: str = ""  # an earlier release folder (or one of its dedup index files) to dedup against


@dataclass(frozen=True)
class DecontaminateParams:
    # benchmark name -> {paths: [file or glob, …], text: [field, …], id: field, format: auto} (corpus.contamination)
    against: dict[str, dict[str, Any]] = field(default_factory=dict)
    policy: Literal["drop", "flag"] = "drop"  # an article holding an item: removed, or published and flagged
    unit: Literal["char", "eojeol"] = "char"  # n-grams of letters and digits, or of words
    n: int = 13
    min_overlap: float = 0.5  # share of an item's n-grams an article must hold


@dataclass(frozen=True)
class SplitParams:
    mode: Literal["hash", "temporal"] = "hash"
    train: float = 0.8
    validation: float = 0.1
    test: float = 0.1
    test_from: str = "2026-01-01T00:00:00+09:00"  # temporal mode: articles published from here on are test


@dataclass(frozen=True)
class PublishParams:
    pretty_name: str = "Korean News Corpus"
    dataset_name: str = "korean-news"
    version: str = "1.0.0"
    license: str = "other"
    rows_per_shard: int = 50_000
    row_group_rows: int = 2_000
    compression: str = "zstd"
    datasheet_template: str = "DATASHEET.md"  # hand-written prose with generated blocks
    release_date: str = ""  # set by `corpus release` (the release commit's date, YYYY-MM-DD)
    url: str = ""  # where the release is published, if anywhere
    license_url: str = ""
    takedown: str = "takedown.yaml"  # reviewed list of ids / URLs removed from every later release
    # Split balance (corpus.release.balance): the release checks fail when two splits of at least
    # balance_min_articles each differ in a gated dimension by more than max_split_divergence bits beyond chance.
    max_split_divergence: float = 0.05
    balance_min_articles: int = 1_000
    balance_gate: tuple[str, ...] = ("publisher", "section", "month", "length", "truncated")


STAGE_PARAMS: dict[str, type] = {
    "ingest": IngestParams,
    "clean": CleanParams,
    "validate": ValidateParams,
    "dedup": DedupParams,
    "decontaminate": DecontaminateParams,
    "split": SplitParams,
    "publish": PublishParams,
}

P = TypeVar("P")


def _build(cls: type[P], values: Any, where: str) -> P:
    if values is None:
        values = {}
    if not isinstance(values, dict):
        raise ParamsError(f"{where}: expected a mapping of keys to values, got {type(values).__name__} {values!r}")
    known = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ParamsError(f"{where}: unknown key(s) {unknown}; known: {sorted(known)}")
    hints = get_type_hints(cls)
    for name, value in values.items():
        if (problem := _type_problem(value, hints[name])) is not None:
            raise ParamsError(f"{where}.{name}: {problem}")
    converted = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
    instance = cls(**converted)
    if (problem := _range_problem(instance)) is not None:
        raise ParamsError(f"{where}.{problem}")
    return instance


def _type_problem(value: Any, hint: Any) -> str | None:
    """Why `value` does not fit the annotation (None when it does): named in one line for the user."""
    origin, args = get_origin(hint), get_args(hint)
    if origin is Literal:
        return None if value in args else f"{value!r} is not one of {', '.join(map(repr, args))}"
    if hint is Any:
        return None
    if hint is bool:
        return None if isinstance(value, bool) else f"expected true or false, got {value!r}"
    if hint is int:
        return None if isinstance(value, int) and not isinstance(value, bool) else f"expected an integer, got {value!r}"
    if hint is float:
        number = isinstance(value, int | float) and not isinstance(value, bool)
        return None if number else f"expected a number, got {value!r}"
    if hint is str:
        return None if isinstance(value, str) else f"expected a string, got {value!r}"
    if origin in (tuple, list):
        if not isinstance(value, list | tuple):
            return f"expected a list, got {value!r}"
        item = args[0]
        return next((f"item {i}: {p}" for i, v in enumerate(value) if (p := _type_problem(v, item)) is not None), None)
    if origin is dict:
        if not isinstance(value, dict):
            return f"expected a mapping, got {value!r}"
        key, item = args
        return next((f"{k}: {p}" for k, v in value.items()
                     if (p := _type_problem(k, key) or _type_problem(v, item)) is not None), None)
    return None


def _range_problem(params: Any) -> str | None:
    """A value of the right type that still cannot work (a negative size, fractions that add up to nothing)."""
    positive = [f.name for f in dataclasses.fields(params)
                if f.name.startswith(("max_", "min_")) or f.name in ("batch_rows", "rows_per_shard", "row_group_rows",
                                                                     "shingle", "bands", "rows", "n")]
    for name in positive:
        value = getattr(params, name)
        if isinstance(value, int | float) and not isinstance(value, bool) and value <= 0:
            return f"{name}: must be greater than 0, got {value!r}"
    if isinstance(params, SplitParams):
        for name in ("train", "validation", "test"):
            if getattr(params, name) < 0:
                return f"{name}: a split fraction cannot be negative, got {getattr(params, name)!r}"
        if params.train + params.validation + params.test <= 0:
            return "train: the split fractions add up to 0; give at least one split a share"
        try:
            datetime.fromisoformat(params.test_from)
        except ValueError:
            return f"test_from: not an ISO date-time like 2026-01-01T00:00:00+09:00: {params.test_from!r}"
    if isinstance(params, DedupParams) and not 0 < params.jaccard <= 1:
        return f"jaccard: must be in (0, 1], got {params.jaccard!r}"
    if isinstance(params, PublishParams) and (unknown := sorted(set(params.balance_gate) - set(BALANCE_DIMENSIONS))):
        return f"balance_gate: unknown dimension(s) {unknown}; known: {', '.join(BALANCE_DIMENSIONS)}"
    if isinstance(params, DecontaminateParams) and not 0 < params.min_overlap <= 1:
        return f"min_overlap: must be in (0, 1], got {params.min_overlap!r}"
    return None


def load_stage_params(stage: str, path: Path | str | None = "params.yaml") -> Any:
    """The typed params of one stage; no file (None, or the default params.yaml absent) or no key means the
    defaults. A file that is not YAML, a key or a value the stage does not know is a ParamsError naming it."""
    if path is None:
        return _build(STAGE_PARAMS[stage], None, f"defaults:{stage}")
    path = Path(path)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    except yaml.YAMLError as error:
        raise ParamsError(f"{path}: not valid YAML: {' '.join(str(error).split())}") from None
    if not isinstance(document or {}, dict):
        raise ParamsError(f"{path}: expected one key per stage, got {type(document).__name__}")
    if unknown := sorted(set(document or {}) - set(STAGE_PARAMS), key=str):
        raise ParamsError(f"{path}: unknown stage key(s) {unknown}; known: {', '.join(STAGE_PARAMS)}")
    return _build(STAGE_PARAMS[stage], (document or {}).get(stage), f"{path}:{stage}")


def params_sha256(params: Any) -> str:
    canonical = json.dumps(dataclasses.asdict(params), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def chain_sha256(previous: str, params: Any) -> str:
    """Hash chain over the params of every stage a row went through."""
    return hashlib.sha256(f"{previous}:{params_sha256(params)}".encode()).hexdigest()
