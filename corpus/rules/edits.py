"""What a cleaning rule changed, recorded while it runs, and mapped back to the raw text.

Rules stay plain `str -> str` functions. They make their length-changing changes through `sub` and
`keep_lines`, which, while a `recording()` block is active, log each pass as a list of edits in that
pass's input coordinates. `to_source` maps any span of a later pass back through the earlier passes to
the text the first step received (the raw segment body), so the ledger can say which raw characters
each rule removed without storing them.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Edit:
    start: int  # in the pass's input
    end: int
    replacement: str

    @property
    def delta(self) -> int:
        return len(self.replacement) - (self.end - self.start)


Pass = tuple[Edit, ...]
_ACTIVE: ContextVar[list[Pass] | None] = ContextVar("corpus_edit_recorder", default=None)


@contextmanager
def recording() -> Iterator[list[Pass]]:
    """Collect the passes of every rule called inside the block, in order."""
    passes: list[Pass] = []
    token = _ACTIVE.set(passes)
    try:
        yield passes
    finally:
        _ACTIVE.reset(token)


def _log(edits: list[Edit]) -> None:
    passes = _ACTIVE.get()
    if passes is not None and edits:
        passes.append(tuple(edits))


def sub(pattern: re.Pattern[str], replacement: str | Callable[[re.Match[str]], str], text: str) -> str:
    """`pattern.sub(replacement, text)` that logs each match whose replacement differs from it."""
    if isinstance(replacement, str):
        if "\\" in replacement:  # a template (\1, \g<name>): expanded per match
            return sub(pattern, lambda match: match.expand(replacement), text)
        edits = [Edit(m.start(), m.end(), replacement) for m in pattern.finditer(text) if m.group() != replacement]
        return apply(edits, text)
    edits = []
    for match in pattern.finditer(text):
        new = replacement(match)
        if new != match.group():
            edits.append(Edit(match.start(), match.end(), new))
    return apply(edits, text)


def apply(edits: list[Edit], text: str) -> str:
    """The text with the edits (sorted, non-overlapping, in its coordinates) made, and logged."""
    if not edits:
        return text
    pieces, last = [], 0
    for edit in edits:
        pieces += [text[last : edit.start], edit.replacement]
        last = edit.end
    pieces.append(text[last:])
    _log(edits)
    return "".join(pieces)


def keep_lines(text: str, keep: Callable[[str], bool]) -> str:
    """The lines for which `keep` is true, joined by newlines; each dropped line is logged with its newline
    (a dropped last line takes the newline before it instead)."""
    lines = text.split("\n")
    spans, offset = [], 0
    for index, line in enumerate(lines):
        end = offset + len(line) + (1 if index < len(lines) - 1 else 0)
        spans.append((offset, end, keep(line)))
        offset = end
    if all(kept for _, _, kept in spans):
        return text
    last_kept = max((i for i, (_, _, kept) in enumerate(spans) if kept), default=-1)
    edits = []
    for index, (start, end, kept) in enumerate(spans):
        if kept and index == last_kept and end > start and text[end - 1 : end] == "\n":
            edits.append(Edit(end - 1, end, ""))  # the kept text no longer goes on after this line
        elif not kept:
            edits.append(Edit(start, end, ""))
    _log(_merged(edits))
    return "\n".join(line for line, (_, _, kept) in zip(lines, spans, strict=True) if kept)


def _merged(edits: list[Edit]) -> list[Edit]:
    merged: list[Edit] = []
    for edit in edits:
        if merged and merged[-1].end == edit.start and not merged[-1].replacement and not edit.replacement:
            merged[-1] = Edit(merged[-1].start, edit.end, "")
        else:
            merged.append(edit)
    return merged


def cut(text: str, start: int, end: int) -> str:
    """Remove text[start:end] (e.g. a byline found by a parser), logging it."""
    return apply([Edit(start, end, "")], text) if start < end else text


class _Back:
    """Maps positions in a pass's output to its input."""

    def __init__(self, edits: Pass) -> None:
        self.edits = edits
        self.out_starts, self.shifts_after = [], []
        shift = 0
        for edit in edits:
            self.out_starts.append(edit.start + shift)
            shift += edit.delta
            self.shifts_after.append(shift)

    def position(self, p: int, side: str) -> int:
        """A span start maps past a deletion at p; a span end maps before it."""
        find = bisect.bisect_right if side == "start" else bisect.bisect_left
        i = find(self.out_starts, p) - 1
        if i < 0:
            return p
        edit = self.edits[i]
        if p < self.out_starts[i] + len(edit.replacement):  # inside a replacement: cover all it replaced
            return edit.start if side == "start" else edit.end
        return p - self.shifts_after[i]


def to_source(passes: list[Pass], upto: int, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans in the input of pass `upto`, mapped back to the input of pass 0."""
    backs = [_Back(passes[k]) for k in range(upto - 1, -1, -1)]
    mapped = []
    for start, end in spans:
        for back in backs:
            start, end = back.position(start, "start"), back.position(end, "end")
        mapped.append((start, end))
    return mapped
