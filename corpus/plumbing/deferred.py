"""Deferred imports: a heavy module a dependency imports at start-up but only uses in code this package
never reaches.

GX Core imports altair and scipy.stats when it starts, for one expectation (KL divergence) the suites here
do not use; that is ~1.1 s of every process that validates, in a rebuild that takes a few seconds.
`defer(name)` puts a stand-in module in `sys.modules`; `import name` then binds the stand-in, and the first
read of any of its attributes imports the real module. Code that does use the module still works — the
import just happens later, when it is needed.

pyarrow imports pandas the first time it converts a Python list, only to ask whether the list is a pandas
object: `arrow_without_pandas()` (every stage calls it) keeps that import from happening until something
actually imports pandas.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
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


def arrow_without_pandas() -> None:
    """Stop pyarrow importing pandas (~0.25 s) before anything uses pandas.

    The first time pyarrow converts a Python list (`pa.array`, `Table.from_pylist`) it asks whether the list is
    a pandas object, importing pandas to find out. While nothing has imported pandas, no pandas object exists,
    so the answer is no: this lets pyarrow's one attempt at the import fail, and the moment anything imports
    pandas afterwards, makes pyarrow load it as usual. Most stage processes never use pandas; in a rebuild
    that adds 1% to 100k articles (~10 s), the import was ~1 s of it. Nothing happens if pandas is already
    imported or pyarrow no longer has the lazy importer this relies on."""
    import pyarrow as pa

    shim = getattr(pa.lib, "_pandas_api", None)
    if "pandas" in sys.modules or shim is None or not hasattr(type(shim), "compat"):  # (reading it imports pandas)
        return
    if any(isinstance(finder, _PandasWatch) for finder in sys.meta_path):  # done already in this process
        return
    watch = _PandasWatch(shim)
    sys.meta_path.insert(0, watch)
    try:
        pa.array([])  # pyarrow tries pandas here, once, and finds none
    finally:
        watch.blocking = False


class _PandasWatch(importlib.abc.MetaPathFinder):
    """Refuses pandas while `blocking`; afterwards finds it for whoever imports it, once, and then tells
    pyarrow to load it too."""

    def __init__(self, shim: Any) -> None:
        self.shim, self.blocking = shim, True

    def find_spec(self, name: str, path: Any, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if name != "pandas":
            return None
        if self.blocking:
            raise ModuleNotFoundError("pyarrow need not import pandas yet", name=name)
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.loader is not None:
            spec.loader = _ThenTellArrow(spec.loader, self.shim)
        return spec


class _ThenTellArrow(importlib.abc.Loader):
    def __init__(self, loader: importlib.abc.Loader, shim: Any) -> None:
        self.loader, self.shim = loader, shim

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType | None:
        return self.loader.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        module.__spec__.loader = module.__loader__ = self.loader  # pandas keeps its own loader
        self.loader.exec_module(module)
        _ = self.shim.compat  # pyarrow imports pandas again (now from sys.modules) and uses it from here on
