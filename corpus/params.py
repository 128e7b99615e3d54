"""Typed knobs, one dataclass per stage, read from the stage's key in params.yaml."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml

OnBadInput = Literal["quarantine", "error"]


DEFAULT_COLUMNS = {
    "title": ["title", "headline", "제목", "기사제목"],
    "text": ["text", "content", "body", "article", "본문", "내용", "기사본문"],
    "date": ["date", "published_at", "published", "pubdate", "datetime", "날짜", "일자", "등록일", "작성일"],
    "url": ["url", "link", "href", "링크", "주소"],
    "section": ["section", "category", "분류", "카테고리", "섹션"],
    "publisher": ["publisher", "press", "media", "source", "언론사", "매체"],
    "reporters": ["reporter", "reporters", "author", "authors", "byline", "기자"],
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
        "normalize_v1", "sentence_spacing_v1", "byline_v1", "boilerplate_v1", "pii_v3", "whitespace_v1",
    )
    keep_teasers: bool = False
    on_bad_input: OnBadInput = "quarantine"
    # Documents beyond these are dropped as dropped:quality (names: corpus.quality.THRESHOLDS).
    quality: dict[str, float] = field(
        default_factory=lambda: {"min_sentences": 1, "max_dup_line_fraction": 0.3, "max_latin_ratio": 0.5,
                                 "max_digit_ratio": 0.3}
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
            "min_hangul_ratio": 0.5,
            "published_after": "1990-01-01T00:00:00+09:00",
            "published_before": "2030-12-31T23:59:59+09:00",
            "known_publishers": [],
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
    version: str = "0.1.0"
    license: str = "other"
    rows_per_shard: int = 50_000
    row_group_rows: int = 2_000
    compression: str = "zstd"
    datasheet_template: str = "DATASHEET.md"  # hand-written prose with generated blocks
    release_date: str = ""  # set by `corpus release` (the release commit's date, YYYY-MM-DD)
    url: str = ""  # where the release is published, if anywhere
    license_url: str = ""
    takedown: str = "takedown.yaml"  # reviewed list of ids / URLs removed from every later release


STAGE_PARAMS: dict[str, type] = {
    "ingest": IngestParams,
    "clean": CleanParams,
    "validate": ValidateParams,
    "dedup": DedupParams,
    "split": SplitParams,
    "publish": PublishParams,
}

P = TypeVar("P")


def _build(cls: type[P], values: dict[str, Any] | None, where: str) -> P:
    values = values or {}
    known = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {unknown}; known: {sorted(known)}")
    converted = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
    return cls(**converted)


def load_stage_params(stage: str, path: Path | str = "params.yaml") -> Any:
    """The typed params of one stage; a missing file or key means the defaults."""
    path = Path(path)
    document = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    return _build(STAGE_PARAMS[stage], (document or {}).get(stage), f"{path}:{stage}")


def params_sha256(params: Any) -> str:
    canonical = json.dumps(dataclasses.asdict(params), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def chain_sha256(previous: str, params: Any) -> str:
    """Hash chain over the params of every stage a row went through."""
    return hashlib.sha256(f"{previous}:{params_sha256(params)}".encode()).hexdigest()
