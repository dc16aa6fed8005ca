"""Read organisation import files (CSV or XLSX) into rows with their locations."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from studyapp.zipbudget import inflate_check

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


#: Largest import file accepted (a county's members fit in well under 1 MB).
MAX_BYTES = 5 * 1024 * 1024
#: Most rows read from one table, and the unpacked size of an XLSX.
MAX_ROWS = 50_000
MAX_UNPACKED = 100 * 1024 * 1024
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old .xls format


def read_tables(path: Path) -> list[Table]:
    """Tables in one file: a CSV holds one, an XLSX its ``units``/``members`` sheets."""
    return read_bytes(str(path), path.read_bytes())


def read_bytes(name: str, data: bytes) -> list[Table]:
    """The tables of one file given as bytes; ``name`` is how rows are located
    (``name:row``, ``name[sheet]:row``). TableError names what is wrong."""
    if len(data) > MAX_BYTES:
        raise TableError(
            f"{name}:1",
            f"文件太大（{len(data) / 2**20:.1f} MB），最多 {MAX_BYTES // 2**20} MB",
        )
    if Path(name).suffix.lower() in (".xlsx", ".xlsm"):
        return list(_read_xlsx(name, data))
    if data.startswith(_ZIP_MAGIC):
        raise TableError(
            f"{name}:1",
            "这是一个 Excel（.xlsx）文件，扩展名却是 .csv："
            "请把扩展名改回 .xlsx，或在 Excel 中另存为 CSV",
        )
    if data.startswith(_OLE_MAGIC):
        raise TableError(
            f"{name}:1", "这是旧版 Excel（.xls）文件：请在 Excel 中另存为 .xlsx 或 CSV"
        )
    return [_table(name, _csv_rows(name, data))]


def _csv_rows(name: str, raw: bytes) -> list[list[str]]:
    if b"\x00" in raw:  # text in UTF-8 or GBK never holds a NUL byte
        raise TableError(
            f"{name}:1",
            "不是文本格式的 CSV 文件（可能是图片、压缩包或其他文件改了扩展名）",
        )
    # Excel in China saves CSV as GB18030/GBK unless told otherwise.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise TableError(f"{name}:1", "无法识别文件编码（请另存为 UTF-8 CSV）")
    if sum(1 for ch in text if ch < " " and ch not in "\r\n\t") > 0:
        raise TableError(f"{name}:1", "不是文本格式的 CSV 文件（含有控制字符）")
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise TableError(f"{name}:1", f"CSV 格式有误：{exc}") from exc
    if len(rows) > MAX_ROWS + 1:
        raise TableError(f"{name}:1", f"行数太多（最多 {MAX_ROWS} 行）")
    return rows


def _read_xlsx(name: str, data: bytes) -> Iterator[Table]:
    _check_unpacked(name, data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise TableError(f"{name}:1", f"无法读取 XLSX 文件：{exc}") from exc
    try:
        found = [s for s in book.sheetnames if s.strip().lower() in SHEETS]
        if not found:
            raise TableError(
                f"{name}:1", "XLSX 中没有名为 units/组织 或 members/党员 的工作表"
            )
        for sheet in found:
            rows = list(_sheet_rows(f"{name}[{sheet}]", book[sheet]))
            table = _table(f"{name}[{sheet}]", rows)
            if table.kind != SHEETS[sheet.strip().lower()]:
                raise TableError(f"{name}[{sheet}]:1", "工作表名称与表头不符")
            yield table
    finally:
        book.close()


def _sheet_rows(source: str, sheet: Any) -> Iterator[list[str]]:
    for number, row in enumerate(sheet.iter_rows(), start=1):
        if number > MAX_ROWS + 1:
            raise TableError(f"{source}:1", f"行数太多（最多 {MAX_ROWS} 行）")
        cells = []
        for cell in row:
            if getattr(cell, "data_type", None) == "f":
                raise TableError(
                    f"{source}:{number}",
                    f"单元格 {cell.coordinate} 是公式：请复制整张表，"
                    "用“选择性粘贴 › 数值”粘贴后再上传",
                )
            cells.append(_cell_text(cell.value))
        yield cells


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone number typed as a number
    return str(value)


def _check_unpacked(name: str, data: bytes) -> None:
    verdict = inflate_check(data, MAX_UNPACKED)  # real bytes, not the headers
    if verdict == "damaged":
        raise TableError(
            f"{name}:1", "不是有效的 XLSX 文件（文件已损坏，或不是 Excel 文件）"
        )
    if verdict == "too_large":
        raise TableError(f"{name}:1", "XLSX 解压后太大，无法读取")


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
