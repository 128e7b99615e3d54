import subprocess
import sys
import textwrap

import pytest

from corpus.plumbing.exiting import exit_status


@pytest.mark.parametrize(("code", "status"), [("None", 0), ("0", 0), ("3", 3), ("'a message'", 1)])
def test_the_status_handlers_and_buffered_output_are_those_of_a_normal_exit(tmp_path, code, status):
    marker = tmp_path / "atexit"
    program = textwrap.dedent(f"""
        import atexit, sys
        from pathlib import Path
        from corpus.plumbing.exiting import exit_now
        atexit.register(lambda: Path({str(marker)!r}).write_text("handled"))
        sys.stdout.write("no newline, still buffered")
        exit_now({code})
        raise AssertionError("exit_now returned")
    """)
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    assert done.returncode == status, done.stderr
    assert done.stdout == "no newline, still buffered"
    assert marker.read_text() == "handled"
    assert ("a message" in done.stderr) == (status == 1)


def test_a_running_thread_is_waited_for_as_by_sys_exit(tmp_path):
    marker = tmp_path / "thread"
    program = textwrap.dedent(f"""
        import threading, time
        from pathlib import Path
        from corpus.plumbing.exiting import exit_now
        def late():
            time.sleep(0.3)
            Path({str(marker)!r}).write_text("finished")
        threading.Thread(target=late).start()
        exit_now(4)
    """)
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    assert done.returncode == 4, done.stderr
    assert marker.read_text() == "finished"


def test_exit_status_follows_sys_exit():
    assert [exit_status(None), exit_status(0), exit_status(2), exit_status(True)] == [0, 0, 2, 1]
