import bz2
import json

import pyarrow as pa
import pyarrow.parquet as pq

from corpus.formats.json_records import JsonLines
from corpus.formats.records import column_map
from corpus.formats.tabular import DelimitedText, ParquetRows
from corpus.params import IngestParams
from corpus.stages.ingest import decode_span
from tests.conftest import ROOT, open_raw, raw_file

FIXTURES = ROOT / "tests" / "fixtures" / "raw"
COLUMNS = IngestParams().columns


def test_column_names_are_matched_in_english_and_korean():
    assert column_map(["Title", "Content", "Date", "link"], COLUMNS) == {
        "title": "Title", "text": "Content", "date": "Date", "url": "link"}
    assert column_map(["제목", "본문", "날짜", "카테고리"], COLUMNS) == {
        "title": "제목", "text": "본문", "date": "날짜", "section": "카테고리"}


def test_csv_with_bom_and_quoted_multiline_fields():
    source = open_raw(FIXTURES / "news_export.csv")
    assert DelimitedText().detect(source)
    first, second = list(DelimitedText().segment(source, IngestParams()))
    assert first.title == "서초구, 양재 AI특구 우수기업센터 조성"
    assert first.body.count("\n") == 2 and first.body.endswith("조성할 계획이다.")
    assert (first.date_text, first.section, first.reporters) == ("2025-04-09 09:05:03", "지방자치", ["심현주"])
    assert (first.first.number, first.last.number) == (2, 4)  # the row spans three physical lines
    assert '"2025년 사회적기업 일자리 창출 지원사업"' in second.body
    data = (FIXTURES / "news_export.csv").read_bytes()
    for row in (first, second):
        assert decode_span(data, row.first.start, row.last.end, source.encoding) == row.raw


def test_broken_quoting_is_reported_and_later_rows_still_read(tmp_path):
    text = 'title,text\n"ok","첫 기사 본문입니다."\n"bad","따옴표가 "닫히지" 않은 채\n"fine","둘째 기사 본문입니다."\n'
    segments = list(DelimitedText().segment(open_raw(raw_file(tmp_path, "x.csv", text)), IngestParams()))
    assert segments[0].body == "첫 기사 본문입니다."
    assert any(s.error and s.error.startswith("broken CSV at line 3") for s in segments)


def test_a_csv_without_a_text_column_says_which_names_it_looked_for(tmp_path):
    [segment] = list(DelimitedText().segment(open_raw(raw_file(tmp_path, "x.csv", "a,b\n1,2\n")), IngestParams()))
    assert segment.error.startswith("no text column: none of ['text', 'content'")


def test_jsonl_rows_and_a_bad_line(tmp_path):
    good = {"Title": "제목 하나", "content": "본문 하나입니다.", "url": "https://x.kr/1"}
    rows = [json.dumps(good, ensure_ascii=False), "{not json", json.dumps([1, 2])]
    source = open_raw(raw_file(tmp_path, "x.jsonl", "\n".join(rows) + "\n"))
    assert JsonLines().detect(source)
    good, bad, not_object = list(JsonLines().segment(source, IngestParams()))
    assert (good.title, good.body, good.url) == ("제목 하나", "본문 하나입니다.", "https://x.kr/1")
    assert bad.error.startswith("line 2 is not JSON")
    assert not_object.error == "line 3 is JSON but not an object"


def test_parquet_rows_span_row_numbers(tmp_path):
    path = tmp_path / "x.parquet"
    pq.write_table(pa.table({"headline": ["가", "나"], "article": ["본문 가.", "본문 나."]}), path)
    source = open_raw(path)
    assert ParquetRows().detect(source)
    first, second = list(ParquetRows().segment(source, IngestParams()))
    assert (first.title, first.body, first.first.start, first.last.end) == ("가", "본문 가.", 0, 1)
    assert (second.first.start, second.last.end) == (1, 2)


def test_compressed_csv_is_read_like_the_plain_one(tmp_path):
    path = tmp_path / "news_export.csv.bz2"
    path.write_bytes(bz2.compress((FIXTURES / "news_export.csv").read_bytes()))
    source = open_raw(path)
    assert source.compression == "bzip2" and DelimitedText().detect(source)
    assert len(list(DelimitedText().segment(source, IngestParams()))) == 2
