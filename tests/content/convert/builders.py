"""Realistic .xlsx and .docx files built in memory, as authors make them."""

from __future__ import annotations

import io
from collections.abc import Sequence

import docx
import openpyxl

from studyapp.content.convert.converter import Conversion, ConvertOptions, convert_file

HEADER = ("题型", "题干", "选项A", "选项B", "选项C", "选项D", "答案", "解析")


def xlsx(
    rows: Sequence[Sequence[object]],
    header: Sequence[object] = HEADER,
    *,
    sheet: str = "题目",
    before: Sequence[str] = (),
) -> bytes:
    """A workbook: sheets named *before* (instructions), then *sheet* with the rows."""
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    for index, name in enumerate(before):
        ws = first if index == 0 else book.create_sheet(name)
        ws.title = name
        ws.append(["填写说明"])
        ws.append(["题干", "写题目内容"])
    ws = book.create_sheet(sheet) if before else first
    ws.title = sheet
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def docx_bytes(
    paragraphs: Sequence[str], *, images: dict[int, bytes] | None = None
) -> bytes:
    """A Word file, one paragraph per string; ``images[i]`` adds a picture to it."""
    document = docx.Document()
    for index, text in enumerate(paragraphs):
        paragraph = document.add_paragraph(text)
        if images and index in images:
            paragraph.add_run().add_picture(io.BytesIO(images[index]))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def convert(
    name: str,
    data: bytes,
    out: str = "dj.md",
    existing: str | None = None,
    **options: str,
) -> Conversion:
    return convert_file(
        name, data, out_name=out, existing=existing, options=ConvertOptions(**options)
    )


def errors(result: Conversion) -> list[str]:
    return [str(i) for i in result.errors]


#: A 1×1 PNG (red), for pictures in Word papers.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c4944415408d763f8cfc000000301010018dd8db00000000049454e44ae426082"
)
