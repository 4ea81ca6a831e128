"""Text from crawled pages on its way out: spreadsheet cells, terminals, CSV files.

One shared helper so every exporter (report CSV, project CSV/XLSX, the web download) applies the
same rules:

- **Formula injection** (OWASP "CSV injection"): a cell that starts with ``=``, ``+``, ``-``, ``@``,
  tab or carriage return is executed as a formula by Excel / LibreOffice. Such a text cell gets a
  leading apostrophe, which spreadsheets show as text. Numbers stay numbers.
- **Control characters** (ESC, BEL, NUL, C1 controls…) from documents could rewrite a terminal or
  break a file. ``strip_controls`` removes them at extraction; ``escape_controls`` shows any that
  still arrive (from an index built before that rule) as visible ``\\x1b``-style escapes on output.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# C0 controls except tab / newline / carriage return, DEL, and the C1 block.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# On a terminal a carriage return can overwrite a line too; only newline and tab are kept.
_TERMINAL_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def strip_controls(text: str) -> str:
    """``text`` without control characters (tab, newline and carriage return are kept)."""
    return _CONTROLS.sub("", text) if text else text


def _escape(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group(0)):02x}"


def escape_controls(text: str) -> str:
    """Control characters shown as ``\\xNN`` (newline and tab kept): safe to print to a terminal."""
    return _TERMINAL_CONTROLS.sub(_escape, text) if text else text


def spreadsheet_cell(value: Any) -> Any:
    """A value safe for a CSV or XLSX cell: numbers unchanged, formula-like text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str):
        return value
    text = _CONTROLS.sub(_escape, value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def csv_text(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """CSV with a header row, every cell passed through ``spreadsheet_cell``."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: spreadsheet_cell(v) for k, v in row.items()})
    return out.getvalue()
