"""Listing pages: entries separated by `-` lines, each title, issuing body, body and date (seed 004)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from corpus.formats.base import Line, Segment, non_blank
from corpus.params import IngestParams
from corpus.sources import Source

SEPARATOR = re.compile(r"^[-—–]$")
DATE_ONLY = re.compile(r"^\d{4}[-.]\d{1,2}[-.]\d{1,2}\.?$")
BRACKET_BYLINE = re.compile(r"^[\[【(]")
# Government bodies and public institutions end in these words; a line that short is an issuer, not a subtitle.
ISSUER = re.compile(r"^[가-힣A-Za-z· ]{2,20}(부|처|청|원|위원회|공단|공사|재단|본부|실|시|군|구|도)$")


class Listing:
    name = "listing"

    def detect(self, source: Source) -> str | None:
        separators = dates = 0
        for line in source.sample_lines():
            text = line.stripped
            if len(text) == 1:
                separators += bool(SEPARATOR.match(text))
            elif text[:1].isdigit():
                dates += bool(DATE_ONLY.match(text))
            if separators >= 2 and dates >= 2:
                return "listing: entries between '-' lines, each with a date line"
        return None

    def segment(self, source: Source, params: IngestParams) -> Iterator[Segment]:
        for block in _blocks(source.all_lines()):
            entry = _entry(block)
            if entry is not None:
                yield entry


def _blocks(lines: list[Line]) -> Iterator[list[Line]]:
    block: list[Line] = []
    for line in lines:
        if SEPARATOR.match(line.stripped):
            yield block
            block = []
        else:
            block.append(line)
    yield block


def _entry(block: list[Line]) -> Segment | None:
    filled = non_blank(block)
    date_lines = [line for line in filled if DATE_ONLY.match(line.stripped)]
    if not date_lines or len(filled) < 3:
        return None  # page chrome before the first separator (e.g. "MORE NEWS"), not an entry
    date = date_lines[-1]
    content = [line for line in filled if line is not date]
    body = next((line for line in content if BRACKET_BYLINE.match(line.stripped)), None)
    body = body or max(content[1:], key=lambda line: len(line.stripped))
    title = content[0]
    between = content[1 : content.index(body)]
    issuer = next((line.stripped for line in between if ISSUER.match(line.stripped)), None)
    return Segment(
        first=title,
        last=date,
        body=body.text,
        role="listing_entry",
        title=title.stripped,
        date_text=date.stripped,
        section=issuer,
    )
