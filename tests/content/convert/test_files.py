"""Files that are not what their name says get one clear message."""

from __future__ import annotations

import pytest

from tests.content.convert.builders import HEADER, convert, docx_bytes, errors, xlsx


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("bank.xlsx", b"", "文件是空的"),
        ("bank.docx", b"", "文件是空的"),
        ("bank.csv", b"a,b",
         "这是 CSV 文件：请在 Excel 或 WPS 中打开，“另存为” .xlsx 后再转换"),
        ("bank.txt", b"x", "只能转换 .xlsx（Excel）和 .docx（Word）文件，这里是 .txt"),
        ("bank.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100),
         "这是旧版 Office 文件（.xls 或 .doc）或加了打开密码的文件：请在 Excel、"
         "Word 或 WPS 中去掉密码并“另存为” Excel 表格（.xlsx）后再转换"),
        ("bank.xlsx", "题型,题干\n单选,问题".encode(),
         "这不是 Excel 表格（.xlsx）（可能是改了扩展名的文本或其他文件）"),
        ("bank.docx", b"%PDF-1.7 ...",
         "这是 PDF 文件，不是 Word 文档（.docx）：请用原来的 Excel 或 Word 文件"),
        ("bank.xlsx", b"PK\x03\x04 broken",
         "文件已损坏，无法作为 Excel 表格（.xlsx）打开"),
    ],
)  # fmt: skip
def test_unreadable_files(name: str, data: bytes, message: str):
    assert errors(convert(name, data)) == [f"{name}: error: {message}"]


def test_a_word_file_named_xlsx_is_told_apart():
    assert errors(convert("bank.xlsx", docx_bytes(["1. 问题"]))) == [
        "bank.xlsx: error: 这其实是 Word 文档（.docx）：请把扩展名改为 .docx"
    ]


def test_an_excel_file_named_docx_is_told_apart():
    assert errors(convert("paper.docx", xlsx([], HEADER))) == [
        "paper.docx: error: 这其实是 Excel 表格（.xlsx）：请把扩展名改为 .xlsx"
    ]


def test_a_damaged_workbook_gets_one_message():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook><sheets>")
    assert errors(convert("bank.xlsx", buffer.getvalue())) == [
        "bank.xlsx: error: 文件已损坏，或是 Excel 的“Strict Open XML”格式："
        "请另存为普通的 .xlsx 再转换"
    ]
