"""The package's import rules, checked on the source (issue 11): the folder tree is the pipeline.

The shells (the CLI modules and the web app) reach the library only through the façade
``hakemisto.app``; nothing else in the package imports the façade (it sits on top). Every module
belongs to one stage (core → crawl → documents → facts → search → report → jobs → evaluation → app →
shells), imports only its own stage or earlier ones, and no two modules import each other, directly
or round a longer circle. Imports inside functions count: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
import functools
import warnings
from collections.abc import Collection
from pathlib import Path

import hakemisto

PACKAGE = Path(hakemisto.__file__).resolve().parent
FACADE = "hakemisto.app"
# What a shell may import from the package besides the façade: the package root (for __version__)
# and the shells themselves (cli.py registers the cli_* commands; web/ is one application).
SHELL_PREFIXES = ("hakemisto.cli", "hakemisto.web")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path, name: str | None = None, known: Collection[str] = ()) -> list[tuple[int, str]]:
    """Every ``hakemisto…`` module a file imports (top level or inside functions), absolute names;
    ``from package import module`` names the module when it is one of ``known``."""
    name = name or module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names if alias.name.startswith("hakemisto"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if not target.startswith("hakemisto"):
                continue
            if node.module is None or target == "hakemisto":  # `from . import x`: x may be a module
                found.extend((node.lineno, f"{target}.{alias.name}") for alias in node.names)
            else:
                found.extend((node.lineno, f"{target}.{alias.name}" if f"{target}.{alias.name}" in known else target)
                             for alias in node.names)
    return found


def is_shell(name: str) -> bool:
    return any(name == p or name.startswith(p + ".") or name.startswith(p + "_") for p in SHELL_PREFIXES)


def package_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_the_shells_are_found() -> None:
    shells = [module_name(p) for p in package_files() if is_shell(module_name(p))]
    assert "hakemisto.cli" in shells and "hakemisto.web.app" in shells and len(shells) >= 6, shells


def test_cli_and_web_import_only_the_facade() -> None:
    wrong = []
    for path in package_files():
        name = module_name(path)
        if not is_shell(name):
            continue
        for line, target in imported_modules(path):
            allowed = target in (FACADE, "hakemisto", "hakemisto.__version__") or is_shell(target)
            if not allowed:
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {target}")
    assert not wrong, "the CLI and the web app call hakemisto.app, nothing below it:\n" + "\n".join(wrong)


def test_nothing_below_imports_the_facade() -> None:
    wrong = []
    for path in package_files():
        name = module_name(path)
        if is_shell(name) or name in (FACADE, "hakemisto.__main__"):
            continue
        wrong += [f"{path.relative_to(PACKAGE.parent)}:{line}" for line, target in imported_modules(path)
                  if target == FACADE or target.startswith(FACADE + ".")]
    assert not wrong, "only the CLI and the web app import the façade:\n" + "\n".join(wrong)


def test_the_checker_sees_relative_and_nested_imports(tmp_path: Path) -> None:
    """The rule cannot pass vacuously: the import reader finds what a shell would do wrong."""
    source = tmp_path / "cli_probe.py"
    source.write_text("from .search import search\n\ndef f():\n    from . import index\n    import hakemisto.app\n"
                      "    from ..web import present\n", encoding="utf-8")
    found = sorted(target for _, target in imported_modules(source, "hakemisto.web.cli_probe"))
    assert found == ["hakemisto.app", "hakemisto.web", "hakemisto.web.index", "hakemisto.web.search"], found
    assert not is_shell("hakemisto.search.engine") and is_shell("hakemisto.cli_watch") and is_shell("hakemisto.web.feeds")


# --- stages: the folder tree is the pipeline ---------------------------------------------------------

# Lowest first. A module may import from its own stage and the stages before it.
STAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("root", ("hakemisto",)),
    ("core", ("hakemisto.core",)),
    ("crawl", ("hakemisto.crawl",)),
    ("documents", ("hakemisto.documents",)),
    ("facts", ("hakemisto.facts",)),
    ("search", ("hakemisto.search",)),
    ("report", ("hakemisto.report",)),
    ("jobs", ("hakemisto.jobs",)),
    ("evaluation", ("hakemisto.evaluation",)),
    ("facade", ("hakemisto.app",)),
    ("shells", ("hakemisto.cli", "hakemisto.cli_*", "hakemisto.web", "hakemisto.__main__")),
)


def modules(package: Path = PACKAGE) -> dict[str, Path]:
    """Dotted module name → file, for every module of the package."""
    out: dict[str, Path] = {}
    for path in sorted(package.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def import_graph(package: Path = PACKAGE) -> dict[str, dict[str, int]]:
    """module → {imported module of the package: first line}, module-level and nested imports alike.

    ``from hakemisto.core import voikko`` is an edge to ``hakemisto.core.voikko`` (the module), and
    ``from hakemisto.core.voikko import analyse`` one to the same module, so circles are seen between
    modules, not only between packages."""
    known = modules(package)
    graph: dict[str, dict[str, int]] = {}
    for name, path in known.items():
        edges: dict[str, int] = {}
        for line, target in imported_modules(path, name, known):
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                edges.setdefault(target, line)
        graph[name] = edges
    return graph


def stage_of(name: str) -> int | None:
    """The rank of the module's stage (higher = later in the pipeline), None if it is in none."""
    found = None
    for rank, (_, prefixes) in enumerate(STAGES):
        for prefix in prefixes:
            if prefix.endswith("*"):
                hit = name.startswith(prefix[:-1])
            else:
                hit = name == prefix or (prefix != "hakemisto" and name.startswith(prefix + "."))
            if hit:
                found = rank
    return found


def cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_every_module_is_in_a_stage() -> None:
    lost = [name for name in modules() if stage_of(name) is None]
    assert not lost, f"modules in no stage (put them in a stage sub-package, see docs/architecture.md): {lost}"


def test_no_import_circle() -> None:
    found = cycles(import_graph())
    assert not found, "modules importing each other (directly or round a circle): " + "; ".join(
        " ↔ ".join(group) for group in found)


def test_imports_flow_one_way() -> None:
    graph = import_graph()
    wrong = []
    for name, edges in sorted(graph.items()):
        rank = stage_of(name)
        for target, line in edges.items():
            target_rank = stage_of(target)
            if rank is not None and target_rank is not None and target_rank > rank:
                wrong.append(f"{modules()[name].relative_to(PACKAGE.parent)}:{line} ({STAGES[rank][0]}) imports "
                             f"{target} ({STAGES[target_rank][0]})")
    assert not wrong, "a stage imports a later one (order: " + " → ".join(s for s, _ in STAGES) + "):\n" + \
        "\n".join(wrong)


def test_the_package_root_imports_nothing_of_its_own() -> None:
    assert not import_graph()["hakemisto"], "hakemisto/__init__.py must stay importable by every stage"


def test_the_checks_see_circles_and_wrong_directions(tmp_path: Path) -> None:
    """The rules cannot pass vacuously: a planted circle, a lazy relative import back up the pipeline and
    a module in no stage are all found."""
    pkg = tmp_path / "hakemisto"
    for sub in ("core", "search", "facts"):
        (pkg / sub).mkdir(parents=True)
        (pkg / sub / "__init__.py").write_text('"""."""\n', encoding="utf-8")
    (pkg / "__init__.py").write_text('"""."""\n', encoding="utf-8")
    (pkg / "core" / "a.py").write_text("from hakemisto.core import b\n", encoding="utf-8")
    (pkg / "core" / "b.py").write_text("def f():\n    from . import a\n", encoding="utf-8")
    (pkg / "facts" / "c.py").write_text("def g():\n    from ..search.d import x\n", encoding="utf-8")
    (pkg / "search" / "d.py").write_text("x = 1\n", encoding="utf-8")
    (pkg / "stray.py").write_text("import hakemisto.app\n", encoding="utf-8")
    graph = import_graph(pkg)
    assert cycles(graph) == [["hakemisto.core.a", "hakemisto.core.b"]]
    assert graph["hakemisto.facts.c"] == {"hakemisto.search.d": 2}
    assert stage_of("hakemisto.facts.c") < stage_of("hakemisto.search.d")
    assert stage_of("hakemisto.stray") is None and stage_of("hakemisto.web.app") == len(STAGES) - 1
    assert stage_of("hakemisto.cli_watch") == len(STAGES) - 1 and stage_of("hakemisto.app") == len(STAGES) - 2


# --- Whoosh internals -----------------------------------------------------------------------------

COMPAT = "hakemisto.search.whoosh_compat"


@functools.cache
def whoosh_private_names() -> frozenset[str]:
    """Every private name Whoosh's source defines (module globals, class members, ``self._x``
    attributes), read from its files without importing them."""
    import whoosh

    def private(name: str) -> bool:
        return name.startswith("_") and not name.startswith("__")

    names: set[str] = set()
    for path in Path(whoosh.__file__).parent.rglob("*.py"):
        with warnings.catch_warnings():  # Whoosh's source has old escape sequences
            warnings.simplefilter("ignore")
            tree = ast.parse(path.read_bytes())
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and private(node.name):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and private(node.id):
                names.add(node.id)
            elif isinstance(node, ast.Attribute) and private(node.attr):
                names.add(node.attr)
    return frozenset(names)


def whoosh_internals_used(tree: ast.AST, names: frozenset[str]) -> list[tuple[int, str]]:
    """(line, code) of every use of a private Whoosh name: ``x._name`` (not on self/cls), ``from whoosh…
    import _name``, ``getattr(x, "_name")`` and calling ``Positions.encode(None, …)`` without an instance."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in names and not (
                isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
            found.append((node.lineno, ast.unparse(node)))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("whoosh") and any(
                a.name.startswith("_") for a in node.names):
            found.append((node.lineno, ast.unparse(node)))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in (
                "getattr", "hasattr", "setattr") and len(node.args) > 1 and isinstance(node.args[1], ast.Constant) \
                and node.args[1].value in names:
            found.append((node.lineno, ast.unparse(node)))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "encode" \
                and node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value is None:
            found.append((node.lineno, ast.unparse(node)))
    return sorted(found)


def test_whoosh_internals_only_in_whoosh_compat() -> None:
    names = whoosh_private_names()
    assert {"_segments", "_field_B", "_lenfield", "_read_ids"} <= names  # the finder sees what it must
    wrong = []
    for name, path in modules().items():
        if name == COMPAT:
            continue
        for line, code in whoosh_internals_used(ast.parse(path.read_text(encoding="utf-8")), names):
            wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {code}")
    assert not wrong, f"private Whoosh names belong in {COMPAT} (with its public fallback):\n" + "\n".join(wrong)


def test_the_whoosh_check_sees_each_kind_of_use() -> None:
    names = whoosh_private_names()
    planted = ast.parse(
        "from whoosh.codec.whoosh3 import _lenfield\n"
        "n = len(ix._segments())\n"
        "b = getattr(weighting, '_field_B')\n"
        "v = Positions.encode(None, [1, 2])\n"
        "self._segments = 1\n"
    )
    assert [line for line, _ in whoosh_internals_used(planted, names)] == [1, 2, 3, 4]
