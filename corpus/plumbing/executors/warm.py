"""A helper process that imports a module ahead, while the caller works, and then runs its functions.

GX takes ~2 s to import, and publish needs it for the row Data Docs and the release checks, whose input
takes ~2 s of writing and reading back the release files. Started first, a WarmProcess imports the checks
module meanwhile, on the other core, renders the row docs, then runs the checks while the caller writes
the card and plots; the import stops adding to the stage's time.

The helper is a fresh interpreter (`python -m corpus.plumbing.executors.warm`) talking over a socket pair, not a
multiprocessing child: forking a caller that holds threads (a Dask client's) can leave the child waiting on
a lock no thread will release, and multiprocessing's spawn re-imports the caller's main script, which
breaks any script that calls the pipeline without an `if __name__ == "__main__"` guard. It finds modules on
the caller's sys.path. When the module is already imported here (a test session, a notebook), or there is
no POSIX to pass the socket on, nothing is warmed up: the call runs in this process when it is submitted.

A call names a function of the warmed module (`check_release`) or of any module (`corpus.release.checks:
check_release`), imported there on first use: one helper that loaded GX serves every stage that needs GX.
`corpus run`, which runs every stage in one process, starts its helpers first (`prestarted`), so that the
imports overlap the first stages; a stage then asks `warm_helper(module)` for the running helper, or gets a
new one for its own block.
"""

from __future__ import annotations

import collections
import contextlib
import gc
import importlib
import multiprocessing
import os
import queue
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection
from multiprocessing.reduction import ForkingPickler
from types import ModuleType, TracebackType
from typing import Any

from corpus.plumbing.executors.local import ordered_map
from corpus.plumbing.executors.orphans import end_with_parent

# The helper's Arrow allocator unless the environment names one: jemalloc, as the stages use
# (corpus.pipeline.arrow_memory_pool); pyarrow's default mimalloc keeps the buffers of every call.
ARROW_POOL = "jemalloc"


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
        self._outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._sender: threading.Thread | None = None
        self._submitted = 0

    def __enter__(self) -> WarmProcess:
        if self.module not in sys.modules and os.name == "posix":
            self._connection, theirs = multiprocessing.Pipe()
            path = os.pathsep.join(entry for entry in sys.path if entry)
            self._process = subprocess.Popen(
                [sys.executable, "-m", __name__, self.module, str(theirs.fileno())], pass_fds=[theirs.fileno()],
                env={"ARROW_DEFAULT_MEMORY_POOL": ARROW_POOL} | os.environ | {"PYTHONPATH": path},
            )
            theirs.close()
            self._sender = threading.Thread(target=self._send_all, name=f"WarmProcess({self.module})", daemon=True)
            self._sender.start()
        return self

    def _send_all(self) -> None:
        # A call's arguments can outgrow the socket's buffer, and the helper reads nothing until its import is
        # done: written from the caller's thread, submit() would wait for the import it is meant to overlap.
        while (message := self._outbox.get()) is not None:
            try:
                self._connection.send_bytes(message)
            except OSError:  # the helper is gone; result() reports how it ended
                return

    @property
    def in_process(self) -> bool:
        return self._process is None

    def submit(self, function: str, /, *args: Any, **kwargs: Any) -> None:
        self._submitted += 1
        if self._connection is None:
            self._outcomes.append(_call(importlib.import_module(self.module), function, args, kwargs))
            return
        self._send((function, args, kwargs, None), 1)

    def map(self, function: str, items: Iterable[Any], workers: int) -> Iterator[Any]:
        """function(item) for each item, in order, on `workers` processes forked from the helper (which has the
        module loaded): the answers come back one by one, each as soon as it and those before it are done.
        Here, with no helper process, they run on the local executor."""
        items = list(items)
        self._submitted += 1
        if self._connection is None:
            return ordered_map(_function(importlib.import_module(self.module), function), items, workers)
        self._send((function, (items,), {}, workers), len(items))
        return self._answers(len(items))

    def _answers(self, count: int) -> Iterator[Any]:
        """The next `count` answers; at the first error, the answers left of the map are taken (each an error:
        the helper runs no item after a failure), so the next call's answer is the next one read."""
        for taken in range(count):
            try:
                value = self.result()
            except Exception:
                for _ in range(taken + 1, count):
                    with contextlib.suppress(Exception):
                        self.result()
                raise
            yield value

    def _send(self, message: tuple[Any, ...], answers: int) -> None:
        self._outbox.put(bytes(ForkingPickler.dumps(message)))  # arguments that do not pickle fail here
        self._waiting += answers

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
        if self._waiting or not self._submitted or error is not None:  # nothing left it is needed for
            self._process.kill()
        self._outbox.put(None)
        self._sender.join()
        self._connection.close()  # the helper's next read ends, and so does the helper
        self._process.wait()


Outcome = tuple[bool, Any, str]  # (succeeded, return value or error, the error's traceback)


def _function(module: ModuleType | None, function: str) -> Callable[..., Any]:
    """`name` of the warmed module, or `package.module:name` of any module."""
    where, _, name = function.rpartition(":")
    return getattr(importlib.import_module(where) if where else module, name)


def _call(module: ModuleType, function: str, args: tuple, kwargs: dict[str, Any]) -> Outcome:
    try:
        return True, _function(module, function)(*args, **kwargs), ""
    except Exception as error:
        return False, error, ""


def _import_frozen(module: str) -> ModuleType:
    """Import with the collector paused, then freeze what the import made: it lives as long as the helper.
    GX's import makes ~170k objects; without the pauses it took ~0.2 s longer (1.45 -> 1.25 s) and every
    call's collection (`_release_memory`) walked them all again, ~80 ms a call, where it now walks only
    what the calls made."""
    gc.disable()
    try:
        return importlib.import_module(module)
    finally:
        gc.freeze()
        gc.enable()


def _release_memory() -> None:
    """Give back what a call freed: a helper lives through the whole run beside the stages' workers."""
    gc.collect()
    if "pyarrow" in sys.modules:
        sys.modules["pyarrow"].default_memory_pool().release_unused()


_prestarted: dict[str, WarmProcess] = {}


@contextlib.contextmanager
def prestarted(*modules: str) -> Iterator[None]:
    """Within the block, `warm_helper(module)` is the helper started here for each of `modules`, or the one
    an enclosing block started."""
    started = [module for module in dict.fromkeys(modules) if module not in _prestarted]
    with contextlib.ExitStack() as helpers:
        for module in started:
            _prestarted[module] = helpers.enter_context(WarmProcess(module))
        try:
            yield
        finally:
            for module in started:
                _prestarted.pop(module, None)


def prestarted_helper(module: str) -> WarmProcess | None:
    return _prestarted.get(module)


def warm_helper(module: str) -> contextlib.AbstractContextManager[WarmProcess]:
    """`with warm_helper(module) as helper:` the helper prestarted for `module`, which outlives the block; or
    a new one, ended with the block."""
    helper = _prestarted.get(module)
    return contextlib.nullcontext(helper) if helper is not None else WarmProcess(module)


def _serve(module: str, connection: Connection) -> None:
    loaded, import_failure = None, None
    try:
        loaded = _import_frozen(module)
    except Exception as error:  # reported as each call's error
        import_failure = (False, error, "")
    while True:
        try:
            function, args, kwargs, workers = connection.recv()
        except EOFError:  # the caller is done
            return
        if workers is None:
            _answer(connection, import_failure or _call(loaded, function, args, kwargs))
        else:
            _answer_each(connection, import_failure, loaded, function, args[0], workers)
        del function, args, kwargs
        _release_memory()  # after the answer, which the caller may be waiting for


def _answer(connection: Connection, outcome: Outcome) -> None:
    succeeded, value, _ = outcome
    remote_traceback = "" if succeeded else "".join(traceback.format_exception(value))
    try:
        connection.send((succeeded, value, remote_traceback))
    except Exception as unsendable:  # a result or error that does not pickle
        connection.send((False, RuntimeError(f"{value!r} (could not be sent back: {unsendable})"), remote_traceback))


def _answer_each(connection: Connection, import_failure: Outcome | None, loaded: ModuleType | None, function: str,
                 items: list[Any], workers: int) -> None:
    """One answer per item, in order; after a failure, the items left are answered with an error that says so."""
    answered = 0
    try:
        if import_failure is not None:
            raise import_failure[1]
        for value in ordered_map(_function(loaded, function), items, workers):
            _answer(connection, (True, value, ""))
            answered += 1
    except Exception as error:
        _answer(connection, (False, error, ""))
        answered += 1
    for _ in range(answered, len(items)):
        _answer(connection, (False, RuntimeError(f"not run: an earlier item of the {function} map failed"), ""))


if __name__ == "__main__":
    end_with_parent()
    _serve(sys.argv[1], Connection(int(sys.argv[2])))
    # Every answer is sent and nothing is left open: skip the interpreter's teardown, as multiprocessing's
    # children do (with GX loaded it takes ~0.3 s, which the caller would wait for on leaving its block).
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
