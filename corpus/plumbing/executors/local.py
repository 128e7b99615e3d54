"""The local executor: an ordered map over shards on a process pool.

Results come back in input order and are written in that order, so the output bytes are the same for
any number of workers. Workers are forked (cheap on Linux: the parent's imports are shared). The worker
count comes from the `--workers` option or CORPUS_WORKERS (default: one per core); it is deliberately
not a param: it changes how fast a build runs, never what it produces.
"""

from __future__ import annotations

import collections
import gc
import itertools
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from corpus.plumbing.executors.orphans import end_with_parent

T = TypeVar("T")
R = TypeVar("R")
WORKERS_ENV = "CORPUS_WORKERS"


def worker_count() -> int:
    value = os.environ.get(WORKERS_ENV)
    if value:
        if not value.isdigit() or int(value) < 1:
            raise ValueError(f"{WORKERS_ENV} must be a positive whole number, not {value!r}")
        return int(value)
    return os.cpu_count() or 1


def ordered_map(function: Callable[[T], R], items: Iterable[T], workers: int | None = None) -> Iterator[R]:
    """function(item) for every item, in input order; on a pool when more than one worker is asked for."""
    workers = worker_count() if workers is None else workers
    if workers <= 1:
        yield from map(function, items)
        return
    pending = iter(items)
    first = list(itertools.islice(pending, 2))
    if len(first) < 2:  # a single shard: no pool to start
        yield from map(function, first)
        return
    pending = itertools.chain(first, pending)
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    # Frozen, what this process holds is left out of the workers' collections, which would otherwise write to
    # every object they inherited and so copy the pages it shares with them (GX's import, the run's heap)
    gc.freeze()
    try:
        pool = context.Pool(workers, initializer=end_with_parent)
    finally:
        gc.unfreeze()
    with pool:
        yield from in_order(lambda item: pool.apply_async(function, (item,)).get, pending, workers * 2)


def in_order(submit: Callable[[T], Callable[[], R]], jobs: Iterable[T], window: int) -> Iterator[R]:
    """The results of the jobs, in job order, from a sliding window of at most `window` jobs in flight
    (`submit(job)` starts one and returns what waits for its result): bounded, so memory does not grow with
    the corpus, and the next job starts as soon as the oldest result is taken, so no worker waits for a
    whole window to drain."""
    pending = iter(jobs)
    in_flight = collections.deque(submit(job) for job in itertools.islice(pending, window))
    while in_flight:
        result = in_flight.popleft()()
        in_flight.extend(submit(job) for job in itertools.islice(pending, 1))
        yield result
