"""Whether a process is still running, for tests of processes that must end with their caller."""

import os
import signal
import time
from pathlib import Path


def running(pid: int) -> bool:
    """Alive and not a zombie (a zombie has ended; only its exit status waits for a parent to take it)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def assert_ends_soon(*pids: int, seconds: float = 5.0) -> None:
    """Every pid ends within `seconds`; one that does not is killed and the test fails."""
    deadline = time.monotonic() + seconds
    while any(running(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [pid for pid in pids if running(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, f"still running after their caller was killed: {left}"
