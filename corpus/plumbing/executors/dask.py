"""The distributed executor: the same unit jobs on a Dask cluster (`pip install korean-news-corpus[distributed]`).

Why Dask rather than Ray: our jobs are coarse (a unit is thousands of articles) and exchange only file
paths and small counters — the one corpus-wide step, dedup's clustering, reads narrow key columns on the
driver — so no object store or shuffle engine is needed; a Dask LocalCluster starts in about a second
(Ray's head node takes several); and on HPC clusters dask-jobqueue starts workers through Slurm, PBS or
SGE, where Ray needs hand-written head/worker scripts. Jobs read and write shards by path, so the workers
need the stage folders on a shared filesystem or an fsspec URL (s3://, gs://, …).

CORPUS_DASK_SCHEDULER=tcp://host:8786 joins a running cluster; without it, a LocalCluster of
CORPUS_WORKERS single-threaded worker processes is started for the run.
"""

from __future__ import annotations

import atexit
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from typing import ClassVar, TypeVar

from corpus.plumbing.executors.local import in_order, worker_count

T = TypeVar("T")
R = TypeVar("R")
SCHEDULER_ENV = "CORPUS_DASK_SCHEDULER"


class DaskExecutor:
    _shared: ClassVar[DaskExecutor | None] = None

    def __init__(self, client: object, workers: int, cluster: object | None = None) -> None:
        self.client = client
        self.workers = workers
        self.cluster = cluster

    @classmethod
    def shared(cls) -> DaskExecutor:
        """One client per process: joined from CORPUS_DASK_SCHEDULER, or a LocalCluster started now."""
        if cls._shared is None:
            try:
                from distributed import Client, LocalCluster
            except ImportError as error:
                raise RuntimeError(
                    "the dask executor needs the distributed extra: pip install 'korean-news-corpus[distributed]'"
                ) from error
            address = os.environ.get(SCHEDULER_ENV)
            cluster = None
            if address:
                client = Client(address)
            else:
                cluster = LocalCluster(n_workers=worker_count(), threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=logging.ERROR)
                client = Client(cluster)
            workers = len(client.scheduler_info().get("workers", {})) or worker_count()
            cls._shared = DaskExecutor(client, workers, cluster)
            atexit.register(cls.close_shared)
        return cls._shared

    @classmethod
    def close_shared(cls) -> None:
        """Close the client (and the LocalCluster this process started)."""
        if cls._shared is not None:
            cls._shared.client.close()
            if cls._shared.cluster is not None:
                cls._shared.cluster.close()
            cls._shared = None

    def map(self, function: Callable[[T], R], jobs: Iterable[T]) -> Iterator[R]:
        """Results in job order, with a bounded number of jobs submitted ahead (memory stays flat)."""
        return in_order(lambda job: self.client.submit(function, job, pure=False).result, jobs, self.workers * 2)
