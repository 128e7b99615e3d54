"""The distributed executor (Dask LocalCluster) and fsspec stage folders give the very bytes of the local run."""

import pytest

from corpus.pipeline import run_all
from tests.conftest import PARAMS, checksums


@pytest.fixture
def dask_executor(monkeypatch):
    from corpus.plumbing.executors.dask import DaskExecutor

    monkeypatch.setenv("CORPUS_EXECUTOR", "dask")
    monkeypatch.setenv("CORPUS_WORKERS", "2")
    yield
    DaskExecutor.close_shared()


def test_a_dask_local_cluster_builds_the_same_release_as_the_local_executor(several_units, tmp_path, monkeypatch):
    monkeypatch.setenv("CORPUS_WORKERS", "1")
    run_all(several_units, tmp_path / "local", PARAMS)
    monkeypatch.setenv("CORPUS_WORKERS", "2")
    run_all(several_units, tmp_path / "pool", PARAMS)
    from corpus.plumbing.executors.dask import DaskExecutor

    monkeypatch.setenv("CORPUS_EXECUTOR", "dask")
    try:
        run_all(several_units, tmp_path / "dask", PARAMS, work=(tmp_path / "work").as_uri())  # file:// via fsspec
        assert len(DaskExecutor.shared().client.scheduler_info()["workers"]) == 2
    finally:
        DaskExecutor.close_shared()
    assert checksums(tmp_path / "local") == checksums(tmp_path / "pool") == checksums(tmp_path / "dask")
    assert sorted(p.name for p in (tmp_path / "work" / "ingest").iterdir())[0] == "segments-00000-00000.parquet"


def test_stage_folders_on_an_fsspec_filesystem_give_the_same_release(several_units, tmp_path, monkeypatch):
    monkeypatch.setenv("CORPUS_WORKERS", "1")  # memory:// is per process
    run_all(several_units, tmp_path / "disk", PARAMS)
    run_all(several_units, tmp_path / "memory", PARAMS, work="memory://corpus-test-work")
    assert checksums(tmp_path / "disk") == checksums(tmp_path / "memory")
    from upath import UPath

    assert list((UPath("memory://corpus-test-work") / "dedup").glob("index-*.parquet"))


def test_an_unknown_executor_is_refused_naming_the_known_ones(monkeypatch):
    from corpus.plumbing.executors import current_executor

    monkeypatch.setenv("CORPUS_EXECUTOR", "ray")
    with pytest.raises(ValueError, match="known: local, dask"):
        current_executor()
