"""doanorg's layers: imports run one way, and no module imports itself back.

The modules of doanorg stand in layers, lowest first::

    errors → core → whatif → io → testing → cli

errors
    the root error and its subclasses (:mod:`doanorg.errors`);
core
    the model and the roll-up: schema, model, facts, rules, engine, report
    and the report's rendering, with their private helpers. No I/O;
whatif
    scenarios of edits, comparisons and the gap (:mod:`doanorg.whatif`);
io
    every file read and written (:mod:`doanorg.io`); it reads scenario
    files, so it stands above whatif;
testing
    strategies, laws and the pytest and Hypothesis plugins
    (:mod:`doanorg.testing`);
cli
    the ``doanorg`` command (:mod:`doanorg.cli`, and ``python -m doanorg``).

A module may import its own layer and the layers below it, never one above.
The top-level package, ``doanorg/__init__.py``, re-exports the public names
from errors, core, whatif (:func:`doanorg.sweep`) and io only; testing and cli may import it.

The import graph is read from the source with :mod:`ast`, not by importing
it: every ``import`` and ``from ... import``, at module level, under ``if
TYPE_CHECKING:`` and inside functions alike, since each of them ties one
module to another. Relative imports are resolved; ``from pkg import name``
is an import of the module ``pkg.name`` when there is one, else of ``pkg``.
Imports of other distributions are left out.
"""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

import networkx as nx
import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = "doanorg"

LAYERS = ("errors", "core", "whatif", "io", "testing", "cli")
"""The layers, lowest first: a module imports its own layer and those below it."""
ORDER = " → ".join(LAYERS)
"""The order as every subpackage's ``__init__`` states it."""
TOP_MAY_IMPORT = frozenset({"errors", "core", "whatif", "io"})
"""The layers the top-level package re-exports names from."""

CORE = frozenset({"schema", "_texts", "model", "metrics", "_overlay", "facts", "_columns",
                  "rules", "engine", "report", "_render"})
"""The core's modules, by name, wherever they stand: at the top of the package, or in
``doanorg.core`` once they move there. (``_render`` renders reports; comparisons and gaps
render themselves, in whatif.)"""
SUBPACKAGES = frozenset({"core", "whatif", "io", "testing", "cli"})
"""The subpackages, each a layer of its own name."""
TOP_LEVEL = {"errors": "errors", "__main__": "cli"}
"""The modules at the top of the package that are not core modules, and their layer."""

class Import(NamedTuple):
    """One module of the package importing another: ``source`` imports ``target``."""

    source: str
    target: str
    line: int


def modules(root: Path, package: str) -> dict[str, Path]:
    """Every module of ``package`` (a folder under ``root``), by its dotted name."""
    found: dict[str, Path] = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _inside(name: str, known: Iterable[str]) -> str:
    """The module of the package that an import of ``name`` loads: ``name`` itself, or the
    nearest enclosing one (``import doanorg.io`` loads ``doanorg.io``)."""
    while name not in known and "." in name:
        name = name.rpartition(".")[0]
    return name


def imports(module: str, path: Path, known: dict[str, Path], package: str) -> Iterator[Import]:
    """The imports of ``module`` (the file ``path``) that name a module of ``package``."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == package or alias.name.startswith(f"{package}."):
                    yield Import(module, _inside(alias.name, known), node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module if path.name == "__init__.py" else module.rpartition(".")[0]
                for _ in range(node.level - 1):
                    base = base.rpartition(".")[0]
                base = f"{base}.{node.module}" if node.module else base
            else:
                base = node.module or ""
            if base != package and not base.startswith(f"{package}."):
                continue
            for alias in node.names:
                named = f"{base}.{alias.name}"
                target = named if named in known else _inside(base, known)
                yield Import(module, target, node.lineno)


def import_graph(root: Path = SRC, package: str = PACKAGE) -> nx.DiGraph[str]:
    """The modules of ``package`` and their imports of each other; each edge holds the
    lines of the source module that import the target (``lines``)."""
    known = modules(root, package)
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(known)
    for module, path in known.items():
        for found in imports(module, path, known, package):
            if found.target == module:
                continue
            if not graph.has_edge(module, found.target):
                graph.add_edge(module, found.target, lines=[])
            graph.edges[module, found.target]["lines"].append(found.line)
    return graph


def cycles(graph: nx.DiGraph[str]) -> list[frozenset[str]]:
    """The sets of modules that import each other, directly or not (strongly connected
    components of more than one module)."""
    return sorted((frozenset(part) for part in nx.strongly_connected_components(graph)
                   if len(part) > 1), key=sorted)


def _line(graph: nx.DiGraph[str], source: str, target: str) -> str:
    lines = ", ".join(str(line) for line in sorted(set(graph.edges[source, target]["lines"])))
    return f"{source} → {target} (line {lines})"


def describe(graph: nx.DiGraph[str], cycle: frozenset[str]) -> str:
    """A cycle as the shortest loop through its first module, then every import between
    its modules."""
    inner = graph.subgraph(cycle)
    start = min(cycle)
    back = min((nx.shortest_path(inner, after, start) for after in inner.successors(start)),
               key=len)
    every = [_line(graph, source, target) for source, target in sorted(inner.edges)]
    return " → ".join([start, *back]) + "\n" + "\n".join(f"    {edge}" for edge in every)


def layer(module: str) -> str | None:
    """The layer of ``module``, or ``None`` for a module that has none.

    The top-level package is its own layer, ``doanorg``.
    """
    parts = module.split(".")[1:]
    if not parts:
        return PACKAGE
    if parts[0] == "core":
        return "errors" if parts[-1] == "errors" else "core"
    if parts[0] in SUBPACKAGES:
        return parts[0]
    if len(parts) == 1 and parts[0] in CORE:
        return "core"
    return TOP_LEVEL.get(parts[0]) if len(parts) == 1 else None


def allowed(source: str, target: str) -> bool:
    """Whether the layer of ``source`` may import the layer of ``target``."""
    if source == PACKAGE:
        return target in TOP_MAY_IMPORT
    if target == PACKAGE:
        return LAYERS.index(source) > LAYERS.index("io")
    return LAYERS.index(source) >= LAYERS.index(target)


# --- the package -----------------------------------------------------------------------------


GRAPH = import_graph()


def test_no_module_imports_itself_back() -> None:
    """No cycle of imports: every cycle found is shown, as the chain of imports that
    closes it."""
    found = cycles(GRAPH)
    assert not found, "import cycles:\n" + "\n".join(describe(GRAPH, cycle) for cycle in found)


def test_every_module_has_a_layer() -> None:
    """A new module goes in the subpackage of its concern, or in the core."""
    assert [module for module in GRAPH if layer(module) is None] == []


def test_imports_run_down_the_layers() -> None:
    """Each module imports only its own layer and the layers below it."""
    placed = GRAPH.subgraph(module for module in GRAPH if layer(module) is not None)
    wrong = [
        f"{_line(GRAPH, source, target)}: {layer(source)} may not import {layer(target)}"
        for source, target in sorted(placed.edges)
        if not allowed(str(layer(source)), str(layer(target)))
    ]
    assert not wrong, f"imports against the order {ORDER}:\n" + "\n".join(wrong)


def test_whatif_and_the_core_never_reach_io() -> None:
    """Not even through another module: what works in memory never loads the readers."""
    below = [module for module in GRAPH if layer(module) in ("errors", "core", "whatif")]
    reached = {module: sorted(found for found in nx.descendants(GRAPH, module)
                              if layer(found) == "io")
               for module in below}
    assert {module: found for module, found in reached.items() if found} == {}


@pytest.mark.parametrize(
    "package", sorted(module for module, path in modules(SRC, PACKAGE).items()
                      if path.name == "__init__.py" and module != PACKAGE))
def test_each_subpackage_states_the_rule(package: str) -> None:
    """The docstring of each subpackage's ``__init__`` states the order of the layers."""
    path = modules(SRC, PACKAGE)[package]
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    assert ORDER in " ".join(docstring.split()), (
        f"{package}: state the order {ORDER!r} at the top of its __init__")


# --- the graph itself, on a package made up for it ------------------------------------------


_MADE_UP = {
    "pkg/__init__.py": "from pkg.a import A\n",
    "pkg/a.py": """
        from typing import TYPE_CHECKING
        import os
        if TYPE_CHECKING:
            from pkg.sub import c
        A = 1
    """,
    "pkg/b.py": """
        def later():
            from . import a
            from .sub import C, d
            import pkg.sub.c
            import pkgother
    """,
    "pkg/sub/__init__.py": "from .c import C\n",
    "pkg/sub/c.py": "from ..a import A\nfrom .. import b\nfrom pkg import A as B\n",
    "pkg/sub/d.py": "D = 1\n",
    "pkg/sub/e.py": "from . import *\n",
}


def test_the_graph_counts_every_kind_of_import(tmp_path: Path) -> None:
    """Imports under TYPE_CHECKING and inside functions count; relative ones are resolved;
    ``from pkg import name`` is an import of the module ``pkg.name`` if there is one."""
    for name, text in _MADE_UP.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    graph = import_graph(tmp_path, "pkg")
    assert sorted(graph.edges) == [
        ("pkg", "pkg.a"),
        ("pkg.a", "pkg.sub.c"),
        ("pkg.b", "pkg.a"),
        ("pkg.b", "pkg.sub"),
        ("pkg.b", "pkg.sub.c"),
        ("pkg.b", "pkg.sub.d"),
        ("pkg.sub", "pkg.sub.c"),
        ("pkg.sub.c", "pkg"),
        ("pkg.sub.c", "pkg.a"),
        ("pkg.sub.c", "pkg.b"),
        ("pkg.sub.e", "pkg.sub"),
    ]
    assert cycles(graph) == [frozenset({"pkg", "pkg.a", "pkg.b", "pkg.sub", "pkg.sub.c"})]
    assert describe(graph, cycles(graph)[0]).startswith("pkg → pkg.a → pkg.sub.c → pkg\n")


def test_layers_of_modules_where_they_stand_now_and_in_a_core_package() -> None:
    assert [layer(name) for name in (
        "doanorg", "doanorg.errors", "doanorg.core.errors", "doanorg.core.engine",
        "doanorg.core.engine", "doanorg.core", "doanorg.whatif._render", "doanorg.io._csv",
        "doanorg.testing.strategies", "doanorg.cli", "doanorg.__main__", "doanorg.later",
    )] == ["doanorg", "errors", "errors", "core", "core", "core", "whatif", "io", "testing",
           "cli", "cli", None]
    assert allowed("cli", PACKAGE) and allowed("testing", "io")
    assert allowed(PACKAGE, "whatif") and not allowed(PACKAGE, "testing")
    assert not allowed("whatif", "io")
    assert not allowed("core", PACKAGE) and not allowed("io", PACKAGE)
