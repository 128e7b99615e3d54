import gc
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from corpus.plumbing.executors.local import WORKERS_ENV, ordered_map, worker_count
from tests.plumbing.executors.processes import assert_ends_soon


def _square(x: int) -> int:
    return x * x


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_ordered_map_keeps_input_order_for_any_worker_count(workers):
    assert list(ordered_map(_square, iter(range(50)), workers)) == [x * x for x in range(50)]


def test_worker_count_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv(WORKERS_ENV, "3")
    assert worker_count() == 3
    monkeypatch.setenv(WORKERS_ENV, "zero")
    with pytest.raises(ValueError, match="positive whole number"):
        worker_count()


def test_a_single_shard_runs_without_a_pool():
    assert list(ordered_map(_square, iter([7]), workers=4)) == [49]
    assert list(ordered_map(_square, iter([]), workers=4)) == []


def _frozen_in_worker(_: int) -> int:
    return gc.get_freeze_count()


def test_workers_start_with_the_parents_objects_frozen_and_the_parent_collects_them_again():
    """A forked worker's collections would write to every object it inherited, copying the parent's pages
    (GX's import) into each worker; frozen, they stay shared. The parent's own garbage stays collectable."""
    frozen_in_workers = list(ordered_map(_frozen_in_worker, iter(range(4)), workers=2))
    assert min(frozen_in_workers) > 10_000  # the interpreter's, pytest's and the package's objects
    assert gc.get_freeze_count() == 0


def _wait_for_flag(job: tuple[int, str]) -> bool:
    """Job 1 waits (up to 30 s) for the flag job 4 leaves; every other job leaves its own and returns."""
    number, folder = job
    if number == 1:
        flag = Path(folder) / "4"
        deadline = time.monotonic() + 30
        while not flag.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        return flag.exists()
    (Path(folder) / str(number)).touch()
    return True


def test_a_slow_shard_does_not_stop_the_shards_after_it_from_starting(tmp_path):
    # Two workers, four shards in flight: job 4 must start while job 1 is still running.
    results = list(ordered_map(_wait_for_flag, [(n, str(tmp_path)) for n in range(8)], workers=2))
    assert results == [True] * 8


def test_pool_workers_stop_when_their_caller_is_killed(tmp_path):
    """A SIGKILLed stage must not leave workers finishing their jobs into the folder that the rerun clears."""
    script = tmp_path / "caller.py"
    script.write_text(textwrap.dedent(f"""
        import os, time
        from pathlib import Path
        from corpus.plumbing.executors.local import ordered_map

        def job(number):
            Path({str(tmp_path)!r}, f"worker-{{number}}").write_text(str(os.getpid()))
            time.sleep(60)

        if __name__ == "__main__":
            list(ordered_map(job, range(2), workers=2))
    """))
    caller = subprocess.Popen([sys.executable, str(script)], env=os.environ | {"PYTHONPATH": os.pathsep.join(sys.path)})
    marks = [tmp_path / f"worker-{number}" for number in range(2)]
    deadline = time.monotonic() + 60
    while not all(mark.exists() and mark.read_text() for mark in marks) and time.monotonic() < deadline:
        time.sleep(0.05)
    caller.kill()
    caller.wait()
    assert_ends_soon(*(int(mark.read_text()) for mark in marks))
