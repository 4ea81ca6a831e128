"""The package's import rules, checked on the source (issue 11).

The shells (the CLI modules and the web app) reach the library only through the façade
``hakemisto.app``; nothing else in the package imports the façade (it sits on top).
"""

from __future__ import annotations

import ast
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


def imported_modules(path: Path, name: str | None = None) -> list[tuple[int, str]]:
    """Every ``hakemisto…`` module a file imports (top level or inside functions), absolute names."""
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
                found.append((node.lineno, target))
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
