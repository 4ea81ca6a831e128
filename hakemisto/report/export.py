"""Tables for spreadsheets: CSV for Finnish Excel and real .xlsx workbooks, from the same rows.

Finnish Excel opens a CSV correctly only with ``;`` as separator (the comma is the decimal sign) and
a UTF-8 byte-order mark (without it, 'ä' turns into 'Ã¤'). Numbers are written with a decimal comma
so Excel reads them as numbers. Every CSV text cell goes through ``safe_cell``: a value starting with
``= + - @``, a tab or a carriage return would run as a formula in a spreadsheet (OWASP "CSV
injection"), and page text is written by strangers: the shared ``safe_output.spreadsheet_cell``.
Finnish phone numbers (stored as E.164, ``+358…``) are written in the national form ("040 1234567"):
the guard's apostrophe would show in Excel, and a bare ``+358…`` would turn into a number.
In a workbook every text is a typed string cell, which Excel never evaluates, so it keeps its
exact text (no apostrophe); only control characters are escaped.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from hakemisto.core.safe_output import spreadsheet_cell as safe_cell

BOM = "\ufeff"
_FINNISH_E164 = re.compile(r"\+358\d{5,12}")


def _national_phone(value: str) -> str | None:
    """'+358401234567' → '040 1234567' (phonenumbers' national form), else None."""
    if not _FINNISH_E164.fullmatch(value):
        return None
    import phonenumbers

    try:
        number = phonenumbers.parse(value, "FI")
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


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
    text = str(value)
    return _national_phone(text) or str(safe_cell(text))


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """';'-separated text starting with a BOM; euros as numbers with a decimal comma."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_csv_value(h) for h in header])
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return out.getvalue()


def _xlsx_value(value: Any) -> Any:
    """Numbers unchanged; text with control characters escaped but otherwise exact."""
    if isinstance(value, str):
        cleaned = safe_cell(value)
        return cleaned[1:] if cleaned.startswith("'") and not value.startswith("'") else cleaned
    return "" if value is None else value


def to_xlsx(header: Sequence[str], rows: Iterable[Sequence[Any]], *, sheet: str = "hakemisto",
            euro_columns: Iterable[int] = ()) -> bytes:
    """A workbook with a bold, frozen header row; numbers stay numbers (euro columns formatted)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    ws = book.active
    ws.title = sheet[:31]
    ws.append([_xlsx_value(h) for h in header])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    euro = set(euro_columns)
    for row in rows:
        values = []
        for v in row:
            if isinstance(v, list | tuple):
                v = " | ".join(str(x) for x in v if x is not None)
            values.append(_xlsx_value(v))
        ws.append(values)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str) and cell.data_type == "f":
                cell.data_type = "s"  # text that looks like a formula stays text
        for col in euro:
            cell = ws.cell(row=ws.max_row, column=col + 1)
            if isinstance(cell.value, int | float):
                cell.number_format = "#,##0 €"
    for i, name in enumerate(header, start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = max(10, min(50, len(str(name)) + 4))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
