"""How a release is cited and described to machines: CITATION.cff, BibTeX/APA strings, croissant.json.

The fingerprint of a release is the sha256 of the checksum manifest of its data files (data/, ledger/,
dedup/): it names the exact bytes a paper used and is printed in the card, the citation and Croissant.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import yaml

from corpus.params import PublishParams
from corpus.plumbing.digests import file_sha256
from corpus.record import RECORD_SCHEMA, load_json_schema
from corpus.release.card import profile

DATA_FOLDERS = ("data", "ledger", "dedup")
AUTHOR = "Korean News Corpus maintainers"
ABSTRACT = ("Korean news articles cleaned, validated with Great Expectations, deduplicated (exact and MinHash) "
            "and split so that near-duplicates never straddle train and test, with per-article provenance and "
            "a ledger of every raw segment.")


def data_digests(release: Path) -> dict[str, str]:
    """sha256 of every data file (data/, ledger/, dedup/), by path relative to the release, in manifest
    order. Computed once per release: the fingerprint, Croissant and checksums.sha256 all reuse it."""
    return {
        path.relative_to(release).as_posix(): file_sha256(path)
        for folder in DATA_FOLDERS
        for path in sorted((release / folder).rglob("*"))
        if path.is_file()
    }


def fingerprint_of(digests: dict[str, str]) -> str:
    return hashlib.sha256("".join(f"{digest}  {name}\n" for name, digest in digests.items()).encode()).hexdigest()


def data_fingerprint(release: Path) -> str:
    return fingerprint_of(data_digests(release))


def citation_cff(params: PublishParams, fingerprint: str) -> dict[str, Any]:
    document: dict[str, Any] = {
        "cff-version": "1.2.0",
        "message": "If you use this dataset, please cite this release (version and fingerprint).",
        "type": "dataset",
        "title": params.pretty_name,
        "version": params.version,
        "authors": [{"name": AUTHOR}],
        "abstract": ABSTRACT,
        "keywords": ["Korean", "news", "corpus", "NLP", "deduplication", "provenance"],
        "identifiers": [{"type": "other", "value": f"sha256:{fingerprint}",
                         "description": "Release fingerprint: sha256 of the checksum manifest of the data files"}],
    }
    if params.release_date:
        document["date-released"] = params.release_date
    if params.url:
        document["url"] = params.url
    return document


def write_citation(path: Path, params: PublishParams, fingerprint: str) -> None:
    text = yaml.safe_dump(citation_cff(params, fingerprint), allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")


def bibtex(document: dict[str, Any]) -> str:
    version = document["version"]
    year = str(document.get("date-released", ""))[:4]
    key = f"korean_news_corpus_{version.replace('.', '_')}"
    fields = {
        "title": f"{{{document['title']}}}",
        "author": f"{{{document['authors'][0]['name']}}}",
        "version": version,
        "year": year,
        "note": f"Release fingerprint {document['identifiers'][0]['value']}",
        "url": document.get("url", ""),
    }
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items() if value)
    return f"@misc{{{key},\n{body}\n}}\n"


def apa(document: dict[str, Any]) -> str:
    year = str(document.get("date-released", "n.d."))[:4]
    url = f" {document['url']}" if document.get("url") else ""
    return (f"{document['authors'][0]['name']}. ({year}). {document['title']} (Version {document['version']}) "
            f"[Data set]. Fingerprint {document['identifiers'][0]['value']}.{url}\n")


_CROISSANT_TYPES = {"string": "TEXT", "int64": "INT64", "double": "FLOAT64", "bool": "BOOL"}


def _croissant_field(mlc: Any, field: pa.Field, description: str, file_set: str, parent: str | None = None) -> Any:
    """A Croissant field for an Arrow column; a struct's members are sub-fields read from its column."""
    field_id = f"articles/{parent}/{field.name}" if parent else f"articles/{field.name}"
    if isinstance(field.type, pa.StructType):
        sub_fields = [_croissant_field(mlc, child, "", file_set, field.name) for child in field.type]
        return mlc.Field(id=field_id, name=field.name, description=description, sub_fields=sub_fields)
    item = field.type.value_type if isinstance(field.type, pa.ListType) else field.type
    data_type = "DATETIME" if pa.types.is_timestamp(item) else _CROISSANT_TYPES[str(item)]
    extract = mlc.Extract(column=parent or field.name)
    transforms = [mlc.Transform(json_path=field.name)] if parent else []
    return mlc.Field(
        id=field_id, name=field.name, description=description, data_types=[getattr(mlc.DataType, data_type)],
        repeated=isinstance(field.type, pa.ListType),
        source=mlc.Source(file_set=file_set, extract=extract, transforms=transforms),
    )


def croissant(
    release: Path, params: PublishParams, stats: dict[str, Any], fingerprint: str, digests: dict[str, str]
) -> dict[str, Any]:
    """Croissant 1.x JSON-LD, built with mlcroissant's own classes, with the RAI fields we can fill honestly."""
    import mlcroissant as mlc  # heavy; only the publish stage needs it

    descriptions = {name: node.get("description", "") for name, node in
                    load_json_schema("record.schema.json")["properties"].items()}
    distribution = [
        mlc.FileObject(id=path.relative_to(release).as_posix(), name=path.relative_to(release).as_posix(),
                       content_url=path.relative_to(release).as_posix(), encoding_formats=["application/x-parquet"],
                       sha256=digests[path.relative_to(release).as_posix()])
        for path in sorted((release / "data").glob("*.parquet"))
    ]
    distribution.append(mlc.FileSet(id="article-shards", name="article-shards", includes=["data/*.parquet"],
                                    encoding_formats=["application/x-parquet"]))
    fields = [_croissant_field(mlc, field, descriptions.get(field.name, ""), "article-shards")
              for field in RECORD_SCHEMA]
    metadata = mlc.Metadata(
        name=params.dataset_name,
        description=f"{ABSTRACT} Release {params.version}, fingerprint sha256:{fingerprint}.",
        license=[params.license_url] if params.license_url else None,
        url=params.url or None,
        version=params.version,
        cite_as=bibtex(citation_cff(params, fingerprint)),
        in_language=["ko"],
        keywords=["Korean", "news", "corpus"],
        date_published=params.release_date or None,
        distribution=distribution,
        record_sets=[mlc.RecordSet(id="articles", name="articles", fields=fields,
                                   description=f"{stats['articles']} articles in train/validation/test")],
        data_collection=("Raw dumps of Korean news web pages saved by crawlers (line snippets, article pages, "
                         "listing pages, HTML, tabular exports), segmented into articles with byte-span provenance."),
        data_preprocessing_protocol=[("Unicode normalization, byline extraction, boilerplate removal, PII masking "
                                      "(e-mail, phone, resident, card and account numbers), GX row validation, "
                                      "exact and MinHash deduplication; every removal is in the ledger.")],
        personal_sensitive_information=[("Reporter names in public bylines are kept; e-mail addresses, phone, "
                                         "resident registration, card and account numbers are masked.")],
        data_limitations=[" ".join(profile(stats))],
        data_biases=["The corpus holds whatever raw files its maintainers gathered, not a sample of Korean news: "
                     "its outlets and periods are those listed in the datasheet."],
        data_use_cases=["Language modelling and domain adaptation for Korean; studies of Korean news language."],
        data_release_maintenance_plan=("Semantic versions: MAJOR for schema or split changes, MINOR for added "
                                       "articles, PATCH for text fixes; takedowns honoured by every later release."),
    )
    return metadata.to_json()


def write_croissant(path: Path, document: dict[str, Any]) -> None:
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
