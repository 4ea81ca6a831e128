"""No library text names a CLI flag (issue 11): the library says what is wrong with data (a ``Note``
or an error's ``code``/``params``), and the CLI and the web say it in their own words.

The flags are collected from the click commands themselves, so a new option is checked too. Every
string literal under ``hakemisto/`` outside the shells (``cli*.py``, ``web/``) is scanned, f-string
parts included; docstrings are documentation for developers, not messages, and are left out.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import click

import hakemisto
from hakemisto.cli import main, note_words
from hakemisto.core.notes import Note, note_dicts

PACKAGE = Path(hakemisto.__file__).resolve().parent
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")


def cli_flags(command: click.Command = main) -> set[str]:
    """Every long option of every command and sub-command."""
    found = {opt for param in command.params for opt in (*param.opts, *param.secondary_opts) if opt.startswith("--")}
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            found |= cli_flags(sub)
    return found


def library_files() -> list[Path]:
    return sorted(
        p for p in PACKAGE.rglob("*.py")
        if not (p.parent == PACKAGE and p.name.startswith("cli")) and "web" not in p.relative_to(PACKAGE).parts
    )


def _docstrings(tree: ast.AST) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def flags_in(source: str, flags: set[str]) -> list[tuple[int, str]]:
    """(line, flag) for each CLI flag in a string literal of ``source`` that is not a docstring."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    hits: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            hits.extend((node.lineno, f) for f in FLAG.findall(node.value) if f in flags)
    return hits


def test_the_flags_are_collected_from_the_commands() -> None:
    flags = cli_flags()
    assert {"--region", "--page", "--lang", "--since", "--repair", "--query", "--json"} <= flags


def test_no_library_string_names_a_cli_flag() -> None:
    flags = cli_flags()
    files = library_files()
    assert any(p.name == "engine.py" for p in files) and not any(p.name == "cli.py" for p in files)
    found = [f"{p.relative_to(PACKAGE.parent)}:{line}: {flag}"
             for p in files for line, flag in flags_in(p.read_text(encoding="utf-8"), flags)]
    assert not found, "library texts naming CLI flags (give the data to a Note and let the CLI word it):\n" + "\n".join(found)


def test_the_scan_sees_f_strings_and_skips_docstrings() -> None:
    source = '''
def f(pages):
    """Use ``--page`` to page on."""
    return f"use --page {pages}", "try --lang sv", "--not-a-flag", "a--page"
'''
    assert sorted(flags_in(source, {"--page", "--lang"})) == [(4, "--lang"), (4, "--page")]


def test_the_cli_words_notes_with_its_flags_and_json_keeps_the_data() -> None:
    note = Note("without_filter", "Without the region filter (Pohjanmaa) there are 3 hits: drop that filter.",
                filter="region", value="Pohjanmaa", n=3)
    assert note_words(note) == "Without --region Pohjanmaa there are 3 hits: drop that filter."
    last = Note("beyond_last_page", "Page 9 is past the last page.", page=9, pages=2, total=15)
    assert note_words(last).endswith("on 2 pages; use --page 2.")
    both = Note("filters_exclude", "No page matches.", filters="region, min_amount", names=["region", "min_amount"])
    assert note_words(both).endswith("drop one of --region, --min-amount.")
    assert note_words("a plain line") == "a plain line"
    assert note_dicts([note, "plain"]) == [
        {"code": "without_filter", "text": str(note), "params": {"filter": "region", "value": "Pohjanmaa", "n": 3}},
        {"code": "", "text": "plain", "params": {}},
    ]


def test_check_and_crawl_notes_get_the_cli_s_words() -> None:
    link = Note("links_disagree", "2 documents whose … (a repair fixes it)", finding="2 documents whose …")
    assert note_words(link) == "2 documents whose … (hakemisto check --repair fixes it)"
    assert note_words(Note("before_repair", f"before repair: {link}", problem=link)).endswith("check --repair fixes it)")
    left = Note("leftovers", "1 leftover files of a crashed or failed write (optimizing or repairing the index "
                "removes them): x.seg", files=["x.seg"])
    assert "(hakemisto optimize or check --repair removes them): x.seg" in note_words(left)
    assert note_words(Note("older_than_since", "older than the cut-off date 2024-01-01", since="2024-01-01")) == (
        "older than --since")


def test_the_web_says_the_search_notes_without_flags() -> None:
    from hakemisto.web.present import note_text, texts

    notes = [
        Note("without_filter", "x", filter="region", value="Kainuu", n=3),
        Note("other_lang", "x", lang="sv", n=2),
        Note("filters_exclude", "x", filters="region, year", names=["region", "year"]),
        Note("beyond_last_page", "x", page=9, pages=2, total=15),
        Note("empty_index", "x"),
    ]
    for lang in ("fi", "sv"):
        t = texts()[lang]
        for note in notes:
            said = note_text(note, t)
            assert said != t["note_generic"] and not FLAG.search(said), (lang, note.code, said)
