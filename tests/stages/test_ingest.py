from collections import Counter

import pytest

from corpus.params import IngestParams
from corpus.stages.ingest import BadInputError, decode_span, run
from tests.conftest import SEED_FILES, SEEDS


def _rows(folder, params=None):
    return list(run(folder, params or IngestParams(), Counter()))


def test_every_seed_is_segmented_as_pinned():
    roles = Counter((r["provenance"]["source_path"], r["provenance"]["role"]) for r in _rows(SEEDS))
    assert roles == {
        (SEED_FILES["snippets"], "article"): 4,
        (SEED_FILES["page_newsk21"], "article"): 1,
        (SEED_FILES["page_newsk21"], "teaser"): 7,
        (SEED_FILES["snippets_bylined"], "article"): 10,
        (SEED_FILES["page_tvseoul"], "article"): 1,
        (SEED_FILES["page_tvseoul"], "teaser"): 2,
        (SEED_FILES["listing"], "listing_entry"): 10,
    }


def test_each_segment_byte_span_rereads_its_raw_text_from_the_source():
    for row in _rows(SEEDS):
        provenance = row["provenance"]
        data = (SEEDS / provenance["source_path"]).read_bytes()
        raw = decode_span(data, provenance["byte_start"], provenance["byte_end"], provenance["encoding"])
        assert raw == row["raw_text"]
        assert row["body"].strip() in raw


def test_ids_do_not_depend_on_file_names_or_order(tmp_path):
    for name in SEED_FILES.values():
        (tmp_path / f"renamed-{name[::-1]}").write_bytes((SEEDS / name).read_bytes())
    original = sorted(r["article_id"] for r in _rows(SEEDS))
    renamed = sorted(r["article_id"] for r in _rows(tmp_path))
    assert original == renamed


def test_unreadable_files_become_error_rows_and_the_rest_is_still_read(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.bin").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "good.txt").write_bytes((SEEDS / SEED_FILES["snippets"]).read_bytes())
    rows = _rows(tmp_path)
    errors = {r["provenance"]["source_path"]: r["error"] for r in rows if r["error"]}
    assert errors["empty.txt"] == "empty file"
    assert errors["binary.bin"].startswith("undecodable: binary file")
    assert sum(1 for r in rows if not r["error"]) == 4


def test_on_bad_input_error_names_the_file(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"   \n")
    with pytest.raises(BadInputError, match=r"empty\.txt: empty file"):
        _rows(tmp_path, IngestParams(on_bad_input="error"))


def test_format_override_by_glob(tmp_path):
    (tmp_path / "a.txt").write_bytes((SEEDS / SEED_FILES["snippets"]).read_bytes())
    rows = _rows(tmp_path, IngestParams(formats={"*.txt": "page_dump"}))
    assert {r["provenance"]["source_format"] for r in rows} == {"page_dump"}
