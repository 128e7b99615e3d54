"""Reading benchmark files named in params: every format, the KLUE fixtures, and the user's mistakes."""

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from corpus.contamination.benchmarks import benchmark_files, benchmarks_of, read_items
from corpus.errors import ParamsError, UsageError
from tests.conftest import ROOT

KLUE = ROOT / "tests" / "fixtures" / "klue"


def _items(spec, base):
    (benchmark,) = benchmarks_of({"bench": spec})
    return [item for path in benchmark_files(benchmark, [base]) for item in read_items(benchmark, path)]


def test_the_klue_ner_and_dp_excerpts_give_their_sentences_without_entity_marks():
    ner = _items({"paths": ["klue-ner-v1.1_dev.excerpt.tsv"], "text": ["sentence"]}, KLUE)
    dp = _items({"paths": ["klue-dp-v1.1_dev.excerpt.tsv"], "text": "sentence"}, KLUE)
    assert len(ner) == 40 and len(dp) == 40
    assert ner[0].item_id == "klue-ner-v1_dev_00000-wikitree"
    assert ner[0].text.startswith("경찰은 또 성매매 알선 자금을 관리한 박씨의 딸(32)과")
    assert dp[0].text == "'K팝스타3’ 유희열이 홍정희의 탈락에 눈물을 흘렸다."


def test_the_klue_nli_excerpt_gives_premises_by_guid():
    nli = _items({"paths": ["*.json"], "text": ["premise"], "id": "guid"}, KLUE)
    assert len(nli) == 45 and nli[0].item_id.startswith("klue-nli-v1_dev_") and nli[0].field == "premise"


def test_tsv_jsonl_and_parquet_with_named_fields(tmp_path):
    (tmp_path / "a.tsv").write_text("qid\tquestion\tcontext\n1\t질문 하나\t문맥 하나\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(json.dumps({"qid": "2", "question": "질문 둘", "context": ""}) + "\n",
                                      encoding="utf-8")
    pq.write_table(pa.table({"qid": ["3"], "question": ["질문 셋"], "context": ["문맥 셋"]}), tmp_path / "c.parquet")
    items = _items({"paths": ["*.tsv", "*.jsonl", "c.parquet"], "text": ["question", "context"], "id": "qid"},
                   tmp_path)
    assert [(i.item_id, i.field, i.text) for i in items] == [
        ("1", "question", "질문 하나"), ("1", "context", "문맥 하나"), ("2", "question", "질문 둘"),
        ("3", "question", "질문 셋"), ("3", "context", "문맥 셋")]  # an empty text is no item


def test_without_an_id_field_items_are_named_by_file_and_row(tmp_path):
    (tmp_path / "set.json").write_text(json.dumps({"data": [{"text": "가"}, {"text": "나"}]}), encoding="utf-8")
    assert [i.item_id for i in _items({"paths": "set.json", "text": "text"}, tmp_path)] == ["set:0", "set:1"]


def test_a_path_or_glob_that_finds_nothing_is_a_usage_error_naming_it(tmp_path):
    with pytest.raises(UsageError, match=r"decontaminate.against.bench: nowhere/\*.tsv matches no file"):
        _items({"paths": ["nowhere/*.tsv"], "text": ["sentence"]}, tmp_path)


def test_a_missing_text_field_is_a_usage_error_listing_the_fields(tmp_path):
    (tmp_path / "a.jsonl").write_text(json.dumps({"guid": "1", "premise": "가"}) + "\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"record 0 has no text field 'hypothesis'; its fields: \['guid', 'premise'\]"):
        _items({"paths": ["a.jsonl"], "text": ["hypothesis"]}, tmp_path)


@pytest.mark.parametrize(("spec", "message"), [
    ({"text": ["x"]}, "bench.paths: expected a path or glob"),
    ({"paths": ["a"], "text": []}, "bench.text: expected the text field"),
    ({"paths": ["a"], "text": ["x"], "colour": "red"}, r"unknown key\(s\) \['colour'\]"),
    ({"paths": ["a"], "text": ["x"], "format": "xml"}, "bench.format: 'xml' is not one of"),
])
def test_a_bad_benchmark_spec_is_a_params_error(spec, message):
    with pytest.raises(ParamsError, match=message):
        benchmarks_of({"bench": spec})
