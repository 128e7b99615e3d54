"""Work units: the raw files cut into groups that every row-local stage processes as one job.

A unit is one large raw file, a part of a very large one (a byte window cut at record boundaries, see
corpus.plumbing.parts), or a run of consecutive small ones (in path order). Its name (`00012`) is its
position in the plan and names its shards in every stage folder (`segments-00012-00000.parquet`,
`records-00012-00000.parquet` …), so stage outputs read back in raw-file order.

A unit's output is cut again as it is written: after OUTPUT_UNIT_CHARS of raw text, the rows go on under
the next sub-unit name (`00012`, `00012_00001`, `00012_00002` …, see UnitNames), so one large file — a
user's single JSONL or CSV export — is cleaned, validated and deduplicated on every core, while it is read
once, front to back, so line numbers and positions stay those of the whole file.

Small files are grouped so that a folder of a million one-article HTML pages is not a million jobs and
shards. Group ends are chosen like content-defined chunk boundaries: once a group holds MIN_GROUP_BYTES,
it closes after a file whose path hashes to a boundary (1 in GROUP_EVERY), and at GROUP_BYTES in any
case. Adding or removing a file therefore changes the group it falls in (at most splitting it, or
merging it with the next), and the cached results of every other unit stay valid.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from corpus.plumbing.parts import plan_parts

ALONE_BYTES = 1 << 20  # a file this large is a unit of its own
MIN_GROUP_BYTES = 4 << 20  # a group of small files holding this much closes…
GROUP_EVERY = 16  # …after a file whose path hash is 0 modulo this…
GROUP_BYTES = 16 << 20  # …and at this size whatever the paths
UNIT_NAME = r"\d{5}(?:_\d{5})?"  # a unit's name, or a sub-unit's (a regular expression)
OUTPUT_UNIT_CHARS = 4 << 20  # raw text a unit's output holds before it goes on under the next sub-unit name


@dataclass(frozen=True)
class Unit:
    name: str
    files: tuple[str, ...]  # paths relative to the input folder, in order
    part: tuple[int, int] | None = None  # of a file read in parts: this part's nominal byte window


class UnitNames:
    """The names a unit's output is written under, in order: the unit's own, then `<unit>_00001` …; they sort
    between the unit and the next one, and `-` never appears (it separates a shard's kind, unit and number)."""

    def __init__(self, unit: str) -> None:
        self.unit = unit

    def __getitem__(self, index: int) -> str:
        return self.unit if index == 0 else f"{self.unit}_{index:05d}"

    def index(self, name: str) -> int:
        if name == self.unit:
            return 0
        base, _, number = name.rpartition("_")
        if base != self.unit or not number.isdigit() or int(number) == 0:
            raise ValueError(f"{name} is not a sub-unit of {self.unit}")
        return int(number)

    def __contains__(self, name: object) -> bool:
        try:
            self.index(str(name))
        except ValueError:
            return False
        return True

    def __repr__(self) -> str:
        return f"UnitNames({self.unit!r})"


def _ends_group(relative: str) -> bool:
    return int.from_bytes(hashlib.sha256(relative.encode("utf-8")).digest()[:4], "big") % GROUP_EVERY == 0


def plan_units(files: Iterable[tuple[str, int]]) -> Iterator[Unit]:
    """(relative path, size in bytes) of every raw file, in order → units, each as soon as it closes (so a
    stream of files is planned without being held)."""
    for index, (members, part) in enumerate(_groups(files)):
        yield Unit(f"{index:05d}", tuple(members), part)


def _groups(files: Iterable[tuple[str, int]]) -> Iterator[tuple[list[str], tuple[int, int] | None]]:
    group: list[str] = []
    group_bytes = 0
    for relative, size in files:
        if size >= ALONE_BYTES:
            if group:
                yield group, None
                group, group_bytes = [], 0
            parts = plan_parts(size)
            for part in parts:
                yield [relative], part if len(parts) > 1 else None
            continue
        group.append(relative)
        group_bytes += size
        if group_bytes >= GROUP_BYTES or (group_bytes >= MIN_GROUP_BYTES and _ends_group(relative)):
            yield group, None
            group, group_bytes = [], 0
    if group:
        yield group, None
