"""Worker processes end with the process that started them.

A SIGKILL (an OOM killer, a CI timeout, a user's kill -9) gives the caller no chance to stop its helpers,
and a pool worker or a warm helper left running goes on writing into the folder that the rerun is clearing
or rebuilding. Each worker watches its parent instead: once the parent is gone (the worker is re-parented),
it exits at once, without finishing its call.
"""

from __future__ import annotations

import os
import threading
import time

POLL_SECONDS = 0.05


def end_with_parent() -> None:
    """From now on, this process exits (status 1) within POLL_SECONDS of its parent's death."""
    parent = os.getppid()
    if parent <= 1:  # already an orphan, or started by init: nothing to watch
        return
    threading.Thread(target=_watch, args=(parent,), name="end-with-parent", daemon=True).start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(POLL_SECONDS)
    os._exit(1)
