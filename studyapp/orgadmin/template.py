"""The import template: an XLSX with Chinese headers, the admin's own units
already filled in (so the branch codes are at hand) and a 说明 sheet.

Also the file of initial passwords. PURE: values in, bytes out (openpyxl).
Text is written as text, never as a formula, whatever it starts with.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from studyapp.reports.export import escape_text

UNIT_HEADERS = ("组织编码", "组织名称", "类型", "上级编码")
MEMBER_HEADERS = ("账号", "姓名", "所在支部", "角色", "免于统计", "初始密码")
KIND_WORDS = {
    "committee": "党委",
    "general_branch": "党总支",
    "branch": "党支部",
    "group": "党小组",
}
INSTRUCTIONS = (
    ("怎样填写", ""),
    ("组织", "每行一个组织。已有的组织已经列出，可以改名称或上级；新组织填一行。"),
    ("组织编码", "字母、数字和 - _ .，例如 DY-XM-03。编码不能改，也不会重复使用。"),
    ("类型", "党委、党总支、党支部 或 党小组。"),
    ("上级编码", "上级组织的编码；只有全局管理员可以留空（顶层组织）。"),
    ("党员", "每行一个人。"),
    ("账号", "手机号或党员编号，3–64 位字母或数字；已有账号会更新姓名、支部和角色。"),
    ("所在支部", "党支部的编码（见“组织”表）。"),
    ("角色", "党员、书记 或 管理员；不填就是党员。角色授予在本人所在支部上。"),
    ("免于统计", "不填；或写原因（如 年老体弱、流动党员），此人不计入参学率和排行。"),
    ("初始密码", "可不填：系统会生成，导入后只显示一次，请当场下载。首次登录须修改。"),
    ("注意", ""),
    ("", "请不要用公式：公式单元格会被拒绝，请“选择性粘贴 › 数值”。"),
    ("", "导入前先预览：每一行会标出“新增”“修改”“不变”或错误，确认后再导入。"),
    ("", "任何一行有错，整个文件都不会导入；改好后重新上传即可。"),
)


def template_xlsx(units: Iterable[Sequence[str]]) -> bytes:
    """The template; ``units``: (code, name, kind, parent code) rows."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "组织"
    _table(
        sheet, UNIT_HEADERS, ((c, n, KIND_WORDS.get(k, k), p) for c, n, k, p in units)
    )
    members = book.create_sheet("党员")
    _table(members, MEMBER_HEADERS, [])
    for row in members.iter_rows(min_row=2, max_row=501, max_col=len(MEMBER_HEADERS)):
        for cell in row:  # phone numbers stay text, not 1.38E+10
            cell.number_format = "@"
    notes = book.create_sheet("说明")
    for row in INSTRUCTIONS:
        notes.append(list(row))
    notes.column_dimensions["A"].width = 14
    notes.column_dimensions["B"].width = 80
    for cell in notes["B"]:
        cell.alignment = Alignment(wrap_text=True)
    for cell in notes["A"]:
        cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _table(
    sheet: Worksheet, headers: Sequence[str], rows: Iterable[Sequence[str]]
) -> None:
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text stays text (no formula injection)
    for column, _header in zip("ABCDEF", headers, strict=False):
        sheet.column_dimensions[column].width = 18


def passwords_csv(rows: Iterable[Any]) -> bytes:
    """The generated initial passwords as a CSV Excel opens (UTF-8 with BOM);
    ``rows`` have ``username``, ``name``, ``password``."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["账号", "姓名", "初始密码"])
    for row in rows:
        writer.writerow([escape_text(row.username), escape_text(row.name),
                         escape_text(row.password)])  # fmt: skip
    return out.getvalue().encode("utf-8-sig")
