"""A helper process that imports a module ahead, while the caller works, and then runs its functions.

GX takes ~2 s to import, and publish needs it for the row Data Docs and the release checks, whose input
takes ~2 s of writing and reading back the release files. Started first, a WarmProcess imports the checks
module meanwhile, on the other core, renders the row docs, then runs the checks while the caller writes
the card and plots; the import stops adding to the stage's time.

The helper is a fresh interpreter (`python -m corpus.executors.warm`) talking over a socket pair, not a
multiprocessing child: forking a caller that holds threads (a Dask client's) can leave the child waiting on
a lock no thread will release, and multiprocessing's spawn re-imports the caller's main script, which
breaks any script that calls the pipeline without an `if __name__ == "__main__"` guard. It finds modules on
the caller's sys.path. When the module is already imported here (a test session, a notebook), or there is
no POSIX to pass the socket on, nothing is warmed up: the call runs in this process when it is submitted.
"""

from __future__ import annotations

import collections
import importlib
import multiprocessing
import os
import subprocess
import sys
import traceback
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Any


class RemoteError(Exception):
    """The traceback of an error raised in the helper process (the `from` of the error re-raised here)."""


class WarmProcess:
    """`with WarmProcess(module) as helper:` starts importing `module`; `helper.submit(name, *args)` starts
    module.name(*args), after the calls submitted before it, and `helper.result()` waits for the oldest
    call's return value or raises its error."""

    def __init__(self, module: str) -> None:
        self.module = module
        self._process: subprocess.Popen | None = None
        self._connection: Connection | None = None
        self._outcomes: collections.deque[Outcome] = collections.deque()  # calls run here, not yet taken
        self._waiting = 0  # calls sent to the helper, not yet taken

    def __enter__(self) -> WarmProcess:
        if self.module not in sys.modules and os.name == "posix":
            self._connection, theirs = multiprocessing.Pipe()
            path = os.pathsep.join(entry for entry in sys.path if entry)
            self._process = subprocess.Popen(
                [sys.executable, "-m", __name__, self.module, str(theirs.fileno())], pass_fds=[theirs.fileno()],
                env=os.environ | {"PYTHONPATH": path},
            )
            theirs.close()
        return self

    @property
    def in_process(self) -> bool:
        return self._process is None

    def submit(self, function: str, /, *args: Any, **kwargs: Any) -> None:
        if self._connection is None:
            self._outcomes.append(_call(importlib.import_module(self.module), function, args, kwargs))
            return
        self._connection.send((function, args, kwargs))
        self._waiting += 1

    def result(self) -> Any:
        if self._outcomes:
            succeeded, value, remote_traceback = self._outcomes.popleft()
        elif self._waiting:
            self._waiting -= 1
            try:
                succeeded, value, remote_traceback = self._connection.recv()
            except EOFError:
                raise RuntimeError(f"the helper process for {self.module} ended without an answer (exit code "
                                   f"{self._process.wait()})") from None
        else:
            raise RuntimeError("result() with no call submitted")
        if succeeded:
            return value
        if remote_traceback:
            raise value from RemoteError(remote_traceback)
        raise value

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        if self._process is None:
            return
        if self._waiting:  # the caller stopped before taking every answer
            self._process.kill()
        self._connection.close()  # the helper's next read ends, and so does the helper
        self._process.wait()


Outcome = tuple[bool, Any, str]  # (succeeded, return value or error, the error's traceback)


def _call(module: Any, function: str, args: tuple, kwargs: dict[str, Any]) -> Outcome:
    try:
        return True, getattr(module, function)(*args, **kwargs), ""
    except Exception as error:
        return False, error, ""


def _serve(module: str, connection: Connection) -> None:
    loaded, import_failure = None, None
    try:
        loaded = importlib.import_module(module)
    except Exception as error:  # reported as each call's error
        import_failure = (False, error, "")
    while True:
        try:
            function, args, kwargs = connection.recv()
        except EOFError:  # the caller is done
            return
        succeeded, value, _ = import_failure or _call(loaded, function, args, kwargs)
        outcome = (succeeded, value, "" if succeeded else "".join(traceback.format_exception(value)))
        try:
            connection.send(outcome)
        except Exception as unsendable:  # a result or error that does not pickle
            connection.send((False, RuntimeError(f"{value!r} (could not be sent back: {unsendable})"), outcome[2]))


if __name__ == "__main__":
    _serve(sys.argv[1], Connection(int(sys.argv[2])))
