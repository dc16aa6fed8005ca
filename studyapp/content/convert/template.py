"""PURE: the downloadable question-bank workbook: an instructions sheet, then 题目.

The same layout serves the empty template (with one example of each type) and
the export of a bank (``export``); ``sheet.read_workbook`` skips the
instructions sheet because its first row has no 题干 column.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

import xlsxwriter

from studyapp.content.convert.headers import OPTION_LETTERS, TEMPLATE_HEADERS

QUESTIONS_SHEET = "题目"
INSTRUCTIONS_SHEET = "填写说明"
#: Rows the template's 题型 drop-down list covers.
VALIDATED_ROWS = 10_000
Row = Sequence[object]

INSTRUCTIONS = (
    ("题库模板填写说明", ""),
    ("", ""),
    ("列", "怎么填"),
    ("题型", "单选、多选、判断、填空（可带“题”字）；不填时按答案判断"),
    ("题干", "必填。填空题用 ____（至少 3 个下划线）或（　）标出每个空"),
    ("选项A…选项H", "单选、多选题填 2 到 8 个选项，从 A 起连续填写；判断、填空题不填"),
    ("答案", "单选填一个字母，如 B；多选填 A,B,C 或 ABC；"
             "判断填 对/错、正确/错误 或 √/×；"
             "填空每个空一个答案，用“；”隔开，同一个空的几种答案用“|”隔开"),
    ("解析", "可选，建议填写；可以换行分段"),
    ("难度", "可选，1–5 的整数（或 易、较易、中等、较难、难）"),
    ("标签", "可选，几个标签用“、”隔开"),
    ("出处", "可选，讲解这道题的课程 id"),
    ("编号", "可选，题目的固定 id（字母、数字、- 和 _）；"
             "不填时自动编号，重新转换时保持不变"),
    ("", ""),
    ("注意", "题目写在“题目”工作表，第 1 行是表头，从第 2 行起每行一道题；"
             "不要用公式，示例行请改写或删除"),
    ("", "转换：studyapp content convert 题库.xlsx -o content/quizzes/题库id.md"),
)  # fmt: skip


def question_row(
    kind: str,
    stem: str,
    options: Sequence[str] = (),
    answer: str = "",
    explanation: str = "",
    difficulty: int | None = None,
    tags: Sequence[str] = (),
    source: str | None = None,
    qid: str = "",
) -> list[object]:
    """One row of the 题目 sheet, in the order of ``TEMPLATE_HEADERS``."""
    padded = [*options, *[""] * (len(OPTION_LETTERS) - len(options))]
    level: object = "" if difficulty is None else difficulty
    return [kind, stem, *padded, answer, explanation, level, "、".join(tags),
            source or "", qid]  # fmt: skip


EXAMPLES = (
    question_row(
        "单选", "“三会一课”中的“一课”指的是（　）。", ["党课", "团课", "形势政策课"],
        "A", "“一课”指党课。", 1, ["三会一课"],
    ),
    question_row(
        "多选", "下列属于“三会一课”中“三会”的有（　）。",
        ["支部党员大会", "支部委员会", "党小组会", "团员大会"], "A,B,C",
        "“三会”不包括团员大会。", 2, ["三会一课", "组织生活"],
    ),
    question_row(
        "判断", "党支部应当每季度至少召开一次支部党员大会。", answer="对",
        explanation="支部党员大会一般每季度召开一次。",
    ),
    question_row(
        "填空", "党支部委员会一般由____至____人组成。", answer="3|三；5|五",
        explanation="党员人数较多的支部设委员会，由 3 至 5 人组成。",
    ),
)  # fmt: skip


def template_xlsx() -> bytes:
    """The empty template: instructions, then 题目 with one example of each type."""
    return workbook_bytes(EXAMPLES)


def workbook_bytes(rows: Iterable[Row]) -> bytes:
    """The instructions sheet and a 题目 sheet holding *rows* under the template header.

    Cells are written as text exactly (never as formulas, numbers or links), so an
    exported ``=…`` stays text and a re-conversion reads what was written.
    """
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    _instructions(book)
    _questions(book, rows)
    book.close()
    return buffer.getvalue()


def _instructions(book: xlsxwriter.Workbook) -> None:
    sheet = book.add_worksheet(INSTRUCTIONS_SHEET)
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, 1, 90, wrap)
    sheet.write(
        0, 0, INSTRUCTIONS[0][0], book.add_format({"bold": True, "font_size": 14})
    )
    for index, (name, text) in enumerate(INSTRUCTIONS[1:], start=1):
        sheet.write(index, 0, name, bold if index == 2 or name == "注意" else None)
        sheet.write(index, 1, text, bold if index == 2 else wrap)


def _questions(book: xlsxwriter.Workbook, rows: Iterable[Row]) -> None:
    sheet = book.add_worksheet(QUESTIONS_SHEET)
    header = book.add_format({"bold": True, "bg_color": "#F2DCDB", "border": 1})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet.write_row(0, 0, TEMPLATE_HEADERS, header)
    widths = {"题型": 8, "题干": 48, "答案": 12, "解析": 36, "难度": 6, "标签": 16}
    for index, name in enumerate(TEMPLATE_HEADERS):
        sheet.set_column(index, index, widths.get(name, 14), wrap)
    sheet.freeze_panes(1, 0)
    count = 0
    for count, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if value not in ("", None):
                sheet.write(count, col, value)
    last = max(count, VALIDATED_ROWS)
    type_col = TEMPLATE_HEADERS.index("题型")
    sheet.data_validation(
        1, type_col, last, type_col,
        # "information": 单选题 and the other spellings stay allowed.
        {"validate": "list", "source": ["单选", "多选", "判断", "填空"],
         "error_type": "information"},
    )  # fmt: skip
