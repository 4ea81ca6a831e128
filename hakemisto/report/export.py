"""Tables for spreadsheets: CSV for Finnish Excel and real .xlsx workbooks, from the same rows.

Finnish Excel opens a CSV correctly only with ``;`` as separator (the comma is the decimal sign) and
a UTF-8 byte-order mark (without it, 'ä' turns into 'Ã¤'). Numbers are written with a decimal comma
so Excel reads them as numbers. Every text cell goes through ``safe_cell``: a value starting with
``= + - @``, a tab or a carriage return would run as a formula in a spreadsheet (OWASP "CSV
injection"), and page text is written by strangers: the shared ``safe_output.spreadsheet_cell``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from hakemisto.core.safe_output import spreadsheet_cell as safe_cell

BOM = "\ufeff"


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = f"{value:.2f}".rstrip("0").rstrip(".") if not value.is_integer() else str(int(value))
        return text.replace(".", ",")
    if isinstance(value, list | tuple):
        value = " | ".join(str(v) for v in value if v is not None)
    return str(safe_cell(str(value)))


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """';'-separated text starting with a BOM; euros as numbers with a decimal comma."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_csv_value(h) for h in header])
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return out.getvalue()


def to_xlsx(header: Sequence[str], rows: Iterable[Sequence[Any]], *, sheet: str = "hakemisto",
            euro_columns: Iterable[int] = ()) -> bytes:
    """A workbook with a bold, frozen header row; numbers stay numbers (euro columns formatted)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    ws = book.active
    ws.title = sheet[:31]
    ws.append([safe_cell(h) for h in header])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    euro = set(euro_columns)
    for row in rows:
        values = []
        for v in row:
            if isinstance(v, list | tuple):
                v = " | ".join(str(x) for x in v if x is not None)
            values.append(safe_cell(v))
        ws.append(values)
        for col in euro:
            cell = ws.cell(row=ws.max_row, column=col + 1)
            if isinstance(cell.value, int | float):
                cell.number_format = "#,##0 €"
    for i, name in enumerate(header, start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = max(10, min(50, len(str(name)) + 4))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
