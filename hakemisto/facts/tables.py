"""Table rows as the loaders write them (cells joined by ' | ', one row a paragraph): which column a
character stands in and which header cell names that column.

One copy of the rule, shared by ``roles.column_role`` (a header gives a sum its role) and
``money.find_amounts`` (a header's unit makes a bare number a sum). Pure: text in, strings out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SEP = " | "
_ROWS_UP = 80  # how far above a row its header may stand (long grant lists)

# A data row: a sum with its currency, or a cell that is a bare number. A header's own unit
# ('(1000 €)', '1 000 euroa', 't€') is no sum.
_MONEY = re.compile(r"\d\s*(?:€|eur|euro|milj|M€|tuhat|mn|[tk]€|[tk]eur)", re.I)
_UNIT = re.compile(r"\(?\s*1[\s\u00a0.]?000\s*(?:€|eur\w*)\s*\)?", re.I)
BARE_NUMBER = re.compile(r"[-–+]?\d[\d\s\u00a0\u202f.,]*(?:,-)?")


@dataclass(frozen=True)
class Cell:
    """A cell of a table row: its text, its column counted from the left, the row's cell count."""

    text: str
    start: int
    end: int
    column: int
    cells: int


def cell_at(text: str, start: int, end: int) -> Cell | None:
    """The cell ``text[start:end]`` stands in, or None when its line is no table row."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start:len(text) if line_end < 0 else line_end]
    if SEP not in line:
        return None
    lo = text.rfind(SEP, line_start, start)
    lo = line_start if lo < 0 else lo + len(SEP)
    hi = text.find(SEP, end, line_start + len(line))
    hi = line_start + len(line) if hi < 0 else hi
    return Cell(text[lo:hi], lo, hi, text[line_start:start].count(SEP), len(line.split(SEP)))


def is_data_row(cells: list[str]) -> bool:
    """A row of values, not a header: a sum with its currency, or a bare number in a cell."""
    return any(_MONEY.search(_UNIT.sub(" ", c)) or BARE_NUMBER.fullmatch(c.strip()) for c in cells)


def column_header(text: str, start: int, end: int) -> str | None:
    """The header cell above the cell of ``text[start:end]``: the nearest row above, in the same table,
    with as many cells and no values in it. A shorter row (a 'Yhteensä' cell spanning two columns, an
    empty cell the loader dropped) is read against the nearest wider header from the right, since sums
    stand in a table's last columns. None outside tables or when the table has no header."""
    cell = cell_at(text, start, end)
    if cell is None:
        return None
    line_start = text.rfind("\n", 0, start) + 1
    wider: list[str] | None = None
    for above in reversed(text[:line_start].split("\n")[-_ROWS_UP:]):
        if not above.strip():
            continue  # rows are paragraphs of their own
        if SEP not in above:
            break  # the table ended
        head = above.split(SEP)
        if is_data_row(head):
            continue
        if len(head) == cell.cells:
            return head[cell.column]
        if len(head) > cell.cells and wider is None:
            wider = head
    if wider is None:
        return None
    return wider[len(wider) - (cell.cells - cell.column)]


def table_rows(text: str, pos: int) -> list[tuple[int, int]]:
    """(start, end) of every row of the table ``pos`` stands in (rows are paragraphs of their own);
    empty when ``pos`` stands in no table row."""
    line_start = text.rfind("\n", 0, pos) + 1
    line_end = text.find("\n", pos)
    line_end = len(text) if line_end < 0 else line_end
    if SEP not in text[line_start:line_end]:
        return []
    rows = [(line_start, line_end)]
    lo = line_start
    while lo > 0:
        prev = text.rfind("\n", 0, lo - 1) + 1
        line = text[prev:lo - 1]
        if line.strip() and SEP not in line:
            break
        if line.strip():
            rows.insert(0, (prev, lo - 1))
        lo = prev
    hi = line_end
    while hi < len(text):
        nxt = text.find("\n", hi + 1)
        nxt = len(text) if nxt < 0 else nxt
        line = text[hi + 1:nxt]
        if line.strip() and SEP not in line:
            break
        if line.strip():
            rows.append((hi + 1, nxt))
        hi = nxt
    return rows
