"""PURE: read the question sheets of an .xlsx workbook into drafts, row by row."""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import ParseError

import openpyxl
from lxml import etree
from openpyxl.utils.exceptions import InvalidFileException

from studyapp.content.convert.cleaning import cell_text, clean_lines, clean_text
from studyapp.content.convert.drafts import Draft, DraftOption, Part, Progress, Section
from studyapp.content.convert.headers import (
    Header,
    column,
    is_question_header,
    read_header,
)
from studyapp.content.convert.issues import ConvertIssue, Place, file_error

BROKEN = "文件已损坏，或是 Excel 的“Strict Open XML”格式：请另存为普通的 .xlsx 再转换"
#: What openpyxl raises on a damaged workbook.
#: What openpyxl raises for a damaged file: its parts are parsed with lxml when
#: installed (XMLSyntaxError), a zip member may use a compression zipfile lacks
#: (NotImplementedError) or be encrypted (RuntimeError).
_BROKEN = (
    InvalidFileException, zipfile.BadZipFile, zlib.error, ParseError, KeyError,
    ValueError, TypeError, EOFError, OSError, etree.XMLSyntaxError,
    NotImplementedError, RuntimeError, AttributeError,
)  # fmt: skip
#: Report progress every this many rows.
STEP = 500
_SINGLE_LINE = ("type", "answer", "difficulty", "tags", "source", "id")


@dataclass
class SheetRead:
    """What a workbook held: one section per question sheet, and the problems."""

    sections: list[Section] = field(default_factory=list)
    issues: list[ConvertIssue] = field(default_factory=list)
    #: Every sheet name in workbook order (to sort issues).
    sheets: list[str] = field(default_factory=list)


def read_workbook(
    path: str, data: bytes, progress: Progress | None = None
) -> SheetRead:
    """Read every sheet whose row 1 has a 题干/题目 column; skip the others.

    Sheets without such a column (an instructions sheet) are skipped. Formulas are
    refused, cell by cell: a file saved by another program may have no cached
    value, so the workbook is opened with formulas visible (``data_only=False``)
    and a formula is an error rather than a silently missing value.
    """
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except _BROKEN:
        return SheetRead(issues=[file_error(path, BROKEN)])
    try:
        return _read_book(path, book, progress)
    except _BROKEN:  # read-only mode parses each sheet while its rows are read
        return SheetRead(issues=[file_error(path, BROKEN)])
    finally:
        book.close()


def _read_book(path: str, book: Any, progress: Progress | None) -> SheetRead:
    read = SheetRead(sheets=[ws.title for ws in book.worksheets])
    found = [(ws, cells) for ws in book.worksheets if (cells := _first_row(ws))]
    found = [(ws, c) for ws, c in found if is_question_header(_texts(c))]
    if not found:
        read.issues.append(_no_sheet(path, read.sheets))
        return read
    total = sum(ws.max_row or 0 for ws, _ in found)
    counter = _Counter(progress, total)
    for ws, cells in found:
        title = ws.title if len(found) > 1 else None
        drafts = _read_sheet(path, ws, cells, read, counter)
        read.sections.append(Section(title, drafts, sheet=ws.title))
    counter.finish()
    return read


def _first_row(ws: Any) -> tuple[Any, ...]:
    return next(iter(ws.iter_rows(min_row=1, max_row=1)), ())


def _texts(cells: Iterable[Any]) -> list[str]:
    return [cell_text(c.value) for c in cells]


def _no_sheet(path: str, sheets: list[str]) -> ConvertIssue:
    if not sheets:
        return file_error(path, "工作簿里没有工作表")
    names = "、".join(sheets)
    message = f"没有找到题目表：工作表（{names}）的第 1 行都没有“题干”或“题目”列"
    return ConvertIssue(path, 1, message, sheet=sheets[0])


def _read_sheet(
    path: str, ws: Any, header_cells: Sequence[Any], read: SheetRead, counter: _Counter
) -> list[Draft]:
    sheet = ws.title
    issues = read.issues
    for message in _formulas(header_cells):
        issues.append(ConvertIssue(path, 1, message, sheet))
    header, problems = read_header(_texts(header_cells))
    issues += [ConvertIssue(path, 1, message, sheet) for message in problems]
    if "answer" not in header.fields:
        return []
    drafts: list[Draft] = []
    unlabelled: set[int] = set()
    for row_no, cells in enumerate(ws.iter_rows(min_row=2), start=2):
        counter.tick()
        values = [c.value for c in cells]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        place = Place(path, row_no, sheet=sheet)
        problems = _formulas(cells) + _unlabelled(header, values, unlabelled)
        issues += [place.error(message) for message in problems]
        if not problems:
            drafts.append(_draft(place, header, values))
    return drafts


def _formulas(cells: Iterable[Any]) -> list[str]:
    return [
        f"{column(index)} 列是公式（{cell.value}）：请复制后“选择性粘贴”为数值再转换"
        for index, cell in enumerate(cells)
        if getattr(cell, "data_type", None) == "f"
    ]


def _unlabelled(header: Header, values: list[Any], reported: set[int]) -> list[str]:
    """Content in a column with no header, reported once per column."""
    problems = []
    for index in header.blank:
        filled = index < len(values) and cell_text(values[index]).strip()
        if filled and index not in reported:
            reported.add(index)
            problems.append(
                f"{column(index)} 列有内容但没有表头：请补上表头或删除这一列"
            )
    return problems


def _draft(place: Place, header: Header, values: list[Any]) -> Draft:
    row = place.line

    def raw(index: int | None) -> str:
        if index is None or index >= len(values):
            return ""
        return cell_text(values[index])

    def one(name: str) -> Part | None:
        text = clean_text(raw(header.fields.get(name)))
        return Part(text, row) if text else None

    single = {name: one(name) for name in _SINGLE_LINE}
    return Draft(
        place=place,
        stem=[Part(t, row) for t in clean_lines(raw(header.fields.get("stem")))],
        options=[
            DraftOption(letter, "\n".join(clean_lines(raw(index))), row)
            for letter, index in sorted(header.options.items())
        ],
        kind=single["type"],
        answer=single["answer"],
        explanation=[
            Part(t, row) for t in clean_lines(raw(header.fields.get("explanation")))
        ],
        difficulty=single["difficulty"],
        tags=single["tags"],
        source=single["source"],
        given_id=single["id"],
    )


class _Counter:
    """Calls ``progress(done, total)`` every STEP rows and once at the end."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def tick(self) -> None:
        self.done += 1
        if self.progress and self.done % STEP == 0:
            self.progress(min(self.done, self.total), self.total)

    def finish(self) -> None:
        if self.progress:
            self.progress(self.total, self.total)
