"""A segment's raw body, read again from its raw file, with the cleaning edits of the ledger laid over it.

The release keeps where each segment came from (file, byte span, sha256) and which characters of its raw
body each rule removed or replaced, not the raw text itself. The article page reads the raw file from the
folder the release was built from, checks its sha256, cuts it into segments the way ingest did and takes the
body of the segment with this id: the text the first cleaning step received, in whose coordinates the
ledger's spans are.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus.params import IngestParams
from corpus.plumbing.digests import file_sha256

RULE = re.compile(r"^(?P<name>.+?)_v(?P<version>\d+)$")
MASKING = ("pii",)  # rules that replace what they find by a mask instead of removing it
VISIBLE = str.maketrans({"\n": "⏎\n", " ": "␣", "\u00a0": "⍽", "\t": "⇥"})  # removed whitespace, made visible


@dataclass(frozen=True, slots=True)
class RawBody:
    text: str | None
    problem: str | None  # why there is no text to show


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of the raw body and the rules that removed or replaced it (none: kept)."""

    text: str
    rules: tuple[str, ...]

    @property
    def label(self) -> str:
        return ", ".join(rule_label(rule) for rule in self.rules)

    @property
    def shown(self) -> str:
        """Whitespace-only removals made visible (a removed line break or space would be invisible)."""
        if self.rules and not self.text.strip():
            return self.text.translate(VISIBLE) or "‸"
        return self.text


def rule_label(rule: str) -> str:
    """`byline_v2` → `byline v2`; the action is said by the page (removed, or masked for PII rules)."""
    match = RULE.match(rule)
    return f"{match['name']} v{match['version']}" if match else rule


def rule_action(rule: str) -> str:
    return "masked" if rule.startswith(MASKING) else "removed"


def pieces(body: str, edits: list[dict[str, Any]]) -> list[Piece]:
    """The body cut at every edit boundary; each run names the rules whose spans cover it. An insertion (an
    empty span, e.g. a space sentence_spacing added) is an empty run at its place."""
    cuts = {0, len(body)}
    inserted: dict[int, list[str]] = {}
    covering: list[tuple[int, int, str]] = []
    for edit in edits:
        for span in edit["spans"]:
            start, end = max(0, span["start"]), min(len(body), span["end"])
            if start >= end:
                inserted.setdefault(start, []).append(edit["rule"])
                cuts.add(start)
            else:
                covering.append((start, end, edit["rule"]))
                cuts.update((start, end))
    bounds = sorted(cuts)
    runs: list[Piece] = []
    for left, right in zip(bounds, [*bounds[1:], None], strict=True):
        if left in inserted:
            runs.append(Piece("", tuple(dict.fromkeys(inserted[left]))))
        if right is None:
            break
        rules = tuple(dict.fromkeys(rule for start, end, rule in covering if start <= left and right <= end))
        if runs and runs[-1].rules == rules and rules == ():
            runs[-1] = Piece(runs[-1].text + body[left:right], ())
        else:
            runs.append(Piece(body[left:right], rules))
    return runs


class RawFolder:
    """The folder a release was built from, read with the ingest params it was built with; the segment bodies
    of the last few raw files opened are kept (a page is often opened again, or a file's other segments)."""

    KEEP_FILES = 16

    def __init__(self, root: Path | None, params: IngestParams) -> None:
        self.root, self.params = root, params
        self._files: OrderedDict[tuple[str, int, int], tuple[dict[str, str], str]] = OrderedDict()

    def body(self, provenance: dict[str, Any]) -> RawBody:
        """The segment's raw body, or why it cannot be shown."""
        relative = provenance["source_path"]
        if self.root is None:
            return RawBody(None, "no raw folder: start `corpus explore` with --raw DIR, the folder the release "
                                 "was built from, to see the raw text")
        path = self.root / relative
        if not path.is_file():
            return RawBody(None, f"{relative} is not in {self.root}")
        bodies, sha256 = self._segments(path, relative)
        if sha256 != provenance["source_sha256"]:
            return RawBody(None, f"{relative} in {self.root} is not the file the release was built from (sha256 "
                                 f"{sha256[:12]}…, the release says {provenance['source_sha256'][:12]}…)")
        body = bodies.get(provenance["segment_id"])
        if body is None:
            return RawBody(None, f"{relative} no longer cuts into this segment: read with other ingest params "
                                 "than the release was built with (--params)")
        return RawBody(body, None)

    def _segments(self, path: Path, relative: str) -> tuple[dict[str, str], str]:
        """segment id → raw body for one raw file, as ingest cuts it, and the file's sha256."""
        from corpus.stages.ingest import read_file

        stat = path.stat()
        key = (relative, stat.st_mtime_ns, stat.st_size)
        if key not in self._files:
            assert self.root is not None
            rows = read_file(path, relative, self.params, self.root)
            self._files[key] = ({row["segment_id"]: row["body"] for row in rows}, file_sha256(path))
            while len(self._files) > self.KEEP_FILES:
                self._files.popitem(last=False)
        self._files.move_to_end(key)
        return self._files[key]
