"""What every raw shape works on (decoded lines with byte offsets) and what it yields (segments)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Protocol

from corpus.params import IngestParams
from corpus.sources import Line, UndecodableError, detect_encoding, split_lines
from corpus.text.sentences import ends_like_a_sentence

if TYPE_CHECKING:
    from corpus.sources import Source

__all__ = [
    "Format",
    "Line",
    "Role",
    "Segment",
    "UndecodableError",
    "detect_encoding",
    "ends_like_a_sentence",
    "non_blank",
    "split_lines",
]

Role = Literal["article", "teaser", "listing_entry", "link_list", "row"]



@dataclass(slots=True)
class Segment:
    """A candidate article: a span of lines plus what the shape could read off it."""

    first: Line
    last: Line
    body: str
    role: Role = "article"
    title: str | None = None
    date_text: str | None = None
    publisher: str | None = None
    reporters: list[str] = field(default_factory=list)
    section: str | None = None
    url: str | None = None
    cut_hint: bool = False  # the shape itself tells the body was cut (teaser, fixed-width line)
    raw: str | None = None  # the decoded text of the span, when the shape has it at hand
    error: str | None = None  # this span could not be read: the ledger reason (quarantine)
    note: str | None = None  # why a non-article role (e.g. link_list) is not an article


class Format(Protocol):
    """A raw shape: says whether a file looks like it (from its name and first MiB) and cuts it."""

    name: str

    def detect(self, source: Source) -> str | None:
        """Why the file has this shape (the evidence, in a few words), or None when it does not."""
        ...

    def segment(self, source: Source, params: IngestParams) -> Iterator[Segment]: ...


def non_blank(lines: list[Line]) -> list[Line]:
    return [line for line in lines if line.stripped]
