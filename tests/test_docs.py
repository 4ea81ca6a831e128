"""The README documents every command, and its first commands are the ones CI runs."""

from __future__ import annotations

import click

from hakemisto.cli import main
from hakemisto.core.config import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_is_documented() -> None:
    missing = [name for name in main.list_commands(click.Context(main)) if f"hakemisto {name}" not in README]
    assert not missing, f"commands missing from README.md: {missing}"


def test_ci_runs_the_readme_test_command() -> None:
    ci = (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/test.sh" in ci and "bash scripts/test.sh" in README
    assert "bash scripts/demo.sh" in README
