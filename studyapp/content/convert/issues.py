"""PURE: where a converted question came from, and the problems found in it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class ConvertIssue:
    """One problem, printed ``path[sheet]:row: error: …`` or ``path:para: error: …``.

    ``line`` is the spreadsheet row (the header is row 1) or the Word paragraph
    (counted from 1 in document order, table cells included); 0 means the whole
    file. ``number`` is a Word question's number as typed (``第N题：``).
    """

    path: str
    line: int
    message: str
    sheet: str | None = None
    number: str | None = None
    severity: Severity = "error"

    def __str__(self) -> str:
        where = self.path if self.sheet is None else f"{self.path}[{self.sheet}]"
        if self.line:
            where = f"{where}:{self.line}"
        prefix = f"第{self.number}题：" if self.number else ""
        return f"{where}: {self.severity}: {prefix}{self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


@dataclass(frozen=True)
class Place:
    """Where a question starts: its row in a sheet, or its paragraph and number."""

    path: str
    line: int
    sheet: str | None = None
    number: str | None = None

    def error(self, message: str, line: int | None = None) -> ConvertIssue:
        """An error about this question, at *line* (default: where it starts)."""
        return ConvertIssue(
            self.path, line or self.line, message, self.sheet, self.number
        )

    def warning(self, message: str) -> ConvertIssue:
        return ConvertIssue(
            self.path, self.line, message, self.sheet, self.number, "warning"
        )

    def describe(self) -> str:
        """``第 5 行`` for a row, ``第 3 题（第 12 段）`` for a Word question."""
        if self.number is None:
            return f"第 {self.line} 行"
        return f"第 {self.number} 题（第 {self.line} 段）"


def file_error(path: str, message: str, line: int = 0) -> ConvertIssue:
    """An error about the whole file (or one paragraph outside any question)."""
    return ConvertIssue(path, line, message)


def sorted_issues(
    issues: list[ConvertIssue], sheets: list[str] | tuple[str, ...] = ()
) -> tuple[ConvertIssue, ...]:
    """Issues in file order: by sheet (in workbook order), then row or paragraph.

    Issues on the same row keep the order they were found in.
    """
    order = {name: index for index, name in enumerate(sheets)}
    return tuple(sorted(issues, key=lambda i: (order.get(i.sheet or "", -1), i.line)))
