"""Issue 15: hostile input, two writers, a full disk, killed runs, output injection, user environment.

Each test reproduces one failure found by trying hakemisto as an attacker or a careless operator.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

from hakemisto.config import PROJECT_ROOT
from hakemisto.report import CSV_COLUMNS, render_csv
from hakemisto.safe_output import csv_text, escape_controls, spreadsheet_cell, strip_controls

# --- 7. output injection ---------------------------------------------------------------------------


def test_spreadsheet_cells_starting_like_formulas_are_neutralised() -> None:
    for bad in ("=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert spreadsheet_cell(bad).startswith("'"), bad
    assert spreadsheet_cell("Hoitotakuu") == "Hoitotakuu"
    assert spreadsheet_cell(-5) == -5 and spreadsheet_cell(1.5) == 1.5
    text = csv_text([{"a": "=cmd|' /C calc'!A0", "b": "ok\x1b[31m"}], ["a", "b"])
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["a"] == "'=cmd|' /C calc'!A0"
    assert "\x1b" not in text and row["b"] == "ok\\x1b[31m"


def test_report_csv_neutralises_formula_cells(settings) -> None:
    from hakemisto.report import RegionReport, Report, ReportDocument

    page = ReportDocument(id="x", title="=HYPERLINK(\"http://evil\")", link="+x", lang="fi")
    region = RegionReport(region="=1+1", name_sv=None, documents=(page,),
                          projects=("@SUM(1+1)*cmd|' /C calc'!A0",), themes=("-2+3",))
    report = Report(programme=None, funder=None, regions_filter=(), query=None, regions=(region,))
    text = render_csv(report)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert rows[0]["region"] == "'=1+1"
    cells = [v for row in rows for v in row.values() if v]
    assert not [v for v in cells if v[0] in "=+-@\t\r"], cells


def test_control_characters_are_stripped_at_extraction_and_escaped_on_output() -> None:
    from hakemisto.extract import html_to_document
    from hakemisto.loaders import text_to_document

    assert strip_controls("a\x1b[2Jb\x07c\x00d\te") == "a[2Jbcd\te"
    assert escape_controls("x\x1by\nz") == "x\\x1by\nz"
    doc = text_to_document("Otsikko \x1b]0;pwned\x07 tässä\nHanke\x00 alkoi \x1b[2J vuonna 2024 ja jatkuu.",
                           doc_id="t")
    assert "\x1b" not in doc.text and "\x07" not in doc.text and "\x00" not in doc.text
    page = html_to_document(b"<html><body><h1>Otsikko\x1b[31m</h1><p>Hanke \x07alkoi vuonna 2024 ja jatkuu.</p>"
                            b"</body></html>", doc_id="h")
    assert not any(c in page.text + page.title for c in "\x1b\x07")


# --- 8. tests never touch the user's data -----------------------------------------------------------


def test_conftest_clears_the_inherited_environment() -> None:
    assert not [k for k in os.environ if k.startswith("HAKEMISTO_") and k != "HAKEMISTO_CONFIG"]
    assert not Path(os.environ["HAKEMISTO_CONFIG"]).exists()


def test_exported_user_index_is_left_untouched_by_the_test_suite(tmp_path: Path) -> None:
    """The README's test command with HAKEMISTO_INDEX exported: passes, and the index is untouched."""
    user_index = tmp_path / "user-index"
    user_index.mkdir()
    (user_index / "marker").write_text("mine")
    env = dict(os.environ, HAKEMISTO_INDEX=str(user_index), HAKEMISTO_INDEX_DIR=str(user_index),
               HAKEMISTO_CORPUS_DIR=str(tmp_path / "user-corpus"))
    env.pop("HAKEMISTO_CONFIG", None)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
         "tests/test_fetch.py::test_crawl_ingests_into_the_index", "tests/test_cli.py::test_reingest_unchanged_changes_nothing"],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert sorted(p.name for p in user_index.iterdir()) == ["marker"]
    assert not (tmp_path / "user-corpus").exists()
