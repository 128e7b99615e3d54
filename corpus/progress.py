"""Progress for long stages (articles/s and ETA via tqdm) — only on an interactive terminal, never in CI."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def interactive() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


def progress(items: Iterable[T], *, total: int | None, unit: str, desc: str) -> Iterator[T]:
    if not interactive():
        yield from items
        return
    from tqdm import tqdm

    with tqdm(items, total=total, unit=unit, desc=desc, file=sys.stderr, smoothing=0.1) as bar:
        yield from bar
