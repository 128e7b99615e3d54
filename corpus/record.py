"""The published record and ledger schemas, derived from the JSON Schemas in schema/.

schema/*.schema.json is the contract; this module turns it into Arrow schemas so that writing,
validation and the dataset card all agree with one file.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema"
KST = "Asia/Seoul"
SPLITS = ("train", "validation", "test")

_SCALARS: dict[str, pa.DataType] = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
}
_ARROW_HINTS: dict[str, pa.DataType] = {
    "timestamp[s, tz=Asia/Seoul]": pa.timestamp("s", tz=KST),
}


@cache
def load_json_schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


def _resolve(node: dict[str, Any], document: str) -> tuple[dict[str, Any], str]:
    ref = node.get("$ref")
    if ref is None:
        return node, document
    target_doc, _, pointer = ref.partition("#")
    document = target_doc or document
    resolved: Any = load_json_schema(document)
    for part in filter(None, pointer.split("/")):
        resolved = resolved[part]
    return _resolve(resolved, document)


def _arrow_type(node: dict[str, Any], document: str) -> tuple[pa.DataType, bool]:
    node, document = _resolve(node, document)
    types = node["type"] if isinstance(node["type"], list) else [node["type"]]
    nullable = "null" in types
    (kind,) = [t for t in types if t != "null"]
    if "x-arrow-type" in node:
        return _ARROW_HINTS[node["x-arrow-type"]], nullable
    if kind == "array":
        item_type, _ = _arrow_type(node["items"], document)
        return pa.list_(item_type), nullable
    if kind == "object":
        return pa.struct(_arrow_fields(node, document)), nullable
    return _SCALARS[kind], nullable


def _arrow_fields(node: dict[str, Any], document: str) -> list[pa.Field]:
    required = set(node.get("required", []))
    fields = []
    for name, child in node["properties"].items():
        arrow_type, nullable = _arrow_type(child, document)
        fields.append(pa.field(name, arrow_type, nullable=nullable or name not in required))
    return fields


def arrow_schema_from_json_schema(name: str) -> pa.Schema:
    return pa.schema(_arrow_fields(load_json_schema(name), name))


RECORD_SCHEMA = arrow_schema_from_json_schema("record.schema.json")
LEDGER_SCHEMA = arrow_schema_from_json_schema("ledger.schema.json")
PROVENANCE_TYPE: pa.StructType = RECORD_SCHEMA.field("provenance").type
QUALITY_TYPE: pa.StructType = RECORD_SCHEMA.field("quality").type

# Internal shape between ingest and clean: the segment's body plus what its format could read off it.
# (The raw span itself is not copied: provenance points at it in the raw file.)
SEGMENT_SCHEMA = pa.schema(
    [
        pa.field("segment_id", pa.string(), nullable=False),
        pa.field("article_id", pa.string()),
        pa.field("body", pa.string(), nullable=False),
        pa.field("title", pa.string()),
        pa.field("date_text", pa.string()),
        pa.field("publisher", pa.string()),
        pa.field("reporters", pa.list_(pa.string())),
        pa.field("section", pa.string()),
        pa.field("url", pa.string()),
        pa.field("cut_hint", pa.bool_(), nullable=False),
        pa.field("error", pa.string()),  # the span could not be read: quarantine with this reason
        pa.field("note", pa.string()),  # why a non-article role (e.g. link_list) is not an article
        pa.field("provenance", PROVENANCE_TYPE, nullable=False),
    ]
)

EDITS_TYPE = LEDGER_SCHEMA.field("edits").type

# Records between clean and split: the published row before duplicate clusters and contamination are known.
WORK_SCHEMA = pa.schema([field for field in RECORD_SCHEMA if field.name not in ("dedup", "contamination")])

# Removal notices stages write for segments that leave the flow; publish folds them into the ledger.
REMOVAL_SCHEMA = pa.schema(
    [
        pa.field("segment_id", pa.string(), nullable=False),
        pa.field("article_id", pa.string()),
        pa.field("fate", pa.string(), nullable=False),
        pa.field("reasons", pa.list_(pa.string()), nullable=False),
    ]
)


def schema_fingerprint(name: str = "record.schema.json") -> str:
    """sha256 of the canonical JSON of a schema file: pinned by a test, bumped only with a MAJOR release."""
    canonical = json.dumps(load_json_schema(name), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
