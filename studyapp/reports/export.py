"""PURE-ish: a report table → XLSX or CSV bytes (no request, no session).

Spreadsheet formula injection is escaped: text cells are written as text in
XLSX (never as formulas, URLs or numbers), and in CSV a text cell starting with
``= + - @``, a tab or a carriage return gets a leading apostrophe. CSV is UTF-8
with a BOM so that Excel opens Chinese correctly.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import xlsxwriter

Cell = str | int | float | date | datetime | None

#: Text starting with one of these could run as a formula in a spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Table:
    """A titled table: what the page shows, ready to export."""

    name: str  #: file name stem (ASCII), e.g. ``today-A-2026-11-20``
    title: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    #: Optional link per row for the page, on the cell in column ``link_column``.
    links: list[str | None] = field(default_factory=list)
    link_column: int = 0
    #: On a phone each row is a card: these columns first (the name, then the
    #: figures that matter), the others behind a tap. Empty: the first three.
    card_columns: list[int] = field(default_factory=list)


def escape_text(value: str) -> str:
    """A text cell made safe for CSV: a leading apostrophe before formula starts."""
    return "'" + value if value.startswith(FORMULA_START) else value


def to_csv(table: Table) -> bytes:
    """CSV, UTF-8 with BOM, header row first; text cells escaped."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([escape_text(h) for h in table.headers])
    for row in table.rows:
        writer.writerow([_csv_cell(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return escape_text(value)
    return str(value)


def to_xlsx(table: Table) -> bytes:
    """XLSX with one sheet: the title, the header row, the rows; text stays text."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    sheet = book.add_worksheet(_sheet_name(table.title))
    bold = book.add_format({"bold": True})
    dates = book.add_format({"num_format": "yyyy-mm-dd"})
    times = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    sheet.write_string(0, 0, table.title, bold)
    for col, header in enumerate(table.headers):
        sheet.write_string(1, col, header, bold)
        sheet.set_column(col, col, max(10, min(40, len(header) * 2 + 4)))
    for r, row in enumerate(table.rows, start=2):
        _write_row(sheet, r, row, dates, times)
    sheet.freeze_panes(2, 0)
    book.close()
    return buffer.getvalue()


def _write_row(sheet: Any, r: int, row: Sequence[Cell], dates: Any, times: Any) -> None:
    for c, value in enumerate(row):
        if value is None:
            sheet.write_blank(r, c, None)
        elif isinstance(value, bool):
            sheet.write_boolean(r, c, value)
        elif isinstance(value, int | float):
            sheet.write_number(r, c, value)
        elif isinstance(value, datetime):
            sheet.write_datetime(r, c, value.replace(tzinfo=None), times)
        elif isinstance(value, date):
            sheet.write_datetime(
                r, c, datetime(value.year, value.month, value.day), dates
            )
        else:
            sheet.write_string(r, c, str(value))


def _sheet_name(title: str) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip()
    return cleaned[:31] or "Sheet1"
