"""Leaving a command without the interpreter's teardown.

Once a command has returned, the interpreter still tears down every module it imported — pyarrow, pandas,
scipy, each stage — which took ~0.2 s after a `corpus run` (a tenth of a one-file build) and does nothing
a finished command needs. `exit_now` does what an exit must: waits for no thread (it exits the slow way
when a non-daemon thread is still running, so that one finishes), runs the atexit handlers (logging's
flush, multiprocessing's, weakref finalizers such as a TemporaryDirectory's cleanup), flushes stdout and
stderr, then ends the process with the command's status, as multiprocessing's children do.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading


def exit_status(code: object) -> int:
    """The status `sys.exit(code)` ends with; a message (any other object) is written to stderr first."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def exit_now(code: object = None) -> None:
    status = exit_status(code)
    if any(thread.is_alive() and not thread.daemon for thread in threading.enumerate()
           if thread is not threading.main_thread()):
        sys.exit(status)
    atexit._run_exitfuncs()  # CPython's own exit path: each handler once, in reverse order of registration
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe (`corpus … | head`): the usual exit reports it
        sys.exit(status)
    os._exit(status)
