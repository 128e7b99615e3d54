"""Where stage work runs. A stage hands an executor a picklable function and a stream of jobs and gets the
results back in job order, so what a stage writes never depends on where, or in how many processes, its
jobs ran.

- `local` (default): a process pool on this machine (corpus.plumbing.executors.local).
- `dask`: a Dask distributed cluster (corpus.plumbing.executors.dask; `pip install korean-news-corpus[distributed]`).

The choice comes from the environment (CORPUS_EXECUTOR, CORPUS_WORKERS, CORPUS_DASK_SCHEDULER) or the CLI's
`--executor` / `--workers`, never from params.yaml: it changes how fast a build runs, not what it produces.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from typing import Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")
EXECUTOR_ENV = "CORPUS_EXECUTOR"
EXECUTORS = ("local", "dask")


class Executor(Protocol):
    def map(self, function: Callable[[T], R], jobs: Iterable[T]) -> Iterator[R]:
        """function(job) for every job, results in job order."""
        ...


class LocalExecutor:
    def map(self, function: Callable[[T], R], jobs: Iterable[T]) -> Iterator[R]:
        from corpus.plumbing.executors.local import ordered_map

        return ordered_map(function, jobs)


def executor_name() -> str:
    name = os.environ.get(EXECUTOR_ENV, "local")
    if name not in EXECUTORS:
        raise ValueError(f"{EXECUTOR_ENV}={name!r} is not an executor; known: {', '.join(EXECUTORS)}")
    return name


def current_executor() -> Executor:
    """The executor the environment asks for (a Dask client is started once per process and reused)."""
    if executor_name() == "dask":
        from corpus.plumbing.executors.dask import DaskExecutor

        return DaskExecutor.shared()
    return LocalExecutor()
