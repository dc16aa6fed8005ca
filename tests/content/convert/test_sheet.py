"""Spreadsheets: every layout the contract accepts, and every fault at its row."""

from __future__ import annotations

from studyapp.content.format.docs import BankDoc
from studyapp.content.format.parser import parse_file
from tests.content.convert.builders import HEADER, convert, errors, xlsx

WIDE = ("题型", "题干", *(f"选项{c}" for c in "ABCDEFGH"), "答案", "解析")


def parsed(result) -> BankDoc:  # type: ignore[no-untyped-def]
    assert result.ok, errors(result)
    doc, issues = parse_file("quizzes/dj.md", result.markdown)
    assert isinstance(doc, BankDoc), issues
    assert not [i for i in issues if i.is_error]
    return doc


def test_every_type_converts_and_parses_back():
    rows = [
        ("单选", "“一课”指的是（　）。", "党课", "团课", "形势课", "", "A", "党课。"),
        ("多选题", "属于“三会”的有（　）", "支部党员大会", "支部委员会", "党小组会",
         "团员大会", "A,B,C", "不含团员大会。"),
        ("判断", "党小组会一般每月召开一次。", "", "", "", "", "√", "每月一次。"),
        ("填空题", "党的力量来自____。", "", "", "", "", "组织|党组织", "组织起来。"),
    ]  # fmt: skip
    doc = parsed(convert("bank.xlsx", xlsx(rows)))
    assert [(q.type, q.answer) for q in doc.questions] == [
        ("single", "A"),
        ("multiple", ("A", "B", "C")),
        ("truefalse", True),
        ("fill", (("组织", "党组织"),)),
    ]
    assert [q.id for q in doc.questions] == ["dj-001", "dj-002", "dj-003", "dj-004"]


def test_traditional_characters_are_kept_as_typed():
    rows = [
        (
            "單選",
            "「三會一課」中的「一課」指的是（　）。",
            "黨課",
            "團課",
            "",
            "",
            "A",
            "",
        )
    ]
    doc = parsed(convert("bank.xlsx", xlsx(rows)))
    question = doc.questions[0]
    assert question.stem_md == "「三會一課」中的「一課」指的是（　）。"
    assert [o.text_md for o in question.options] == ["黨課", "團課"]


def test_headers_type_names_and_answers_in_traditional_characters():
    header = ("題型", "題幹", "選項A", "選項B", "答案")
    rows = [("單選題", "問題（　）", "甲", "乙", "B"), ("判斷", "說法", "", "", "錯")]
    doc = parsed(convert("bank.xlsx", xlsx(rows, header)))
    assert [(q.type, q.answer) for q in doc.questions] == [
        ("single", "B"),
        ("truefalse", False),
    ]


def test_five_and_eight_options():
    rows = [
        ("多选", "五个选项（　）", *"甲乙丙丁戊", "", "", "", "A、C、E", ""),
        ("单选", "八个选项（　）", *"一二三四五六七八", "H", ""),
    ]
    doc = parsed(convert("bank.xlsx", xlsx(rows, WIDE)))
    five, eight = doc.questions
    assert [o.key for o in five.options] == list("ABCDE") and five.answer == (
        "A",
        "C",
        "E",
    )
    assert len(eight.options) == 8 and eight.answer == "H"


def test_two_blank_fill_in_with_alternatives():
    rows = [
        ("填空", "党支部委员会由____至（　）人组成。", "", "", "", "", "3|三；5|五", "")
    ]
    doc = parsed(convert("bank.xlsx", xlsx(rows)))
    question = doc.questions[0]
    assert question.stem_md == "党支部委员会由{{3|三}}至{{5|五}}人组成。"
    assert question.answer == (("3", "三"), ("5", "五"))


def test_odd_whitespace_and_full_width_punctuation():
    header = (
        "序号",
        "类型",
        "题目",
        "选项 Ａ",
        "选项Ｂ",
        "正确答案",
        "答案解析",
        "知识点",
    )
    rows = [
        (1, " 单选 ", "\u3000党支部\xa0应当（　）。\u200b ", " 按期换届\n", "\t不换届",
         "Ａ", "第一段。\r\n\r\n第二段。", "组织生活，换届"),
    ]  # fmt: skip
    question = parsed(convert("bank.xlsx", xlsx(rows, header))).questions[0]
    assert question.stem_md == "党支部 应当（　）。"
    assert [o.text_md for o in question.options] == ["按期换届", "不换届"]
    assert question.answer == "A"
    assert question.explanation_md == "第一段。\n\n第二段。"
    assert question.tags == ("组织生活", "换届")


def test_answer_spellings():
    rows = [
        ("多选", "甲（　）", "a", "b", "c", "d", "ABD", ""),
        ("多选", "乙（　）", "a", "b", "c", "d", "A, B, D", ""),
        ("多选", "丙（　）", "a", "b", "c", "d", "a、b、d", ""),
        ("判断", "丁", "", "", "", "", "错误", ""),
        ("判断", "戊", "", "", "", "", "×", ""),
        ("判断", "己", "", "", "", "", True, ""),
    ]
    doc = parsed(convert("bank.xlsx", xlsx(rows)))
    assert [q.answer for q in doc.questions] == [
        ("A", "B", "D"), ("A", "B", "D"), ("A", "B", "D"), False, False, True
    ]  # fmt: skip


def test_types_follow_from_the_answers_when_the_column_is_empty():
    rows = [
        ("", "一（　）", "a", "b", "", "", "B", ""),
        ("", "二（　）", "a", "b", "c", "", "AC", ""),
        ("", "三", "", "", "", "", "对", ""),
        ("", "四____", "", "", "", "", "五", ""),
    ]
    doc = parsed(convert("bank.xlsx", xlsx(rows)))
    assert [q.type for q in doc.questions] == [
        "single",
        "multiple",
        "truefalse",
        "fill",
    ]


def test_an_instructions_sheet_before_the_questions_is_skipped():
    rows = [("单选", "问题（　）", "甲", "乙", "", "", "B", "")]
    result = convert("bank.xlsx", xlsx(rows, before=["说明"]))
    assert len(parsed(result).questions) == 1


def test_metadata_columns_and_ignored_ones():
    header = ("序号", "题型", "题干", "A", "B", "答案", "难度", "标签", "出处", "备注")
    rows = [
        (7, "单选", "问题（　）", "甲", "乙", "A", "较难", "党史、党章", "dangshi", "x")
    ]
    question = parsed(convert("bank.xlsx", xlsx(rows, header))).questions[0]
    assert question.difficulty == 4
    assert question.tags == ("党史", "党章")
    assert question.source_lesson == "dangshi"


def test_options_in_true_false_columns_are_read_as_true_false():
    rows = [("判断", "党员应当按期交纳党费。", "正确", "错误", "", "", "A", "")]
    assert parsed(convert("bank.xlsx", xlsx(rows))).questions[0].answer is True


def test_every_fault_is_reported_at_its_row():
    rows = [
        ("单选", "答案不是选项（　）", "甲", "乙", "", "", "E", ""),  # 2
        ("单选", "两个答案（　）", "甲", "乙", "", "", "AB", ""),  # 3
        ("简答", "未知题型", "", "", "", "", "略", ""),  # 4
        ("单选", "", "甲", "乙", "", "", "A", ""),  # 5
        ("判断", "判断答案不对", "", "", "", "", "A", ""),  # 6
        ("单选", "没有答案（　）", "甲", "乙", "", "", "", ""),  # 7
        ("单选", "重复的题（　）", "甲", "乙", "", "", "A", ""),  # 8
        ("单选", "重复的题（　）", "甲", "乙", "", "", "B", ""),  # 9
        ("单选", "一个选项（　）", "甲", "", "", "", "A", ""),  # 10
        ("填空", "一个空____", "", "", "", "", "甲；乙", ""),  # 11
        ("单选", "公式（　）", "甲", "乙", "", "", "=1+1", ""),  # 12
        ("单选", "选项有空缺（　）", "甲", "", "丙", "", "A", ""),  # 13
        ("多选", "多选只有一个答案（　）", "甲", "乙", "", "", "A", ""),  # 14
    ]
    prefix = "bank.xlsx[题目]"
    assert errors(convert("bank.xlsx", xlsx(rows))) == [
        f"{prefix}:2: error: 答案 E 不在选项 A、B 中",
        f"{prefix}:3: error: 单选题只能有 1 个答案，这里是 A、B",
        f"{prefix}:4: error: 未知题型“简答”："
        "题型应为 单选、多选、判断、填空（可带“题”字）",
        f"{prefix}:5: error: 缺少题干",
        f"{prefix}:6: error: 判断题的答案应为 对/错、正确/错误 或 √/×，这里是“A”",
        f"{prefix}:7: error: 缺少答案",
        f"{prefix}:9: error: 与第 8 行的题目重复",
        f"{prefix}:10: error: 只有 1 个选项，至少要 2 个",
        f"{prefix}:11: error: 题干有 1 个空，但答案有 2 个"
        "（几个空的答案用“；”隔开，一个空的几种答案用“|”隔开）",
        f"{prefix}:12: error: G 列是公式（=1+1）：请复制后“选择性粘贴”为数值再转换",
        f"{prefix}:13: error: 选项 B 为空，但后面还有选项 C",
        f"{prefix}:14: error: 多选题至少要有 2 个正确答案，这里只有 A",
    ]


def test_a_fill_in_without_blanks_and_options_on_fill_in():
    rows = [
        ("填空", "没有空的填空题", "", "", "", "", "甲", ""),
        ("填空", "有选项的填空____", "甲", "乙", "", "", "甲", ""),
    ]
    assert errors(convert("bank.xlsx", xlsx(rows))) == [
        "bank.xlsx[题目]:2: error: 填空题的题干中没有空："
        "用 ____（至少 3 个下划线）或（　）标出每个空",
        "bank.xlsx[题目]:3: error: 填空题不写选项",
    ]


def test_bad_metadata_is_reported():
    header = (*HEADER, "难度", "出处", "编号")
    rows = [
        ("单选", "甲（　）", "a", "b", "", "", "A", "", "很难", "第一课", "x y"),
        ("单选", "乙（　）", "a", "b", "", "", "A", "", 3, "", "dj-009"),
        ("单选", "丙（　）", "a", "b", "", "", "A", "", 3, "", "dj-009"),
    ]
    assert errors(convert("bank.xlsx", xlsx(rows, header))) == [
        "bank.xlsx[题目]:2: error: 难度应为 1–5 的整数（或 易、较易、中等、较难、难），"
        "这里是“很难”",
        "bank.xlsx[题目]:2: error: "
        "出处应为课程 id（字母、数字、- 和 _），这里是“第一课”",
        "bank.xlsx[题目]:2: error: 编号“x y”无效：只能用字母、数字、- 和 _",
        "bank.xlsx[题目]:4: error: 编号 dj-009 与第 3 行的编号重复",
    ]


def test_a_stem_line_that_would_become_an_option_is_refused():
    rows = [("单选", "阅读材料：\nA. 这一行像选项", "甲", "乙", "", "", "A", "")]
    assert errors(convert("bank.xlsx", xlsx(rows))) == [
        "bank.xlsx[题目]:2: error: 题干中的“A. 这一行像选项”会被当作"
        "选项（行首的 A. 或 - [ ]）：请改写这一段的开头"
    ]


def test_wrong_and_missing_headers():
    header = ("题型", "题干", "选项A", "选项B", "分数", "题型", "解释")
    rows = [("单选", "问题（　）", "甲", "乙", 2, "单选", "")]
    accepted = "题型、题干、选项A…选项H、答案、解析、难度、标签、出处、编号"
    assert errors(convert("bank.xlsx", xlsx(rows, header))) == [
        f"bank.xlsx[题目]:1: error: 无法识别的表头“分数”（E 列）："
        f"可用的表头有 {accepted}；不需要的列请删除",
        "bank.xlsx[题目]:1: error: 表头“题型”重复（A 列和 F 列）",
        f"bank.xlsx[题目]:1: error: 无法识别的表头“解释”（G 列）："
        f"可用的表头有 {accepted}；不需要的列请删除",
        "bank.xlsx[题目]:1: error: 缺少“答案”列（也可写作“正确答案”）",
    ]


def test_a_workbook_without_a_question_sheet():
    data = xlsx([("a", "b")], header=("名称", "说明"), sheet="Sheet1")
    assert errors(convert("bank.xlsx", data)) == [
        "bank.xlsx[Sheet1]:1: error: 没有找到题目表："
        "工作表（Sheet1）的第 1 行都没有“题干”或“题目”列"
    ]


def test_a_sheet_with_only_its_header():
    assert errors(convert("bank.xlsx", xlsx([]))) == [
        "bank.xlsx[题目]:2: error: 表中没有题目：第 1 行是表头，题目从第 2 行写起"
    ]


def test_content_in_a_column_without_header():
    rows = [("单选", "问题（　）", "甲", "乙", "", "", "A", "", "多出来的")]
    assert errors(convert("bank.xlsx", xlsx(rows))) == [
        "bank.xlsx[题目]:2: error: I 列有内容但没有表头：请补上表头或删除这一列"
    ]


def test_every_question_sheet_is_read_each_as_a_section():
    import io

    import openpyxl

    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "单选"
    first.append(list(HEADER))
    first.append(["单选", "一（　）", "甲", "乙", "", "", "A", ""])
    second = book.create_sheet("判断")
    second.append(["题干", "答案"])
    second.append(["二", "对"])
    second.append(["一（　）", "错"])
    buffer = io.BytesIO()
    book.save(buffer)
    result = convert("bank.xlsx", buffer.getvalue())
    assert "# 单选\n" in result.markdown and "# 判断\n" in result.markdown
    assert len(parsed(result).questions) == 3
