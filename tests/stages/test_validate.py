import hashlib
import json
import random
import statistics
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from corpus.params import ValidateParams
from corpus.plumbing.shards import UNIT_KEY
from corpus.quality import quality_signals
from corpus.record import WORK_SCHEMA
from corpus.stages import validate
from corpus.stages.validate import Tally, ValidateJob, plan_groups, validate_units
from tests.conftest import ROOT

SUITE = ROOT / "schema" / "expectations" / "record_rows.json"
KST = ZoneInfo("Asia/Seoul")
PARAMETERS = ValidateParams().expectation_parameters
GOOD_TEXT = (
    "광주시가 벤처기업협회와 손잡고 국가인공지능 데이터센터 등 기반시설을 활용해 "
    "인공지능 실증도시 조성에 박차를 가한다."
)


def _row(index, **changes):
    row = {
        "id": f"{index:024x}", "title": "광주시, 인공지능 실증도시 조성", "text": GOOD_TEXT, "publisher": "뉴스21",
        "reporters": ["장병기"], "published_at": datetime(2024, 3, 7, 19, 33, 20, tzinfo=KST), "section": None,
        "url": None, "is_truncated": False,
        "provenance": {"segment_id": f"s{index:023x}", "source_path": "x.txt", "source_sha256": "0" * 64,
                       "byte_start": 0, "byte_end": 1, "line_start": 1, "line_end": 1, "source_format": "page_dump",
                       "shape_evidence": "page_dump",
                       "encoding": "utf-8", "segment_index": index, "role": "article", "pipeline_version": "t",
                       "params_sha256": ""},
    }
    row.update(changes)
    row["quality"] = quality_signals(row["text"] or "")
    return row


def _clean_output(folder: Path, rows: list[dict], unit: str = "00000") -> Path:
    """Rows as clean writes them: one unit's records shard, with its unit key (even rows that break the
    schema's nullability, which clean itself would not write)."""
    (folder / "clean").mkdir(exist_ok=True)
    nullable = pa.schema([field.with_nullable(True) for field in WORK_SCHEMA])  # GX checks nullability
    schema = nullable.with_metadata({UNIT_KEY: unit.encode() * 12})
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), folder / "clean" / f"records-{unit}-00000.parquet")
    return folder / "clean"


def _validate(rows, batch_rows=ValidateParams.batch_rows):
    """The rows through one real validate job: passed rows, reasons per quarantined segment, the tally."""
    params = ValidateParams(expectation_parameters=PARAMETERS, batch_rows=batch_rows)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        clean = _clean_output(folder, rows)
        job = ValidateJob(("00000",), ("00000" * 12,), clean, folder, SUITE, params, "chain", None)
        tally = Tally()
        tally.merge(validate_units(job))
        passed = pq.read_table(folder / "records-00000-00000.parquet")
        removals = pq.read_table(folder / "removed-00000-00000.parquet").to_pylist()
        result = json.loads((folder / "gx-00000-00000.json").read_text(encoding="utf-8"))
    assert result["suite_name"] == "record_rows" and len(result["results"]) == len(json.loads(SUITE.read_text())[
        "expectations"])  # GX's own result for the run is kept for the Data Docs
    return passed, {r["segment_id"]: r["reasons"] for r in removals}, tally


def test_good_rows_pass_the_real_gx_suite():
    passed, removed, tally = _validate([_row(1), _row(2)])
    assert passed.num_rows == 2 and not removed
    assert tally.counts == {"total": 2, "kept": 2, "quarantined": 0}


def test_each_bad_row_is_quarantined_with_the_failed_expectation():
    rows = [
        _row(1),
        _row(2, published_at=datetime(2045, 1, 1, tzinfo=KST)),
        _row(3, text="짧다."),
        _row(10, text=""),
        _row(4, text="The quick brown fox jumps over the lazy dog again and again, all in English text here."),
        _row(5, text=GOOD_TEXT + " 문의 010-1234-5678"),
        _row(6, id="not-an-id"),
        _row(7, text=GOOD_TEXT + " 제보 tips@news21.kr"),
        _row(8, text=GOOD_TEXT + " 연락처 <PHON 으로"),
        _row(9, text=GOOD_TEXT + " 연락처 <PHONE> 와 <EMAIL> 로"),
    ]
    passed, removed, tally = _validate(rows)
    assert passed.column("id").to_pylist() == [f"{1:024x}", f"{9:024x}"]  # well-formed masks pass
    reasons = {key[-1]: " ".join(value) for key, value in removed.items()}
    assert "expect_column_values_to_be_between(published_at)" in reasons["2"]
    assert "expect_column_values_to_be_between(text_length): 3" in reasons["3"]
    assert "expect_column_values_to_be_between(quality_hangul_ratio)" in reasons["4"]
    assert "expect_column_values_to_be_null(found_mobile_phone)[no_mobile_phone]: 010-1234-5678" in reasons["5"]
    assert "expect_column_values_to_match_regex(id): not-an-id" in reasons["6"]
    assert "expect_column_values_to_be_null(found_email)[no_email]: tips@news21.kr" in reasons["7"]
    assert "[masks_well_formed]: <PHON " in reasons["8"]
    assert "expect_column_values_to_be_between(text_length): 0" in reasons["a"]
    assert tally.counts["quarantined"] == 8


def test_runs_and_read_batches_of_any_size_give_the_same_verdicts(monkeypatch):
    bad = {0: {"text": "짧다."}, 5: {"id": "not-an-id"}, 6: {"text": ""}, 13: {"text": "짧다."}, 19: {"text": ""}}
    rows = [_row(i + 1, **bad.get(i, {})) for i in range(20)]
    whole = _validate(rows)
    monkeypatch.setattr(validate, "READ_ROWS", 3)
    cut = _validate(rows, batch_rows=7)  # GX runs of 6 rows (two read batches), the last of 2
    assert cut[0].equals(whole[0]) and cut[1] == whole[1] and cut[2].counts == whole[2].counts
    assert sorted(int(segment[1:], 16) - 1 for segment in cut[1]) == sorted(bad)


def test_a_null_id_is_quarantined():
    _, removed, _ = _validate([_row(1, id=None)])
    [reasons] = removed.values()
    assert "expect_column_values_to_not_be_null(id): None" in reasons


def test_any_outlet_passes_and_a_publisher_that_is_not_an_outlet_name_is_a_warning_not_a_quarantine():
    rows = [_row(1, publisher="새매체"), _row(2, publisher="홍길동 기자"), _row(3, publisher="https://news.example")]
    passed, removed, tally = _validate(rows)
    assert passed.num_rows == 3 and not removed
    label = "expect_column_values_to_not_match_regex(publisher)[publisher_is_an_outlet_name]"
    assert tally.warnings == {label: {"홍길동 기자", "https://news.example"}}


def test_a_shard_with_a_wrong_type_fails_the_build_naming_the_column(tmp_path):
    from corpus.plumbing.shards import SchemaMismatchError
    from corpus.stages import StagePaths
    from corpus.stages.validate import main

    table = pa.Table.from_pylist([_row(1)], schema=WORK_SCHEMA)
    broken = table.set_column(table.schema.get_field_index("published_at"), "published_at",
                              pa.array(["2024-03-07 19:33:20"]))
    (tmp_path / "clean").mkdir()
    broken = broken.replace_schema_metadata({UNIT_KEY: b"0" * 64})
    pq.write_table(broken, tmp_path / "clean" / "records-00000-00000.parquet")
    paths = StagePaths(tmp_path, tmp_path, tmp_path / "release", ROOT)
    expected = r"column 'published_at' is string, expected timestamp\[s, tz=Asia/Seoul\]"
    with pytest.raises(SchemaMismatchError, match=expected):
        main(paths, ValidateParams())


# Expectations whose verdict on a row depends on that row alone. Validate keys a unit's output on its own
# rows only (later stages reuse it when new units join its group): an expectation outside this set, or a
# `mostly` threshold, would make a row's verdict depend on its neighbours.
ROW_LOCAL = {
    "expect_column_values_to_not_be_null", "expect_column_values_to_be_null", "expect_column_values_to_match_regex",
    "expect_column_values_to_be_between", "expect_column_value_lengths_to_be_between",
    "expect_column_values_to_be_in_set", "expect_column_values_to_not_match_regex",
}


def test_the_row_suite_judges_each_row_on_its_own():
    suite = json.loads(SUITE.read_text(encoding="utf-8"))
    for expectation in suite["expectations"]:
        assert expectation["type"] in ROW_LOCAL, expectation["type"]
        assert "mostly" not in expectation["kwargs"], expectation["type"]


def test_a_unit_joining_a_group_reruns_gx_on_the_group_but_takes_the_other_units_files_from_the_cache(tmp_path):
    params = ValidateParams(expectation_parameters=PARAMETERS)
    clean = _clean_output(tmp_path, [_row(i) for i in range(4)] + [_row(4, text="너무 짧다.")], "00000")
    _clean_output(tmp_path, [_row(i) for i in range(10, 13)] + [_row(13, text=None)], "00001")
    cache = tmp_path / "cache"

    def run(units, output, cache_root):
        output.mkdir()
        job = ValidateJob(units, tuple(unit * 12 for unit in units), clean, output, SUITE, params, "chain",
                          cache_root)
        return validate_units(job)

    def files(output):
        return {path.name: path for path in output.iterdir()}

    run(("00000",), tmp_path / "first", str(cache))
    grown = run(("00000", "00001"), tmp_path / "grown", str(cache))
    first, again = files(tmp_path / "first"), files(tmp_path / "grown")
    for name in ("records-00000-00000.parquet", "removed-00000-00000.parquet"):
        assert again[name].stat().st_ino == first[name].stat().st_ino  # taken from the cache, not written
    assert again["gx-00000-00000.json"].read_bytes() != first["gx-00000-00000.json"].read_bytes()
    assert grown["counts"] == {"total": 9, "kept": 7, "quarantined": 2}

    cold = run(("00000", "00001"), tmp_path / "cold", None)
    warm = run(("00000", "00001"), tmp_path / "warm", str(cache))
    assert grown == cold == warm
    for name, path in files(tmp_path / "cold").items():
        assert again[name].read_bytes() == path.read_bytes() == files(tmp_path / "warm")[name].read_bytes(), name
    assert {name.split("-")[0] for name in files(tmp_path / "cold")} == {"records", "removed", "gx"}
    removed = pq.read_table(again["removed-00001-00000.parquet"]).column("segment_id").to_pylist()
    assert removed == [_row(13)["provenance"]["segment_id"]]


def _unit_keys(count, salt=""):
    return [hashlib.sha256(f"{salt}{i}".encode()).hexdigest() for i in range(count)]


def test_groups_keep_unit_order_and_fit_one_gx_run_unless_a_unit_alone_is_larger():
    rows = [random.Random(3).randint(200, 2_000) for _ in range(300)] + [25_000, 300]
    groups = plan_groups(rows, _unit_keys(len(rows)), 20_000)
    assert [i for group in groups for i in group] == list(range(len(rows)))
    sizes = [sum(rows[i] for i in group) for group in groups]
    assert [size for size in sizes if size > 20_000] == [25_000]  # the oversized unit, in a group of its own
    assert [rows[i] for i in groups[-2]] == [25_000]
    assert max(len(group) for group in groups) < 40 and statistics.mean(sizes) > 5_000


def test_a_new_unit_usually_changes_only_the_group_it_joins():
    """The GX runs a rebuild redoes after one unit is inserted anywhere, for realistic unit sizes: one run in
    most places; a cut made for size moves now and then, and the next group is run again too."""
    chance = random.Random(11)
    rows, keys = [chance.randint(200, 2_000) for _ in range(400)], _unit_keys(400)
    before = {tuple(keys[i] for i in group) for group in plan_groups(rows, keys, 20_000)}
    runs = []
    for at in range(len(rows)):
        grown_rows, grown_keys = [*rows[:at], 1_000, *rows[at:]], [*keys[:at], *_unit_keys(1, f"new{at}"), *keys[at:]]
        after = [tuple(grown_keys[i] for i in group) for group in plan_groups(grown_rows, grown_keys, 20_000)]
        runs.append(sum(group not in before for group in after))
    assert min(runs) >= 1
    assert statistics.mean(runs) < 1.4 and runs.count(1) / len(runs) > 0.65  # closing groups at batch_rows: 2.5, 36%


def test_an_article_in_another_language_is_quarantined_naming_its_language():
    japanese = ("市は火曜日、ベンチャー企業協会と協力協定を結んだ。当局者によると、新しい人工知能センターは来年春に"
                "開設される予定だという。")
    mixed_script = ("政府는 來年度 豫算案을 國會에 提出하고 經濟 活性化 方案을 發表했다. "
                    "光州市는 人工知能 産業 育成을 爲해 支援한다.")
    _, removed, _ = _validate([_row(1, text=japanese), _row(2, text=mixed_script)])
    reasons = {key[-1]: " ".join(value) for key, value in removed.items()}
    assert "expect_column_values_to_be_in_set(quality_language)[language_is_korean]: ja" in reasons["1"]
    assert "quality_language" not in reasons.get("2", "")  # Korean in mixed script is Korean (its Hangul ratio
    # below min_hangul_ratio is another expectation's business)
