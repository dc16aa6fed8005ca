"""Read organisation import files (CSV or XLSX) into rows with their locations."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook

#: Accepted header words (lower-cased) → canonical field, English and Chinese.
UNIT_HEADERS = {
    "code": "code",
    "组织编码": "code",
    "编码": "code",
    "name": "name",
    "组织名称": "name",
    "名称": "name",
    "kind": "kind",
    "类型": "kind",
    "组织类型": "kind",
    "parent": "parent",
    "上级编码": "parent",
    "上级组织编码": "parent",
}
MEMBER_HEADERS = {
    "username": "username",
    "账号": "username",
    "name": "name",
    "姓名": "name",
    "branch": "branch",
    "所在支部": "branch",
    "支部编码": "branch",
    "role": "role",
    "角色": "role",
    "exempt": "exempt",
    "免于统计": "exempt",
    "password": "password",
    "初始密码": "password",
}
REQUIRED = {
    "units": ("code", "name", "kind"),
    "members": ("username", "name", "branch"),
}
SHEETS = {"units": "units", "组织": "units", "members": "members", "党员": "members"}


@dataclass
class Row:
    where: str  #: ``file:row`` as a spreadsheet user counts (header = row 1)
    values: dict[str, str]


@dataclass
class Table:
    kind: str  #: ``units`` or ``members``
    source: str
    rows: list[Row] = field(default_factory=list)


class TableError(Exception):
    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")


def read_tables(path: Path) -> list[Table]:
    """Tables in one file: a CSV holds one, an XLSX its ``units``/``members`` sheets."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return list(_read_xlsx(path))
    return [_table(str(path), _csv_rows(path))]


def _csv_rows(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    # Excel in China saves CSV as GB18030/GBK unless told otherwise.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise TableError(f"{path}:1", "无法识别文件编码（请另存为 UTF-8 CSV）")
    return list(csv.reader(io.StringIO(text)))


def _read_xlsx(path: Path) -> Iterator[Table]:
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise TableError(f"{path}:1", f"无法读取 XLSX 文件：{exc}") from exc
    try:
        found = [name for name in book.sheetnames if name.strip().lower() in SHEETS]
        if not found:
            raise TableError(f"{path}:1", "XLSX 中没有名为 units 或 members 的工作表")
        for name in found:
            rows = [
                ["" if c is None else str(c) for c in r]
                for r in book[name].iter_rows(values_only=True)
            ]
            table = _table(f"{path}[{name}]", rows)
            if table.kind != SHEETS[name.strip().lower()]:
                raise TableError(f"{path}[{name}]:1", "工作表名称与表头不符")
            yield table
    finally:
        book.close()


def _table(source: str, rows: list[list[str]]) -> Table:
    if not rows:
        raise TableError(f"{source}:1", "文件是空的")
    header = [h.strip().lower() for h in rows[0]]
    kind = _kind_of(header)
    if kind is None:
        raise TableError(
            f"{source}:1",
            "无法识别表头：组织表需要 code/name/kind（组织编码/组织名称/类型），"
            "党员表需要 username/name/branch（账号/姓名/所在支部）",
        )
    names = UNIT_HEADERS if kind == "units" else MEMBER_HEADERS
    columns = [names.get(h) for h in header]
    table = Table(kind=kind, source=source)
    for number, cells in enumerate(rows[1:], start=2):
        values = {
            col: cell.strip()
            for col, cell in zip(columns, cells, strict=False)
            if col is not None
        }
        if any(values.values()):
            table.rows.append(Row(f"{source}:{number}", values))
    return table


def _kind_of(header: list[str]) -> str | None:
    for kind, names in (("members", MEMBER_HEADERS), ("units", UNIT_HEADERS)):
        present = {names[h] for h in header if h in names}
        if all(col in present for col in REQUIRED[kind]):
            return kind
    return None
