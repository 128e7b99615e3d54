"""What every raw shape works on (decoded lines with byte offsets) and what it yields (segments)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal, Protocol

from charset_normalizer import from_bytes

from corpus.params import IngestParams

Role = Literal["article", "teaser", "listing_entry"]

SENTENCE_END = re.compile(r"[.!?。？！][\"'”’)\]」』]*$")


class UndecodableError(ValueError):
    """The bytes are not text in any encoding we can detect."""


@dataclass(frozen=True, slots=True)
class Line:
    number: int  # 1-based line number in the file
    start: int  # byte offset of the first byte of the line
    end: int  # byte offset just past the line's text (newline and CR excluded)
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()


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


class Format(Protocol):
    name: str

    def detect(self, lines: list[Line]) -> bool: ...

    def segment(self, lines: list[Line], params: IngestParams) -> Iterator[Segment]: ...


def detect_encoding(data: bytes) -> str:
    """UTF-8 first (the common case), then BOMs, then charset-normalizer (CP949 / EUC-KR / …)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise UndecodableError("binary file: NUL bytes and no UTF-16 byte order mark")
    best = from_bytes(data).best()
    if best is None:
        raise UndecodableError("no text encoding fits the bytes (charset-normalizer found none)")
    return best.encoding


def split_lines(data: bytes, encoding: str) -> list[Line]:
    """Decode into lines, keeping each line's byte span in the raw file."""
    if encoding.replace("_", "-").startswith("utf-16"):
        return _split_utf16(data)
    offset = 3 if encoding == "utf-8-sig" else 0
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    lines = []
    for number, raw in enumerate(data[offset:].split(b"\n"), start=1):
        end = offset + len(raw)
        if raw.endswith(b"\r"):
            raw = raw[:-1]
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError as error:
            raise UndecodableError(f"line {number} is not valid {encoding}: {error.reason}") from None
        lines.append(Line(number, offset, offset + len(raw), text))
        offset = end + 1
    if lines and not lines[-1].text and lines[-1].start == len(data):
        lines.pop()  # the file ended with a newline
    return lines


def _split_utf16(data: bytes) -> list[Line]:
    little = not data.startswith(b"\xfe\xff")
    codec = "utf-16-le" if little else "utf-16-be"
    try:
        text = data[2:].decode(codec)
    except UnicodeDecodeError as error:
        raise UndecodableError(f"not valid UTF-16: {error.reason}") from None
    lines, offset = [], 2
    for number, piece in enumerate(text.split("\n"), start=1):
        width = len(piece.encode(codec))
        content = piece[:-1] if piece.endswith("\r") else piece
        lines.append(Line(number, offset, offset + len(content.encode(codec)), content))
        offset += width + 2
    if lines and not lines[-1].text and lines[-1].start == len(data):
        lines.pop()
    return lines


def ends_like_a_sentence(text: str) -> bool:
    return bool(SENTENCE_END.search(text.rstrip()))


def non_blank(lines: list[Line]) -> list[Line]:
    return [line for line in lines if line.stripped]
