"""The template, the sample paper, and export of a bank back to the template."""

from __future__ import annotations

import io

import openpyxl

from studyapp.content.convert.export import export_xlsx
from studyapp.content.convert.headers import TEMPLATE_HEADERS
from studyapp.content.convert.sample import sample_docx
from studyapp.content.convert.template import template_xlsx
from studyapp.content.format.docs import BankDoc
from studyapp.content.format.parser import parse_file
from tests.content.convert.builders import HEADER, convert, errors, xlsx

HAND_WRITTEN = """---
id: djjc
title: 党建基础
lesson: sanhui
---

## 【单选题】“三会一课”中的“一课”指的是（　）。 {#sj-001}
- A. 党课
- B. **团课**
- C. 形势政策课
答案：A
解析：“三会”指支部党员大会、支部委员会和党小组会。
标签：三会一课
难度：2

## 下列属于“三会”的有（　） {#sj-002}
- [x] 支部党员大会
- [x] 支部委员会
- [ ] 团员大会
> 解析：三会一课不包括团员大会。
>
> 第二段。
出处: zuzhi

## 【判断题】党支部应当每季度至少召开一次支部党员大会。 {#sj-003}
答案：对

## 党委委员由{{3|三}}至{{5|五}}人组成，书记为=A1。 {#sj-004}
"""


def bank(text: str) -> BankDoc:
    doc, issues = parse_file("quizzes/djjc.md", text)
    assert isinstance(doc, BankDoc) and not [i for i in issues if i.is_error], issues
    return doc


def same_questions(a: BankDoc, b: BankDoc) -> None:
    fields = ("id", "type", "stem_md", "answer", "explanation_md", "tags",
              "difficulty", "source_lesson")  # fmt: skip
    for one, other in zip(a.questions, b.questions, strict=True):
        assert [getattr(one, f) for f in fields] == [getattr(other, f) for f in fields]
        assert [o.text_md for o in one.options] == [o.text_md for o in other.options]


def test_the_template_puts_its_instructions_before_the_questions_sheet():
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    assert book.sheetnames == ["填写说明", "题目"]
    header = [c.value for c in next(book["题目"].iter_rows(max_row=1))]
    assert header == list(TEMPLATE_HEADERS)


def test_the_template_converts_without_errors_or_warnings():
    result = convert("模板.xlsx", template_xlsx())
    assert result.ok and not result.issues, [str(i) for i in result.issues]
    assert dict(result.counts) == {"单选题": 1, "多选题": 1, "判断题": 1, "填空题": 1}


def test_the_sample_paper_converts_without_errors_or_warnings():
    result = convert("示例试卷.docx", sample_docx())
    assert result.ok and not result.issues, [str(i) for i in result.issues]
    assert sum(result.counts.values()) == 5


def test_export_then_convert_gives_the_same_questions_and_ids():
    original = bank(HAND_WRITTEN)
    result = convert("djjc.xlsx", export_xlsx(original), lesson="sanhui")
    assert result.ok, errors(result)
    same_questions(original, bank(result.markdown))


def test_an_exported_cell_starting_with_equals_stays_text():
    book = openpyxl.load_workbook(io.BytesIO(export_xlsx(bank(HAND_WRITTEN))))
    stems = [row[1].value for row in book["题目"].iter_rows(min_row=2)]
    assert stems[-1] == "党委委员由____至____人组成，书记为=A1。"
    assert book["题目"]["B5"].data_type == "s"


def test_a_converted_bank_round_trips_byte_for_byte():
    rows = [
        ("单选", "“一课”指的是（　）。", "党课", "团课", "", "", "A", "指党课。"),
        ("多选", "属于“三会”的有（　）", "支部党员大会", "支部委员会", "党小组会", "",
         "AB", "第一段。\n第二段。"),
        ("填空", "党支部委员会由____至____人组成。", "", "", "", "", "3|三；5|五", "x"),
    ]  # fmt: skip
    first = convert("bank.xlsx", xlsx(rows, HEADER))
    exported = export_xlsx(bank(first.markdown))
    again = convert("bank.xlsx", exported, existing=first.markdown)
    assert again.markdown == first.markdown
