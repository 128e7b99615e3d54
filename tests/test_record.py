import json

import pyarrow as pa

from corpus.record import LEDGER_SCHEMA, RECORD_SCHEMA, SCHEMA_DIR, schema_fingerprint

# Changing schema/record.schema.json is a MAJOR release: update this pin only together with the version.
# 1.0.0: quality.language and language_score, contamination.
RECORD_SCHEMA_FINGERPRINT = "516926fff2b6820bbb16d36f677672f422ac6422f1a76c65c4f9887929bbb1af"


def test_arrow_schema_has_every_json_schema_property_in_order():
    document = json.loads((SCHEMA_DIR / "record.schema.json").read_text(encoding="utf-8"))
    assert RECORD_SCHEMA.names == list(document["properties"])


def test_nullability_follows_the_json_schema_types():
    assert RECORD_SCHEMA.field("title").nullable
    assert not RECORD_SCHEMA.field("text").nullable
    assert not RECORD_SCHEMA.field("id").nullable
    assert RECORD_SCHEMA.field("published_at").type == pa.timestamp("s", tz="Asia/Seoul")
    assert RECORD_SCHEMA.field("reporters").type == pa.list_(pa.string())


def test_ledger_provenance_is_the_record_provenance():
    assert LEDGER_SCHEMA.field("provenance").type == RECORD_SCHEMA.field("provenance").type


def test_schema_fingerprint_is_pinned():
    assert schema_fingerprint() == RECORD_SCHEMA_FINGERPRINT


def test_schema_readme_is_generated_from_the_schemas():
    from corpus.schema_docs import render_schema_readme

    assert (SCHEMA_DIR / "README.md").read_text(encoding="utf-8") == render_schema_readme(), (
        "schema/README.md is stale: run `corpus schema-docs`"
    )
