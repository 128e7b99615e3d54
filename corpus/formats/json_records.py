"""JSON exports, one article a record: JSON Lines (an object a line, streamed) and JSON documents (a list of
records, or a list of them under some key, `{"data": {"items": [...]}}`; or one object: one record).

A record's fields may be nested; they are found by their keys (corpus.formats.records). A record of a
document keeps the byte span of its text in the file, found by walking the document's tokens to the list.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from corpus.formats.base import Line, Segment
from corpus.formats.line_snippets import filled_lines
from corpus.formats.records import missing_text, nested_map, record_segment, value_at
from corpus.params import IngestParams
from corpus.sources import Source

_DECODER = json.JSONDecoder()
_WHITESPACE = " \t\r\n"


class JsonLines:
    """One JSON object per line."""

    name = "jsonl"
    splittable = True  # a record a line: a part starts past any newline

    def detect(self, source: Source) -> str | None:
        if source.suffix in (".jsonl", ".ndjson"):
            return f"jsonl: the file name ends in {source.suffix}"
        first = next((line.stripped for line in source.sample_lines() if line.stripped), "")
        if not first.startswith("{"):
            return None
        try:
            return "jsonl: the first line is a JSON object" if isinstance(json.loads(first), dict) else None
        except json.JSONDecodeError:
            return None

    def segment(self, source: Source, params: IngestParams) -> Iterator[Segment]:
        for line in filled_lines(source):
            if isinstance(line, Segment):
                yield line
                continue
            try:
                row = json.loads(line.text)
            except json.JSONDecodeError as error:
                yield Segment(first=line, last=line, body="", raw=line.text,
                              error=f"line {line.number} is not JSON: {error.msg} at column {error.colno}")
                continue
            if not isinstance(row, dict):
                yield Segment(first=line, last=line, body="", raw=line.text,
                              error=f"line {line.number} is JSON but not an object")
                continue
            yield _record(row, line, line, line.text, params, f"line {line.number}")


class JsonDocument:
    """A JSON file holding a list of records (or one record), read whole (up to max_document_bytes)."""

    name = "json"

    def detect(self, source: Source) -> str | None:
        if source.suffix == ".json":
            return "json: the file name ends in .json"
        head = source.head.lstrip(b"\xef\xbb\xbf" + _WHITESPACE.encode())
        if head.startswith(b"[") and head[1:].lstrip(_WHITESPACE.encode()).startswith((b"{", b"]")):
            return "json: the file starts with a JSON list of objects"
        return None

    def segment(self, source: Source, params: IngestParams) -> Iterator[Segment]:
        data = source.read_bytes()
        offset = 3 if source.encoding == "utf-8-sig" else 0
        codec = "utf-8" if source.encoding == "utf-8-sig" else source.encoding
        text = data[offset:].decode(codec, errors="replace")
        whole = Line(1, offset, len(data), "")
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            yield Segment(first=whole, last=whole, body="", raw="",
                          error=f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}")
            return
        path = records_path(document)
        items = value_at(document, ".".join(path)) if path else document
        if not isinstance(items, list):
            yield _record(items, whole, whole, text, params, "the document") if isinstance(items, dict) else \
                Segment(first=whole, last=whole, body="", raw="", error="JSON holds no object to read as an article")
            return
        positions = _Positions(text, codec, offset)
        for number, (item, (start, end)) in enumerate(zip(items, element_spans(text, path), strict=True), start=1):
            first, last = positions.line(start), positions.line(end)
            if not isinstance(item, dict):
                yield Segment(first=first, last=last, body="", raw=text[start:end],
                              error=f"item {number} of the list is not an object")
                continue
            yield _record(item, first, last, text[start:end], params, f"item {number}")


def _record(item: dict[str, Any], first: Line, last: Line, raw: str, params: IngestParams, where: str) -> Segment:
    mapping = nested_map(item, params.columns)
    if problem := missing_text(mapping, sorted(item), params.columns):
        return Segment(first=first, last=last, body="", raw=raw, error=f"{where}: {problem}")
    return record_segment(item, mapping, first, last, raw, read=value_at)


def records_path(document: Any, depth: int = 0) -> list[str]:
    """Keys leading to the document's list of records: none for a list; under an object, the longest list of
    objects among its values, looked for down to three levels."""
    if not isinstance(document, dict) or depth >= 3:
        return []
    best: tuple[int, list[str]] = (0, [])
    for key, value in document.items():
        if isinstance(value, list) and sum(isinstance(item, dict) for item in value) > best[0]:
            best = (sum(isinstance(item, dict) for item in value), [key])
        elif isinstance(value, dict):
            inner = records_path(value, depth + 1)
            count = len(value_at(value, ".".join(inner)) or []) if inner else 0
            if count > best[0]:
                best = (count, [key, *inner])
    return best[1]


def element_spans(text: str, path: list[str]) -> list[tuple[int, int]]:
    """(start, end) character offsets of each element of the list at `path` in the JSON `text`."""
    at = _skip(text, 0)
    for key in path:
        at = _member(text, at, key)
    assert text[at] == "[", "records_path leads to a list"
    spans, at = [], _skip(text, at + 1)
    while text[at] != "]":
        _, end = _DECODER.raw_decode(text, at)
        spans.append((at, end))
        at = _skip(text, end)
        if text[at] == ",":
            at = _skip(text, at + 1)
    return spans


def _member(text: str, at: int, wanted: str) -> int:
    """The offset of the value of `wanted` in the object starting at `at`."""
    at = _skip(text, at + 1)
    while text[at] != "}":
        key, at = _DECODER.raw_decode(text, at)
        at = _skip(text, _skip(text, at) + 1)  # past the colon
        if key == wanted:
            return at
        _, at = _DECODER.raw_decode(text, at)
        at = _skip(text, at)
        if text[at] == ",":
            at = _skip(text, at + 1)
    raise KeyError(wanted)


def _skip(text: str, at: int) -> int:
    while at < len(text) and text[at] in _WHITESPACE:
        at += 1
    return at


class _Positions:
    """Character offsets → (line number, byte offset), for offsets asked in increasing order."""

    def __init__(self, text: str, codec: str, offset: int) -> None:
        self.text, self.codec = text, codec
        self.char, self.byte, self.number = 0, offset, 1

    def line(self, char: int) -> Line:
        piece = self.text[self.char : char]
        self.byte += len(piece.encode(self.codec, errors="replace"))
        self.number += piece.count("\n")
        self.char = char
        return Line(self.number, self.byte, self.byte, "")
