"""Progress for long stages (units done, ETA, articles/s via tqdm) — only on an interactive terminal, never in CI."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def interactive() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


def progress(items: Iterable[T], *, total: int | None, unit: str, desc: str,
             articles: Callable[[T], int] | None = None, noun: str = "articles",
             steps: Callable[[T], int] | None = None) -> Iterator[T]:
    """The bar counts `unit`s (their ETA): one an item, or `steps(item)`; `articles(item)`, if given, adds
    the articles (or other `noun`) done and their rate."""
    if not interactive():
        yield from items
        return
    from tqdm import tqdm

    started, done = time.monotonic(), 0
    with tqdm(total=total, unit=unit, desc=desc, file=sys.stderr, smoothing=0.1) as bar:
        for item in items:
            if articles is not None:
                done += articles(item)
                rate = done / max(time.monotonic() - started, 1e-9)
                bar.set_postfix_str(f"{done:,} {noun}, {rate:,.0f} {noun}/s", refresh=False)
            bar.update(steps(item) if steps is not None else 1)
            yield item
