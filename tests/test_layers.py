"""Imports run one way: no two packages of corpus/ import each other (directly or round a loop), and the
plumbing imports nothing of the domain or the policy."""

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "corpus"


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Absolute names of the corpus modules (or names in them) a source file imports."""
    here = _module(path).split(".") if path.name == "__init__.py" else _module(path).split(".")[:-1]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ".".join([*here[: len(here) - node.level + 1], node.module or ""]) if node.level else node.module
            names.update(f"{base}.{alias.name}".strip(".") for alias in node.names)
            names.add(base.strip("."))
    return {name for name in names if name == "corpus" or name.startswith("corpus.")}


def _part(module: str) -> str:
    """The unit of layering: a subpackage (corpus.rules) or a loose top-level module (corpus.record)."""
    return ".".join(module.split(".")[:2])


def _graph() -> dict[str, set[str]]:
    known = {_module(path) for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        source = _part(_module(path))
        for name in _imports(path):
            target = name if name in known else name.rpartition(".")[0]
            if target in known and _part(target) not in (source, "corpus"):
                graph.setdefault(source, set()).add(_part(target))
    return graph


def test_no_two_parts_of_the_package_import_each_other():
    try:
        tuple(TopologicalSorter(_graph()).static_order())
    except CycleError as error:
        raise AssertionError(f"import cycle between parts of corpus/: {error.args[1]}") from None


def test_the_plumbing_imports_only_plumbing():
    assert _graph().get("corpus.plumbing", set()) == set()


def test_the_graph_sees_real_imports():
    graph = _graph()
    assert "corpus.plumbing" in graph["corpus.stages"] and "corpus.fields" in graph["corpus.rules"]
