import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from corpus.plumbing.executors.warm import RemoteError, WarmProcess, prestarted, prestarted_helper, warm_helper
from tests.plumbing.executors.processes import assert_ends_soon

PROBE = '''
import os
import time
from pathlib import Path

Path(os.environ["PROBE_MARK"]).write_text(str(os.getpid()))  # written when the module is imported
if os.environ.get("PROBE_IMPORT_UNTIL"):  # a slow import: it ends when the caller creates this file
    for _ in range(200):
        if Path(os.environ["PROBE_IMPORT_UNTIL"]).exists():
            break
        time.sleep(0.1)
    else:
        raise ImportError("the caller never went on while this module was importing")


def pid():
    return os.getpid()


def add(a, b, *, times=1):
    return (a + b) * times


def size(data):
    return len(data)


def fail(message):
    raise ValueError(message)


def square_where(n):
    """n squared, and the process and parent process it was computed in."""
    if n < 0:
        raise ValueError(f"negative: {n}")
    return n * n, os.getpid(), os.getppid()


def die():
    os._exit(3)


def unpicklable():
    return lambda: None


def arrow_allocation(megabytes):
    """Allocates and drops an Arrow buffer held in a reference cycle; the bytes Arrow holds then, and its pool."""
    import pyarrow as pa

    cycle = {"buffer": pa.allocate_buffer(megabytes << 20)}
    cycle["self"] = cycle
    del cycle
    return pa.total_allocated_bytes(), pa.default_memory_pool().backend_name
'''


@pytest.fixture
def probe(tmp_path, monkeypatch):
    """A module this test session has not imported (a fresh name each test), on sys.path."""
    name = f"warm_probe_{tmp_path.name.replace('-', '_')}"
    (tmp_path / f"{name}.py").write_text(PROBE)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("PROBE_MARK", str(tmp_path / "imported"))
    yield name
    sys.modules.pop(name, None)


def _wait_for(path: Path) -> str:
    for _ in range(300):
        if path.exists() and path.read_text():
            return path.read_text()
        time.sleep(0.1)
    raise AssertionError(f"{path} never appeared")


def test_the_module_is_imported_in_a_helper_before_the_call_and_the_call_runs_there(probe, tmp_path):
    with WarmProcess(probe) as helper:
        assert not helper.in_process
        imported_by = int(_wait_for(tmp_path / "imported"))  # before anything was submitted
        helper.submit("pid")
        assert helper.result() == imported_by != os.getpid()
    assert probe not in sys.modules
    with WarmProcess(probe) as helper:
        helper.submit("add", 2, 3, times=4)
        assert helper.result() == 20


def test_submit_returns_while_the_helper_is_still_importing_even_with_large_arguments(probe, tmp_path, monkeypatch):
    go_on = tmp_path / "go-on"
    monkeypatch.setenv("PROBE_IMPORT_UNTIL", str(go_on))
    payload = b"x" * (8 << 20)  # far more than a socket's buffer
    with WarmProcess(probe) as helper:
        helper.submit("size", payload)
        helper.submit("size", payload[:5])
        go_on.touch()  # reached only if submit did not wait for the helper to read
        assert helper.result() == len(payload)
        assert helper.result() == 5


def test_a_call_gives_back_what_it_freed_and_arrow_allocates_as_the_stages_do(probe):
    pytest.importorskip("pyarrow")
    with WarmProcess(probe) as helper:
        helper.submit("arrow_allocation", 64)
        helper.submit("arrow_allocation", 0)
        held_during, pool = helper.result()
        held_after, _ = helper.result()
    assert held_during >= 64 << 20  # the cycle keeps the buffer until a collection
    assert held_after < 1 << 20  # collected after the first call answered
    import pyarrow as pa

    if "jemalloc" in pa.supported_memory_backends():
        assert pool == "jemalloc"


def test_what_the_import_made_is_frozen_so_a_calls_collection_does_not_walk_it(probe):
    with WarmProcess(probe) as helper:
        helper.submit("gc:get_freeze_count")
        frozen = helper.result()
    assert frozen > 1_000  # the interpreter's and the probe's modules, out of every later collection


def test_a_map_runs_on_a_pool_forked_from_the_helper_and_answers_in_order(probe):
    with WarmProcess(probe) as helper:
        helper.submit("pid")
        answers = helper.map("square_where", range(12), 2)
        helper_pid = helper.result()  # the call submitted first answers first
        results = list(answers)
        helper.submit("add", 1, 2)
        assert helper.result() == 3  # the protocol goes on after a map
    assert [square for square, _, _ in results] == [n * n for n in range(12)]
    assert {parent for _, _, parent in results} == {helper_pid}  # forked from the helper, not from here
    assert len({pid for _, pid, _ in results}) == 2


def test_a_failing_item_of_a_map_is_raised_and_the_items_after_it_are_not_run(probe):
    with WarmProcess(probe) as helper:
        answers = helper.map("square_where", [1, -2, 3, 4], 2)
        assert next(answers)[0] == 1
        with pytest.raises(ValueError, match="negative: -2"):
            next(answers)
        assert next(answers, None) is None  # the items after it: not run, their answers taken
        helper.submit("add", 2, 2)
        assert helper.result() == 4


def test_a_map_without_a_helper_process_runs_on_the_local_pool(probe):
    __import__(probe)  # already imported here: nothing to warm up
    with WarmProcess(probe) as helper:
        assert helper.in_process
        results = list(helper.map("square_where", range(4), 2))
    assert [square for square, _, _ in results] == [0, 1, 4, 9]
    assert {parent for _, _, parent in results} == {os.getpid()}


def test_arguments_that_do_not_pickle_fail_at_submit(probe):
    with WarmProcess(probe) as helper:
        with pytest.raises(Exception, match="pickle"):
            helper.submit("add", lambda: 1, 2)
        helper.submit("add", 1, 2)
        assert helper.result() == 3


def test_an_error_in_the_helper_is_raised_here_with_the_helper_traceback(probe):
    with WarmProcess(probe) as helper:
        helper.submit("fail", "bad release")
        with pytest.raises(ValueError, match="bad release") as raised:
            helper.result()
    assert isinstance(raised.value.__cause__, RemoteError)
    assert 'in fail\n    raise ValueError(message)' in str(raised.value.__cause__)


def test_a_helper_that_dies_is_an_error_naming_its_exit_code(probe):
    with WarmProcess(probe) as helper:
        helper.submit("die")
        with pytest.raises(RuntimeError, match=r"ended without an answer \(exit code 3\)"):
            helper.result()


def test_a_result_that_does_not_pickle_is_an_error_not_a_hang(probe):
    with WarmProcess(probe) as helper:
        helper.submit("unpicklable")
        with pytest.raises(RuntimeError, match="could not be sent back"):
            helper.result()


def test_a_module_that_does_not_import_fails_the_call(tmp_path, monkeypatch):
    (tmp_path / "warm_broken.py").write_text("raise ImportError('missing dependency xyz')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with WarmProcess("warm_broken") as helper:
        helper.submit("anything")
        with pytest.raises(ImportError, match="missing dependency xyz"):
            helper.result()


def test_calls_run_one_after_another_and_answer_in_order(probe):
    with WarmProcess(probe) as helper:
        with pytest.raises(RuntimeError, match="no call submitted"):
            helper.result()
        helper.submit("add", 1, 2)
        helper.submit("fail", "second")
        helper.submit("add", 3, 4, times=2)
        assert helper.result() == 3
        with pytest.raises(ValueError, match="second"):
            helper.result()
        assert helper.result() == 14


def test_the_helper_ends_with_the_block_and_is_killed_when_it_has_nothing_left_to_do(probe, tmp_path):
    with WarmProcess(probe) as helper:
        helper.submit("add", 1, 2)
        assert helper.result() == 3
        answered = helper._process
    with WarmProcess(probe) as helper:
        _wait_for(tmp_path / "imported")
        idle = helper._process
    with WarmProcess(probe) as helper:
        helper.submit("add", 1, 2)
        busy = helper._process
    assert answered.poll() == 0  # told there are no more calls: it returned
    assert idle.poll() == -signal.SIGKILL  # never asked: its import is of no use, nothing to wait for
    assert busy.poll() == -signal.SIGKILL  # an answer nobody takes: stopped, not left behind


def test_a_call_can_name_a_function_of_another_module_imported_there_on_first_use(probe):
    with WarmProcess(probe) as helper:
        helper.submit("json:dumps", {"b": 1, "a": [2]}, sort_keys=True)
        helper.submit("posixpath:join", "a", "b")
        helper.submit("no_such_module_here:f")
        assert helper.result() == '{"a": [2], "b": 1}'
        assert helper.result() == "a/b"
        with pytest.raises(ModuleNotFoundError, match="no_such_module_here"):
            helper.result()


def test_a_prestarted_helper_serves_every_block_of_the_run_and_ends_with_it(probe):
    with warm_helper(probe) as alone:  # no run around it: a helper of its own
        alone.submit("pid")
        alone_pid = alone.result()
    assert prestarted_helper(probe) is None
    with prestarted(probe):
        started = prestarted_helper(probe)
        for _ in range(2):
            with warm_helper(probe) as helper:
                assert helper is started
                helper.submit("pid")
                assert helper.result() == started._process.pid != alone_pid
        assert started._process.poll() is None  # outlives each block
    assert prestarted_helper(probe) is None
    assert started._process.poll() == 0


def test_a_block_inside_one_that_prestarted_the_module_keeps_its_helper(probe):
    """`corpus run` starts GX's helper before the pipeline is imported; run_all's own block reuses it."""
    with prestarted(probe):
        outer = prestarted_helper(probe)
        with prestarted(probe):
            assert prestarted_helper(probe) is outer
            outer.submit("pid")
            assert outer.result() == outer._process.pid
        assert prestarted_helper(probe) is outer
        assert outer._process.poll() is None  # the inner block did not end it
    assert outer._process.wait() == 0  # the outer one did, once its calls were answered


def test_a_helper_whose_caller_is_killed_stops_at_once_instead_of_finishing_its_call(probe, tmp_path):
    """A SIGKILLed stage must not leave its helper writing into the folder that the rerun clears."""
    script = tmp_path / "caller.py"
    script.write_text(textwrap.dedent(f"""
        from corpus.plumbing.executors.warm import WarmProcess
        with WarmProcess({probe!r}) as helper:
            helper.submit("time:sleep", 60)
            print(helper.result(), flush=True)
    """))
    caller = subprocess.Popen([sys.executable, str(script)], env=os.environ | {"PYTHONPATH": os.pathsep.join(sys.path)})
    helper = int(_wait_for(tmp_path / "imported"))
    caller.kill()
    caller.wait()
    assert_ends_soon(helper)


def test_an_imported_module_runs_in_this_process_with_the_same_answers(probe):
    __import__(probe)
    with WarmProcess(probe) as helper:
        assert helper.in_process
        helper.submit("pid")
        assert helper.result() == os.getpid()
    with WarmProcess(probe) as helper:
        helper.submit("fail", "here")
        with pytest.raises(ValueError, match="here"):
            helper.result()


def test_release_checks_fail_from_a_script_without_a_main_guard(tmp_path):
    """The case publish relies on, in a fresh interpreter: GX runs in the helper only (the caller does not load
    it when the checks pass), a failed check comes back as ReleaseCheckError, and a caller script without
    `if __name__ == "__main__"` is not run again by the helper."""
    script = tmp_path / "unguarded.py"
    script.write_text(textwrap.dedent(f"""
        import sys
        from pathlib import Path
        import pyarrow as pa
        from corpus.plumbing.executors.warm import WarmProcess
        from corpus.release.partitions import LEDGER_KEYS_SCHEMA, ROWS_SCHEMA, Partitions

        print("script body ran")
        folder = Path({str(tmp_path)!r})
        splits = {{"train": 1, "validation": 1, "test": 1}}
        for ids in (["a", "b", "c"], ["a", "a", "b"]):
            rows = Partitions(folder / "rows", ROWS_SCHEMA, "id", 3)
            rows.add(pa.table({{"id": ids, "split": ["train", "validation", "test"]}}))
            ledger = Partitions(folder / "ledger", LEDGER_KEYS_SCHEMA, "segment_id", 3)
            ledger.add(pa.table({{"segment_id": ["1", "2", "3"], "fate": ["kept"] * 3}}))
            with WarmProcess("corpus.release.checks") as checker:
                assert not checker.in_process
                checker.submit("check_release", rows.close(), ledger.close(), splits,
                               {{"ledger": {{"kept": 3, "published": 3, "segments": 3}}}})
                try:
                    print("passed:", sorted(checker.result()))
                except Exception as error:
                    print(type(error).__name__, error)
            print("GX imported here:", "great_expectations" in sys.modules)
    """))
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("script body ran") == 1
    passed, failed = done.stdout.split("GX imported here: False\n", 1)
    assert "passed: ['release_balance', 'release_ledger', 'release_rows', 'release_totals']" in passed
    assert failed.startswith("ReleaseCheckError release checks failed")
    assert "ids_unique_and_splits_disjoint" in failed
