from collections import Counter

import pytest

from corpus.params import IngestParams
from corpus.stages.ingest import BadInputError, decode_span, run
from tests.conftest import SEED_FILES, SEEDS


def _rows(folder, params=None):
    return list(run(folder, params or IngestParams(), Counter()))


def test_every_seed_is_segmented_as_pinned():
    # 000: four 600-character lines, one article each (line_snippets).
    # 001: a 뉴스21 page; the article runs from the headline (line 2) to the last paragraph (line 41);
    #      the seven "가장 많이 본 뉴스" items (lines 50-56) are teasers.
    # 002: ten snippet lines, each opening with the "데일리굿타임 유종운 기자 |" byline.
    # 003: a TV서울 page; weather widget and menus above, the article on lines 24-48; two sidebar teasers
    #      (the headline+preview on lines 51-53, and the preview under "더보기" on line 63).
    # 004: a 세종타임즈 listing of ten press releases between "-" lines.
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


def _mixed_folder(folder):
    """One file of every shape, derived from the seeds and the fixtures, some compressed."""
    import bz2
    import gzip
    import json

    import pyarrow as pa
    import pyarrow.parquet as pq

    fixtures = SEEDS.parent / "tests" / "fixtures" / "raw"
    for name in SEED_FILES.values():
        (folder / name).write_bytes((SEEDS / name).read_bytes())
    (folder / "page.html.gz").write_bytes(gzip.compress((fixtures / "tvseoul_article.html").read_bytes()))
    (folder / "front.html").write_bytes((fixtures / "section_front.html").read_bytes())
    (folder / "export.csv.bz2").write_bytes(bz2.compress((fixtures / "news_export.csv").read_bytes()))
    lines = (SEEDS / SEED_FILES["snippets_bylined"]).read_text(encoding="utf-8").splitlines()
    (folder / "rows.jsonl").write_text("\n".join(json.dumps({"text": t}, ensure_ascii=False) for t in lines[:3]),
                                       encoding="utf-8")
    pq.write_table(pa.table({"content": lines[3:5]}), folder / "rows.parquet")
    (folder / "cp949.txt").write_bytes((SEEDS / SEED_FILES["snippets"]).read_text(encoding="utf-8").encode("cp949"))
    (folder / "utf16.txt").write_bytes((SEEDS / SEED_FILES["listing"]).read_text(encoding="utf-8").encode("utf-16"))
    return folder


def test_every_shape_is_detected_in_a_mixed_folder(tmp_path):
    rows = _rows(_mixed_folder(tmp_path))
    shapes = {r["provenance"]["source_path"]: r["provenance"]["source_format"] for r in rows}
    assert shapes == {
        **{name: shape for name, shape in zip(SEED_FILES.values(), ("line_snippets", "page_dump", "line_snippets",
                                                                     "page_dump", "listing"), strict=True)},
        "page.html.gz": "html", "front.html": "html", "export.csv.bz2": "csv", "rows.jsonl": "jsonl",
        "rows.parquet": "parquet", "cp949.txt": "line_snippets", "utf16.txt": "listing",
    }
    assert not [r for r in rows if r["error"]]
    roles = {r["provenance"]["source_path"]: r["provenance"]["role"] for r in rows}
    assert roles["front.html"] == "link_list" and roles["page.html.gz"] == "article"


def test_byte_spans_reread_the_raw_text_in_every_shape(tmp_path):
    from corpus.sources import open_source

    folder = _mixed_folder(tmp_path)
    for row in _rows(folder):
        provenance = row["provenance"]
        if provenance["source_format"] == "parquet":
            continue  # spans count rows there
        source = open_source(folder / provenance["source_path"], provenance["source_path"], IngestParams())
        data = source.read_bytes()
        assert decode_span(data, provenance["byte_start"], provenance["byte_end"], source.encoding) == row["raw_text"]
        source.close()


def test_ids_do_not_change_with_cleaning_rules(tmp_path):
    from corpus.params import CleanParams
    from corpus.stages.clean import clean_segment, resolve_steps

    rows = [r for r in _rows(SEEDS) if r["provenance"]["role"] == "article"]
    full = resolve_steps(CleanParams().steps)
    minimal = resolve_steps(("normalize_v1",))
    for row in rows:
        with_all_rules = clean_segment(row, full, CleanParams()).record["id"]
        assert with_all_rules == clean_segment(row, minimal, CleanParams()).record["id"]


def test_nul_bytes_inside_text_do_not_stop_the_file(tmp_path):
    data = (SEEDS / SEED_FILES["snippets"]).read_bytes().replace("광주시는".encode(), "광주\x00시는".encode(), 1)
    (tmp_path / "nul.txt").write_bytes(data)
    rows = _rows(tmp_path)
    assert len(rows) == 4 and not any(r["error"] for r in rows)


def test_a_file_in_no_known_shape_says_so(tmp_path):
    (tmp_path / "menu.txt").write_text("홈\n정치\n경제\n사회\n", encoding="utf-8")
    [row] = _rows(tmp_path)
    assert row["error"] == "no article found in a page_dump file"


def test_a_file_swapped_for_an_outside_symlink_after_the_scan_is_refused_when_read(tmp_path):
    from corpus.rawfiles import scan_input
    from corpus.stages.ingest import fingerprint

    raw, outside = tmp_path / "raw", tmp_path / "secret.txt"
    raw.mkdir()
    outside.write_text("기밀", encoding="utf-8")
    (raw / "a.txt").write_text("기사", encoding="utf-8")
    [scanned] = list(scan_input(raw))
    assert not scanned.symlink
    (raw / "a.txt").unlink()
    (raw / "a.txt").symlink_to(outside)  # between the scan and the read
    params = IngestParams()
    assert fingerprint(raw / "a.txt", raw, params, trusted=None, symlink=False).digest == "outside"
    # a digest trusted by stat is not read, so not re-checked: the stat no longer matches in a real build
    assert fingerprint(raw / "a.txt", raw, params, trusted="d" * 64, symlink=False).digest == "d" * 64


@pytest.mark.parametrize("files", [100, 101])
def test_the_stage_lists_every_file_up_to_a_hundred_then_only_those_with_errors(tmp_path, capsys, files):
    from corpus.params import IngestParams as Params
    from corpus.stages import StagePaths
    from corpus.stages.ingest import main

    raw = tmp_path / "raw"
    raw.mkdir()
    snippet = (SEEDS / SEED_FILES["snippets_bylined"]).read_text(encoding="utf-8").splitlines()[3]
    for number in range(files - 1):
        (raw / f"f{number:03d}.txt").write_text(snippet + "\n", encoding="utf-8")
    (raw / "f050-bad.txt").write_bytes(b"\x00\x01\x02garbage\xff\x00")  # binary, among the first hundred
    main(StagePaths(raw, tmp_path / "work", tmp_path / "release"), Params())
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("ingest: ")]
    if files <= 100:
        assert [line.split(":")[1].strip() for line in lines] == sorted(p.name for p in raw.iterdir())
    else:
        assert len(lines) == 2 and "f050-bad.txt" in lines[0]
        assert lines[1].startswith(f"ingest: {files} files (listed above: those with errors)")


def test_a_file_s_summary_line_says_why_it_failed_in_the_singular(tmp_path, capsys):
    from corpus.params import IngestParams as Params
    from corpus.stages import StagePaths
    from corpus.stages.ingest import main

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "data.bin").write_bytes(b"\x00\x01garbage\x00")
    main(StagePaths(raw, tmp_path / "work", tmp_path / "release"), Params())
    [line] = [line for line in capsys.readouterr().err.splitlines() if line.startswith("ingest: data.bin")]
    assert line == "ingest: data.bin: 1 error (undecodable: binary file: NUL bytes and no UTF-16 byte order mark)"


def test_a_file_cut_into_sub_units_builds_the_same_release_every_core_can_work_on(tmp_path, monkeypatch):
    """One export of every seed article a line: read once, its rows cut into sub-units every few articles,
    cleaned in parallel; the release is byte-identical to the one built from a single unit, and from the
    cache. (The row Data Docs list GX's runs, one a group of units: the groups are held to one here, as they
    are for any plan when the rows fit one run and no unit key is a group boundary.)"""
    import corpus.stages.ingest
    import corpus.stages.validate
    from corpus.pipeline import run_all
    from corpus.plumbing.shards import unit_names
    from tests.conftest import PARAMS, checksums

    raw = tmp_path / "raw"
    raw.mkdir()
    lines = [line for name in ("snippets", "snippets_bylined") for line in
             (SEEDS / SEED_FILES[name]).read_text(encoding="utf-8").splitlines()]
    (raw / "export.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    whole = run_all(raw, tmp_path / "whole", PARAMS, work=str(tmp_path / "work-whole"))
    monkeypatch.setattr(corpus.stages.ingest.jobs, "OUTPUT_UNIT_CHARS", 2_000)
    monkeypatch.setattr(corpus.stages.validate, "GROUP_EVERY", 1 << 40)
    monkeypatch.setattr(corpus.stages.validate, "HALF_FULL_EVERY", 1 << 40)
    cut = run_all(raw, tmp_path / "cut", PARAMS, work=str(tmp_path / "work-cut"), cache=tmp_path / "cache")
    assert len(unit_names(tmp_path / "work-cut" / "clean", "records")) > 3
    again = run_all(raw, tmp_path / "again", PARAMS, cache=tmp_path / "cache")
    assert checksums(tmp_path / "whole") == checksums(tmp_path / "cut") == checksums(tmp_path / "again")
    assert whole == cut == again
