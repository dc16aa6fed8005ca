"""Stable ids: re-converting keeps them; edits keep them by row or number."""

from __future__ import annotations

import re

from tests.content.convert.builders import HEADER, convert, docx_bytes, errors, xlsx

ROWS = [
    ("单选", "“一课”指的是（　）。", "党课", "团课", "", "", "A", "指党课。"),
    ("判断", "党小组会一般每月召开一次。", "", "", "", "", "对", "每月一次。"),
    ("填空", "党的力量来自____。", "", "", "", "", "组织", "组织起来。"),
]


def ids_of(markdown: str) -> dict[str, str]:
    """Stem start → id, for each question heading."""
    found = re.findall(r"^## 【..题】(.{4}).* \{#([^}]+)\}$", markdown, re.M)
    return dict(found)


def test_converting_again_into_the_bank_is_byte_identical():
    first = convert("bank.xlsx", xlsx(ROWS))
    again = convert("bank.xlsx", xlsx(ROWS), existing=first.markdown)
    assert again.markdown == first.markdown
    assert (again.kept_ids, again.new_ids) == (3, 0)


def test_an_edited_question_keeps_the_id_of_its_row():
    first = convert("bank.xlsx", xlsx(ROWS))
    edited = [ROWS[0], (*ROWS[1][:6], "错", "改了答案。"), ROWS[2]]
    again = convert("bank.xlsx", xlsx(edited), existing=first.markdown)
    assert ids_of(again.markdown) == ids_of(first.markdown)
    assert "答案：错误" in again.markdown


def test_moved_questions_keep_their_ids_and_a_new_one_gets_the_next_number():
    first = convert("bank.xlsx", xlsx(ROWS))
    new = ("单选", "新加的题目（　）", "甲", "乙", "", "", "B", "")
    again = convert(
        "bank.xlsx", xlsx([new, ROWS[2], ROWS[0], ROWS[1]]), existing=first.markdown
    )
    before, after = ids_of(first.markdown), ids_of(again.markdown)
    assert {k: after[k] for k in before} == before
    assert after["新加的题"] == "dj-004"


def test_ids_the_database_knows_are_never_handed_out_again():
    from studyapp.content.convert.converter import convert_file

    result = convert_file(
        "bank.xlsx", xlsx(ROWS[:1]), out_name="dj.md", reserved={"dj-007", "x-1"}
    )
    assert list(ids_of(result.markdown).values()) == ["dj-008"]


def test_ids_come_from_the_id_column_and_a_bare_number_is_prefixed():
    header = (*HEADER, "编号")
    rows = [(*ROWS[0], "sj-001"), (*ROWS[1], 5), (*ROWS[2], "")]
    result = convert("bank.xlsx", xlsx(rows, header))
    assert list(ids_of(result.markdown).values()) == ["sj-001", "dj-005", "dj-006"]


def test_an_edited_word_question_keeps_the_id_of_its_number():
    paper = ["一、单选题", "1. 第一题（　）", "A. 甲　B. 乙", "答案：A",
             "2. 第二题（　）", "A. 甲　B. 乙", "答案：B"]  # fmt: skip
    first = convert("paper.docx", docx_bytes(paper))
    paper[4] = "2. 第二题改了（　）"
    again = convert("paper.docx", docx_bytes(paper), existing=first.markdown)
    assert list(ids_of(again.markdown).values()) == list(
        ids_of(first.markdown).values()
    )


def test_the_bank_id_title_and_lesson_are_kept_from_the_existing_bank():
    first = convert(
        "bank.xlsx", xlsx(ROWS), bank="djjc", title="党建基础", lesson="sanhui"
    )
    again = convert("bank.xlsx", xlsx(ROWS), existing=first.markdown)
    assert again.markdown == first.markdown
    assert again.markdown.startswith(
        "---\nid: djjc\ntitle: 党建基础\nlesson: sanhui\n---"
    )


def test_a_bank_id_that_is_not_an_id_is_refused():
    assert errors(convert("bank.xlsx", xlsx(ROWS), out="党建题库.md")) == [
        "bank.xlsx: error: 题库 id “党建题库” 无效：只能用字母、数字、- 和 _，"
        "请用 --bank 指定，如 --bank dangshi"
    ]
