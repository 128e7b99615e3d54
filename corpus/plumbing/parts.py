"""Parts of one large raw file: byte windows cut at record boundaries, so several jobs read one file at once.

A part is planned as a nominal window of the stored bytes, `[k·PART_BYTES, (k+1)·PART_BYTES)`; the job that
reads it moves both ends to the next record boundary by itself, with no word from the jobs of the other
parts. Both neighbours compute the same boundary for the offset they share, so the parts tile the file
exactly, each record in one part. A boundary is the position just past a newline — for CSV, past a newline
with an even number of quote characters before it (a newline inside a quoted field has an odd number),
so a multi-line field is never cut. A stray quote can make that rule cut inside a field; the part before
such a cut then ends inside a quoted field, which its reader reports, and the file is read whole instead.

The line number of a part's first line is the count of newlines before it, so line numbers and byte
spans are those of the whole file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, NamedTuple

PART_BYTES = 8 << 20  # a raw file at least twice this large is read as parts of this size
SCAN = 1 << 20
QUOTE = b'"'  # the quote character CSV boundaries count (marks counts it before every part)


@dataclass(frozen=True)
class Window:
    start: int  # the first byte of the part's first record
    end: int  # just past its last record (the next part's start)
    first_line: int  # the 1-based line number of the line at `start`
    last: bool  # the window ends at the end of the file


def plan_parts(size: int, part_bytes: int | None = None) -> list[tuple[int, int]]:
    """The nominal windows of a file of `size` bytes: one window when it is under two parts' size."""
    part_bytes = part_bytes or PART_BYTES
    if size < 2 * part_bytes:
        return [(0, size)]
    starts = list(range(0, size, part_bytes))
    if size - starts[-1] < part_bytes // 2:  # a short tail joins the part before it
        starts.pop()
    return [(start, end) for start, end in zip(starts, [*starts[1:], size], strict=True)]


class Part(NamedTuple):
    """A nominal window, with the newlines and quote characters before each of its ends (counted once for
    every part of a file, by `marks`, so that no part job reads the file up to its own window)."""

    start: int
    end: int
    before_start: tuple[int, int]
    before_end: tuple[int, int]


def marks(stream: IO[bytes], offsets: list[int]) -> list[tuple[int, int]]:
    """(newlines, quote characters) before each of the ascending `offsets`, in one pass over the file."""
    found, newlines, quotes, position = [], 0, 0, 0
    stream.seek(0)
    for offset in offsets:
        while position < offset and (chunk := stream.read(min(SCAN, offset - position))):
            newlines, quotes = newlines + chunk.count(b"\n"), quotes + chunk.count(QUOTE)
            position += len(chunk)
        found.append((newlines, quotes))
    return found


def align(stream: IO[bytes], part: tuple[int, int], size: int, *, skip: int = 0, quote: bytes | None = None
          ) -> Window:
    """The window of the records that start in `part`: both ends moved to the next record boundary.
    `skip`: bytes at the head that belong to no record (a byte order mark, a header row); `quote`: the
    quote character of a CSV file, whose boundaries must also have an even count of it before them. A plain
    (start, end) pair counts what comes before its ends itself."""
    if not isinstance(part, Part):
        part = Part(*part, *marks(stream, [part[0], part[1]]))
    start, lines = _boundary(stream, part.start, part.before_start, skip, quote)
    end = size if part.end >= size else _boundary(stream, part.end, part.before_end, skip, quote)[0]
    return Window(start, max(start, end), lines + 1, end >= size)


def _boundary(stream: IO[bytes], offset: int, before: tuple[int, int], skip: int, quote: bytes | None
              ) -> tuple[int, int]:
    """The first record boundary at or after `offset` (a boundary sits just past a newline), and the newlines
    before it; `before`: the newlines and quotes before `offset`. (Quotes are counted from the file's start:
    a header row, a whole record, holds an even number of them.)"""
    if offset <= skip:
        return skip, marks(stream, [skip])[0][0]
    stream.seek(offset - 1)  # a newline just before `offset` makes `offset` itself a boundary
    previous = stream.read(1)
    newlines, quotes = before[0] - previous.count(b"\n"), before[1] - (previous.count(quote) if quote else 0)
    position = offset - 1
    stream.seek(position)
    while chunk := stream.read(SCAN):
        at = 0
        while (newline := chunk.find(b"\n", at)) >= 0:
            newlines += 1
            if quote:
                quotes += chunk.count(quote, at, newline)
            if not quote or quotes % 2 == 0:
                return position + newline + 1, newlines
            at = newline + 1
        if quote:
            quotes += chunk.count(quote, at)
        position += len(chunk)
    return position, newlines


class MisalignedPart(RuntimeError):
    """A record crosses a part's end: the part boundaries are not record boundaries in this file, which is
    then read whole."""
