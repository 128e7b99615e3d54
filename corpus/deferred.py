"""Deferred imports: a heavy module a dependency imports at start-up but only uses in code this package
never reaches.

GX Core imports altair and scipy.stats when it starts, for one expectation (KL divergence) the suites here
do not use; that is ~1.1 s of every process that validates, in a rebuild that takes a few seconds.
`defer(name)` puts a stand-in module in `sys.modules`; `import name` then binds the stand-in, and the first
read of any of its attributes imports the real module. Code that does use the module still works — the
import just happens later, when it is needed.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from typing import Any


class DeferredModule(types.ModuleType):
    """Imports the real module on the first attribute read, then becomes a view of it."""

    def __getattr__(self, attribute: str) -> Any:  # only called for names the stand-in does not have
        name = self.__name__
        if sys.modules.get(name) is self:
            del sys.modules[name]
            try:
                real = importlib.import_module(name)
            except BaseException:
                sys.modules[name] = self
                raise
        else:
            real = sys.modules.get(name) or importlib.import_module(name)
        self.__dict__.update(real.__dict__)
        return getattr(real, attribute)


def defer(*names: str) -> None:
    """Defer the import of each module in `names` that is installed and not imported yet."""
    for name in names:
        if name in sys.modules:
            continue
        parent, _, _ = name.rpartition(".")
        if parent:
            importlib.import_module(parent)
        if importlib.util.find_spec(name) is None:
            continue
        sys.modules[name] = DeferredModule(name)


def is_deferred(name: str) -> bool:
    """Whether `name` is still a stand-in (its real module not imported)."""
    return isinstance(sys.modules.get(name), DeferredModule)
