"""Records one a line without a header: `2019.06.25.<TAB>뉴시스<TAB>제목<TAB>본문<TAB>https://…` in a .txt file,
or `20180516,정치,국민일보,제목,본문, with commas` (the body's commas unquoted).

Detected from the whole sample: most lines split into the same number of tab-separated fields, or open
with the same number of short comma-separated fields before a long one. What each column holds is read off
its values, since no header names it: dates (most values parse as dates), links, the text (the longest,
prose), the title (the longest of the rest, beside the text), the section (values from the vocabulary of
news sections) and the publisher (the other short column). Streamed line by line.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from corpus.fields.dates import parse_kst
from corpus.fields.reporters import OUTLET_PARTS
from corpus.formats.base import Segment
from corpus.formats.line_snippets import filled_lines
from corpus.params import IngestParams
from corpus.sources import Source

MIN_FIELDS = 3
CONSISTENT = 0.8  # of the sample's lines that must have the file's field layout
SHORT_FIELD = 100  # a leading comma-separated field longer than this is where the text begins
TEXT_MEDIAN = 100  # the text column's median length, at least
TITLES_DISTINCT = 0.8  # of a column's values that differ: headlines (an outlet's name repeats)
# Desks of Korean news sites and feeds (a domain vocabulary, not a list of sources).
SECTIONS = frozenset({
    "정치", "경제", "사회", "국제", "세계", "문화", "생활", "생활문화", "생활/문화", "it", "과학", "it과학", "it/과학",
    "연예", "스포츠", "오피니언", "사설", "칼럼", "지역", "전국", "부동산", "증권", "산업", "금융", "교육", "건강",
    "북한", "정책", "사람들", "인물", "economy", "politics", "society", "world", "culture", "sports", "tech",
    "science", "entertainment", "opinion", "business", "local", "national", "international", "it일반",
})


@dataclass(frozen=True)
class Layout:
    delimiter: str
    fields: int  # fields a line splits into (the last takes the rest of the line, for commas)
    roles: dict[int, str]  # column → field (date, url, text, title, section, publisher)
    lines: int
    fitting: int

    @property
    def why(self) -> str:
        kind = "tab-separated" if self.delimiter == "\t" else "comma-separated (the last takes the rest)"
        columns = ", ".join(self.roles.get(i, "?") for i in range(self.fields))
        return (f"fielded_lines: {self.fields} {kind} fields a line in {self.fitting} of {self.lines} lines, "
                f"no header; columns by their values: {columns}")


class FieldedLines:
    name = "fielded_lines"
    splittable = True  # a record a line: a part starts past any newline

    def detect(self, source: Source) -> str | None:
        layout = layout_of(source)
        return layout.why if layout else None

    def segment(self, source: Source, params: IngestParams) -> Iterator[Segment]:
        layout = layout_of(source)
        assert layout is not None, "segment is called on files detect accepted"
        for line in filled_lines(source):
            if isinstance(line, Segment):
                yield line
                continue
            cells = _split(line.text, layout)
            if len(cells) != layout.fields:
                yield Segment(first=line, last=line, body="", raw=line.text,
                              error=f"line {line.number} has {len(cells)} fields, the file's lines have "
                                    f"{layout.fields}")
                continue
            value = {role: cells[column].strip() or None for column, role in layout.roles.items()}
            yield Segment(first=line, last=line, body=value.get("text") or "", raw=line.text,
                          title=value.get("title"), date_text=value.get("date"), url=value.get("url"),
                          publisher=value.get("publisher"), section=value.get("section"))


def layout_of(source: Source) -> Layout | None:
    if "fielded" not in source.memo:
        lines = [line.text.rstrip("\r") for line in source.sample_lines() if line.stripped]
        source.memo["fielded"] = next((found for delimiter in ("\t", ",") if (found := _layout(lines, delimiter))),
                                      None)
    return source.memo["fielded"]


def _layout(lines: list[str], delimiter: str) -> Layout | None:
    if len(lines) < 2 or sum(line.count(delimiter) >= MIN_FIELDS - 1 for line in lines) < CONSISTENT * len(lines):
        return None
    if delimiter == "\t":
        counts = Counter(line.count("\t") + 1 for line in lines)
    else:
        counts = Counter(_leading_short(line) + 1 for line in lines)
    fields, fitting = counts.most_common(1)[0]
    if fields < MIN_FIELDS or fitting < CONSISTENT * len(lines):
        return None
    layout = Layout(delimiter, fields, {}, len(lines), fitting)
    rows = [cells for line in lines if len(cells := _split(line, layout)) == fields]
    roles = column_roles(rows, fields)
    typed = {"date", "url"} & set(roles.values())
    if "text" not in roles.values() or (not typed and (delimiter == "," or "title" not in roles.values())):
        return None
    return Layout(delimiter, fields, roles, len(lines), fitting)


def _leading_short(line: str) -> int:
    """How many short comma-separated fields open the line before a long one (the text) begins."""
    cells = line.split(",")
    for index, cell in enumerate(cells):
        if len(cell) > SHORT_FIELD:
            return index
    return 0


def _split(line: str, layout: Layout) -> list[str]:
    if layout.delimiter == "\t":
        return line.split("\t")
    return line.split(",", layout.fields - 1)


def column_roles(rows: list[list[str]], fields: int) -> dict[int, str]:
    """What each column holds, from its values."""
    columns = [[row[i].strip() for row in rows] for i in range(fields)]
    medians = [statistics.median(len(value) for value in column) for column in columns]
    roles: dict[int, str] = {}
    for i, column in enumerate(columns):
        filled = [value for value in column if value]
        if not filled:
            continue
        if sum(value.startswith(("http://", "https://")) for value in filled) >= CONSISTENT * len(filled):
            roles[i] = "url"
        elif medians[i] <= 30 and sum(parse_kst(value) is not None for value in filled) >= CONSISTENT * len(filled):
            roles[i] = "date"
    free = [i for i in range(fields) if i not in roles]
    if not free:
        return roles
    text = max(free, key=lambda i: medians[i])
    if medians[text] < TEXT_MEDIAN:
        return roles
    roles[text] = "text"
    rest = [i for i in free if i != text and medians[i] > 0]
    # A headline differs on every line; an outlet's or a section's name repeats.
    distinct = {i: len(set(columns[i])) / len(columns[i]) for i in rest}
    titled = [i for i in rest if 8 <= medians[i] <= 200 and distinct[i] >= TITLES_DISTINCT]
    if titled:
        roles[max(titled, key=lambda i: (medians[i], -abs(i - text)))] = "title"
    short = [i for i in rest if i not in roles and medians[i] <= 25]
    for i in short:
        values = [value.lower().replace(" ", "") for value in columns[i] if value]
        if values and sum(value in SECTIONS for value in values) >= 0.5 * len(values):
            roles[i] = "section"
    left = [i for i in short if i not in roles]
    if left:
        roles[max(left, key=lambda i: sum(any(part in v for part in OUTLET_PARTS) for v in columns[i]))] = "publisher"
    return roles
