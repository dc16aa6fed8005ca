"""Property tests: any workbook, Word file or bytes gives a result or errors that
name the file (and sheet and row), never an exception."""

from __future__ import annotations

import io
import os
import re
import string
import zipfile

import docx
import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from studyapp.content.convert.converter import Conversion
from tests.content.convert.builders import HEADER, convert

#: XML 1.0 cannot hold most control characters, so neither Excel nor Word files
#: can; the rest (tabs, newlines, ``_x0001_`` escapes, RTL marks) are fair game.
_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
TYPES = st.sampled_from(["单选题", "多选题", "判断题", "填空题", "单选", "多选",
                         "判断", "填空", "问答题", "", "1"])  # fmt: skip
ANSWERS = st.sampled_from(["A", "AB", "ABCD", "E", "正确", "错误", "对", "√", "×",
                           "a", "A,B", "A、C", "1", ""])  # fmt: skip
TEXT = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["=1+1", "=HYPERLINK(\"http://x\",\"y\")", "@SUM(A1)", "+1",
                     "_x0001_", "\u202e反向", "😀🇨🇳", "{{答案}}", "## 标题",
                     "<script>alert(1)</script>", "\t\n\r", "　", "A", "题干"]),
    st.text(min_size=1, max_size=2).map(lambda s: s * 20_000),
).map(lambda s: _XML_BAD.sub("", s))  # fmt: skip
CELL = st.one_of(
    st.none(),
    TEXT,
    TYPES,
    ANSWERS,
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.datetimes(),
)
HEADERS = st.one_of(
    st.just(list(HEADER)),
    st.permutations(list(HEADER)),
    st.lists(st.sampled_from([*HEADER, "选项E", "难度", "标签", "题号", "x", ""]),
             max_size=10),
    st.lists(CELL, max_size=6),
)  # fmt: skip
SHEET_NAMES = st.text(
    alphabet=string.ascii_letters + "题目说明 0123456789", min_size=1, max_size=20
)


def _clean(value: object) -> object:
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


@st.composite
def workbooks(draw: st.DrawFn) -> bytes:
    book = openpyxl.Workbook()
    names = draw(st.lists(SHEET_NAMES, min_size=1, max_size=3, unique_by=str.lower))
    first = book.active
    assert first is not None
    for index, name in enumerate(names):
        ws = first if index == 0 else book.create_sheet()
        ws.title = name
        if draw(st.booleans()):
            continue  # an empty sheet
        ws.append([_clean(v) for v in draw(HEADERS)])
        rows = draw(st.lists(st.lists(CELL, max_size=10), max_size=12))
        for row in rows:
            ws.append([_clean(v) for v in row])
        for _ in range(draw(st.integers(0, 2))):
            top, left = draw(st.integers(1, 8)), draw(st.integers(1, 8))
            ws.merge_cells(start_row=top, start_column=left,
                           end_row=top + draw(st.integers(0, 3)),
                           end_column=left + draw(st.integers(0, 3)))  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


PIECES = st.sampled_from(["1. ", "第1题：", "一、单选题", "二、判断题", "A. ", "B、",
                          "（A）", "答案：", "【答案】", "解析：", "（　）", "(  )",
                          "正确", "错误", "ABCD", "\n", "\t", "{{", "}}"])  # fmt: skip
PARAGRAPH = st.lists(PIECES | TEXT, max_size=6).map("".join)


@st.composite
def documents(draw: st.DrawFn) -> bytes:
    document = docx.Document()
    for text in draw(st.lists(PARAGRAPH, max_size=25)):
        document.add_paragraph(_clean(text))
    if draw(st.booleans()):
        cells = draw(st.lists(st.lists(PARAGRAPH, min_size=1, max_size=4),
                              min_size=1, max_size=4))  # fmt: skip
        table = document.add_table(rows=len(cells), cols=max(map(len, cells)))
        for r, row in enumerate(cells):
            for c, text in enumerate(row):
                table.cell(r, c).text = _clean(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@st.composite
def zips(draw: st.DrawFn) -> bytes:
    """A zip that is not an Office file, or one whose parts are garbage."""
    buffer = io.BytesIO()
    names = st.sampled_from(["[Content_Types].xml", "xl/workbook.xml",
                             "word/document.xml", "xl/worksheets/sheet1.xml",
                             "_rels/.rels", "a.txt"])  # fmt: skip
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in draw(st.lists(names, max_size=4, unique=True)):
            archive.writestr(name, draw(st.binary(max_size=200)))
    return buffer.getvalue()


def _check(result: Conversion, name: str) -> None:
    assert isinstance(result, Conversion)
    for issue in result.issues:
        assert issue.path == name and issue.line >= 0 and issue.message
        assert str(issue).startswith(name)
        if issue.sheet is not None:
            assert issue.line >= 1, str(issue)  # a sheet's problem names its row
    if result.ok:
        assert result.markdown.startswith("---\n")


#: ``make fuzz`` runs more examples (STUDYAPP_FUZZ_EXAMPLES).
EXAMPLES = int(os.environ.get("STUDYAPP_FUZZ_EXAMPLES", 60))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@SETTINGS
@given(workbooks())
def test_any_workbook_converts_or_names_its_sheet_and_row(data: bytes) -> None:
    _check(convert("bank.xlsx", data), "bank.xlsx")


@SETTINGS
@given(documents())
def test_any_word_file_converts_or_names_its_paragraph(data: bytes) -> None:
    _check(convert("paper.docx", data), "paper.docx")


@SETTINGS
@given(st.sampled_from(["bank.xlsx", "paper.docx"]), st.binary(max_size=3000) | zips())
def test_garbage_named_xlsx_or_docx_is_one_clear_error(name: str, data: bytes) -> None:
    result = convert(name, data)
    _check(result, name)
    assert not result.ok


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_an_empty_part_in_a_workbook_is_a_damaged_file():
    # openpyxl parses with lxml: XMLSyntaxError, not ElementTree's ParseError.
    data = _zip({"[Content_Types].xml": b"", "xl/workbook.xml": b""})
    assert [str(i) for i in convert("bank.xlsx", data).errors] == [
        "bank.xlsx: error: 文件已损坏，或是 Excel 的“Strict Open XML”格式："
        "请另存为普通的 .xlsx 再转换"
    ]


def test_a_damaged_content_types_part_in_a_word_file_is_a_damaged_file():
    # python-docx raised AttributeError on this.
    data = _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b""})
    assert [str(i) for i in convert("paper.docx", data).errors] == [
        "paper.docx: error: 文件已损坏，无法作为 Word 文档打开"
    ]
