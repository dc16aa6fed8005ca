"""PURE: tell what kind of file some bytes are, and say why they cannot be read."""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath
from typing import Literal

from studyapp.zipbudget import inflate_check

FileKind = Literal["xlsx", "docx"]
EXTENSIONS: dict[str, FileKind] = {".xlsx": "xlsx", ".docx": "docx"}
#: An Office file this large once unpacked is not a question bank (or is a zip bomb).
MAX_UNPACKED = 200 * 1024 * 1024
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_NAMES = {"xlsx": "Excel 表格（.xlsx）", "docx": "Word 文档（.docx）"}
_OLD_FORMATS = {
    ".xls": "旧版 Excel（.xls）文件：请在 Excel 或 WPS 中“另存为” .xlsx 后再转换",
    ".doc": "旧版 Word（.doc）文件：请在 Word 或 WPS 中“另存为” .docx 后再转换",
    ".et": "WPS 表格（.et）文件：请在 WPS 中“另存为” .xlsx 后再转换",
    ".wps": "WPS 文字（.wps）文件：请在 WPS 中“另存为” .docx 后再转换",
    ".csv": " CSV 文件：请在 Excel 或 WPS 中打开，“另存为” .xlsx 后再转换",
}


def kind_of(name: str) -> FileKind | None:
    """``xlsx`` or ``docx`` from the file name's extension, else None."""
    return EXTENSIONS.get(PurePath(name).suffix.lower())


def extension_problem(name: str) -> str | None:
    """Why a file with this name cannot be converted, or None when it can."""
    suffix = PurePath(name).suffix.lower()
    if suffix in EXTENSIONS:
        return None
    if suffix in _OLD_FORMATS:
        return "这是" + _OLD_FORMATS[suffix]
    shown = suffix or "（无扩展名）"
    return f"只能转换 .xlsx（Excel）和 .docx（Word）文件，这里是 {shown}"


def content_problem(kind: FileKind, data: bytes) -> str | None:
    """Why *data* is not a readable file of *kind*, or None when it looks right."""
    if not data:
        return "文件是空的"
    if data.startswith(_OLE2):
        return (
            "这是旧版 Office 文件（.xls 或 .doc）或加了打开密码的文件：请在 Excel、"
            f"Word 或 WPS 中去掉密码并“另存为” {_NAMES[kind]}后再转换"
        )
    if data.startswith(b"%PDF"):
        return f"这是 PDF 文件，不是 {_NAMES[kind]}：请用原来的 Excel 或 Word 文件"
    if not data.startswith(b"PK"):
        return f"这不是 {_NAMES[kind]}（可能是改了扩展名的文本或其他文件）"
    return _zip_problem(kind, data)


def _zip_problem(kind: FileKind, data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return f"文件已损坏，无法作为 {_NAMES[kind]}打开"
    names = {info.filename for info in infos}
    actual: FileKind | None = None
    if "xl/workbook.xml" in names:
        actual = "xlsx"
    elif "word/document.xml" in names:
        actual = "docx"
    if actual is None:
        inside = "工作簿" if kind == "xlsx" else "文档"
        return f"这不是 {_NAMES[kind]}（压缩包里没有{inside}）"
    if actual != kind:
        return f"这其实是 {_NAMES[actual]}：请把扩展名改为 .{actual}"
    verdict = inflate_check(data, MAX_UNPACKED)  # real bytes, not the headers
    if verdict == "too_large":
        return "文件解压后超过 200 MB，不像是题库：请检查文件"
    if verdict == "damaged":
        return f"文件已损坏，无法作为 {_NAMES[kind]}打开"
    return None
