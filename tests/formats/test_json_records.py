"""JSON documents: a list of records, nested fields found by key, each record's byte span in the file."""

import json

from corpus.formats import choose_format
from corpus.formats.json_records import element_spans, records_path
from corpus.params import IngestParams
from tests.conftest import open_raw, raw_file, seed_path

BODIES = seed_path("snippets_bylined").read_text(encoding="utf-8").splitlines()[:3]


def _records():
    return [{"raw_response": {"content_type": "text/html", "content": f"<html><body><p>{body}</p></body></html>"},
             "parsed_data": {"title": [f"제목 {n}"], "text": [body], "published_at": ["2023-04-19T23:32:12+09:00"],
                             "author": [{"@type": "Person", "name": "임소정"}],
                             "publisher": [{"@type": "Organization", "name": "MBC 뉴스"}],
                             "images": [{"url": "https://img.example/a.jpg"}]}}
            for n, body in enumerate(BODIES)]


def test_a_list_of_nested_records_reads_each_field_from_its_key(tmp_path):
    data = json.dumps(_records(), ensure_ascii=False, indent=2)
    source = open_raw(raw_file(tmp_path, "articles.json", data))
    shape, _ = choose_format(source, {})
    segments = list(shape.segment(source, IngestParams()))
    assert shape.name == "json" and len(segments) == 3
    first = segments[0]
    assert (first.title, first.publisher, first.reporters, first.date_text) == (
        "제목 0", "MBC 뉴스", ["임소정"], "2023-04-19T23:32:12+09:00")
    assert first.body == BODIES[0]  # the plain text, not the page's HTML
    assert first.url is None  # an image's URL is not the article's
    raw = data.encode()
    assert json.loads(raw[first.first.start : first.last.end]) == _records()[0]


def test_records_under_a_key_are_found_and_spanned():
    document = {"meta": {"count": 2}, "data": {"items": [{"제목": "가", "내용": "나"}, {"제목": "다", "내용": "라"}]}}
    text = json.dumps(document, ensure_ascii=False)
    assert records_path(document) == ["data", "items"]
    assert [json.loads(text[a:b]) for a, b in element_spans(text, ["data", "items"])] == document["data"]["items"]


def test_a_broken_json_document_is_one_quarantine_entry_saying_where(tmp_path):
    source = open_raw(raw_file(tmp_path, "broken.json", '[{"title": "가", "text": "나"},'))
    shape, _ = choose_format(source, {})
    [segment] = list(shape.segment(source, IngestParams()))
    assert segment.error.startswith("not valid JSON:") and "line 1" in segment.error
