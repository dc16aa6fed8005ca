"""Question banks: every construct of SPEC §2 and every error, with its file line."""

# Expected author-facing messages are kept whole, one per line, so a reader can
# grep them; that makes some lines longer than 88 columns.
# ruff: noqa: E501

from __future__ import annotations

import pytest

from studyapp.content.format.docs import BankDoc, Issue, QuestionDoc
from studyapp.content.format.parser import parse_file

PATH = "content/quizzes/bank.md"
#: Four lines of front matter: the first body line is line 5.
HEAD = "---\nid: bank\ntitle: 题库\n---\n"


def parse_bank(body: str, head: str = HEAD) -> tuple[BankDoc, list[Issue]]:
    doc, issues = parse_file(PATH, head + body)
    assert isinstance(doc, BankDoc)
    return doc, issues


def errors(issues: list[Issue]) -> list[tuple[int, str]]:
    return [(i.line, i.message) for i in issues if i.severity == "error"]


def warnings(issues: list[Issue]) -> list[tuple[int, str]]:
    return [(i.line, i.message) for i in issues if i.severity == "warning"]


def only_question(body: str) -> QuestionDoc:
    doc, issues = parse_bank(body + "\n")
    assert errors(issues) == []
    (question,) = doc.questions
    return question


SPEC_BANK = """---
id: dangjian-jichu
title: 党建基础知识
tags: [党建]
lesson: sanhui-yike      # default lesson that explains these questions
---

## 【单选题】“三会一课”中的“一课”指的是（　）。 {#sj-001}
- A. 党课
- B. 团课
- C. 形势政策课
答案：A
解析：“三会”指支部党员大会、支部委员会和党小组会，“一课”指党课。
标签：三会一课
难度：1

## 下列属于“三会一课”的有（　） {#sj-002}
- [x] 支部党员大会
- [x] 支部委员会
- [x] 党小组会
- [ ] 团员大会
> 解析：三会一课不包括团员大会。

## 【判断题】党支部应当每季度至少召开一次支部党员大会。 {#sj-003}
答案：正确

## 党的力量来自{{组织|党组织}}。 {#sj-004}
"""


def test_spec_example_bank_parses_as_documented() -> None:
    doc, issues = parse_file(PATH, SPEC_BANK)
    assert isinstance(doc, BankDoc)
    assert (doc.id, doc.title, doc.tags, doc.lesson) == (
        "dangjian-jichu", "党建基础知识", ("党建",), "sanhui-yike",
    )  # fmt: skip
    single, multiple, truefalse, fill = doc.questions
    assert (single.id, single.type, single.answer) == ("sj-001", "single", "A")
    assert [o.key for o in single.options] == ["A", "B", "C"]
    assert [o.text_md for o in single.options] == ["党课", "团课", "形势政策课"]
    assert single.stem_md == "“三会一课”中的“一课”指的是（　）。"
    assert single.tags == ("党建", "三会一课")
    assert single.difficulty == 1
    assert single.explanation_md.startswith("“三会”指支部党员大会")
    assert single.source_lesson == "sanhui-yike" and single.source_lesson_line is None
    assert (multiple.type, multiple.answer) == ("multiple", ("A", "B", "C"))
    assert multiple.explanation_md == "三会一课不包括团员大会。"
    assert (truefalse.type, truefalse.answer) == ("truefalse", True)
    assert (fill.type, fill.answer) == ("fill", (("组织", "党组织"),))
    assert [q.line for q in doc.questions] == [8, 17, 24, 27]
    # Only the last two have no explanation: a warning each, at their headings.
    assert errors(issues) == []
    assert [line for line, _ in warnings(issues)] == [24, 27]


@pytest.mark.parametrize(
    "options",
    [
        "- A. 党课\n- B. 团课\n- C. 队课",
        "A、党课\nB、团课\nC、队课",
        "A．党课\nB．团课\nC．队课",
        "(A) 党课\n(B) 团课\n(C) 队课",
        "（A）党课\n（B）团课\n（C）队课",
        "- (A) 党课\n- (B) 团课\n- (C) 队课",
        "A.党课\nB、团课\nC．队课",
        "Ａ．党课\nＢ．团课\nＣ．队课",
    ],
)
def test_lettered_option_styles(options: str) -> None:
    q = only_question(f"## 一课指的是 {{#q1}}\n{options}\n答案：A")
    assert [(o.key, o.text_md) for o in q.options] == [
        ("A", "党课"), ("B", "团课"), ("C", "队课"),
    ]  # fmt: skip
    assert q.answer == "A"


@pytest.mark.parametrize(
    "line",
    [
        "正确答案：B",
        "【参考答案】B",
        "答案：B",
        "答案:B",
        "答案： B",
        "【答案】B",
        "【答案】：B",
        "**答案：** B",
        "**答案**：B",
        "答案：b",
        "答案：**B**",
    ],
)
def test_answer_line_spellings(line: str) -> None:
    q = only_question(f"## 题 {{#q1}}\n- A. 甲\n- B. 乙\n{line}")
    assert (q.type, q.answer) == ("single", "B")


@pytest.mark.parametrize(
    "written", ["ABD", "A,B,D", "A、B、D", "A，B，D", "A B D", "D,B,A", "abd"]
)
def test_multiple_answer_spellings_are_sorted_keys(written: str) -> None:
    q = only_question(
        f"## 题 {{#q1}}\n- A. 甲\n- B. 乙\n- C. 丙\n- D. 丁\n答案：{written}"
    )
    assert (q.type, q.answer) == ("multiple", ("A", "B", "D"))


@pytest.mark.parametrize(
    ("written", "value"),
    [("正确", True), ("错误", False), ("对", True), ("错", False), ("√", True),
     ("×", False), ("T", True), ("F", False), ("true", True), ("False", False)],
)  # fmt: skip
def test_truefalse_answers(written: str, value: bool) -> None:
    q = only_question(f"## 党员应当按期交纳党费。 {{#q1}}\n答案：{written}")
    assert (q.type, q.answer, q.options) == ("truefalse", value, ())


def test_tasklist_options_with_and_without_agreeing_answer_line() -> None:
    body = "## 题 {#q1}\n- [x] 甲\n- [ ] 乙\n- [X] 丙\n"
    assert only_question(body).answer == ("A", "C")
    assert only_question(body + "答案：AC").answer == ("A", "C")


def test_tasklist_options_may_carry_their_letters() -> None:
    q = only_question("## 题 {#q1}\n- [ ] A. 甲\n- [x] B. 乙")
    assert [(o.key, o.text_md) for o in q.options] == [("A", "甲"), ("B", "乙")]
    assert q.answer == "B"


def test_tasklist_and_answer_line_that_disagree_is_an_error_at_the_answer() -> None:
    _, issues = parse_bank("## 题 {#q1}\n- [x] 甲\n- [ ] 乙\n答案：B\n解析：x")
    assert errors(issues) == [(8, "答案行（B）与勾选的选项（A）不一致")]


@pytest.mark.parametrize(
    ("marker", "qtype"),
    [("【单选题】", "single"), ("[单选]", "single"), ("【单选】", "single"),
     ("［单选题］", "single"), ("【多选题】", "multiple"), ("[多选]", "multiple")],
)  # fmt: skip
def test_markers_are_stripped_from_the_stem(marker: str, qtype: str) -> None:
    answer = "AB" if qtype == "multiple" else "A"
    q = only_question(f"## {marker} 题干文字 {{#q1}}\n- A. 甲\n- B. 乙\n答案：{answer}")
    assert (q.type, q.stem_md) == (qtype, "题干文字")
    assert "单选" not in q.stem_html and "多选" not in q.stem_html


@pytest.mark.parametrize(
    ("heading", "body", "line", "message"),
    [
        ("【单选题】题", "- A. 甲\n- B. 乙\n答案：AB", 8, "标为单选题，但有 2 个答案：A、B"),
        ("[单选] 题", "- [x] 甲\n- [x] 乙", 5, "标为单选题，但有 2 个答案：A、B"),
        ("【多选题】题", "- A. 甲\n- B. 乙\n答案：A", 8,
         "标为多选题，但只有 1 个答案 A：多选题至少要有 2 个正确答案"),
        ("【判断题】题", "- A. 正确\n- B. 错误\n答案：A", 8,
         "标为判断题，但写了选项：判断题不写选项，答案写“正确”或“错误”"),
        ("【单选题】题", "答案：正确", 6, "标为单选题，但没有选项（选项写成 - A. … 或 - [ ] …）"),
        ("【填空题】题", "答案：正确", 5, "填空题缺少空格：把答案写进题干，如 党的力量来自{{组织}}"),
        ("【单选题】来自{{组织}}", "", 5, "标为单选题，但题干中有 {{…}} 填空"),
    ],
)  # fmt: skip
def test_marker_that_contradicts_the_answers_is_an_error(
    heading: str, body: str, line: int, message: str
) -> None:
    doc, issues = parse_bank(f"## {heading} {{#q1}}\n{body}\n解析：x\n")
    assert message in [m for n, m in errors(issues) if n == line], errors(issues)
    assert doc.questions == ()


def test_several_blanks_with_alternatives() -> None:
    q = only_question("## 坚持{{党的领导| 党的全面领导 }}，依靠{{人民}}。 {#q1}")
    assert q.type == "fill"
    assert q.answer == (("党的领导", "党的全面领导"), ("人民",))
    assert q.stem_md == "坚持{{党的领导| 党的全面领导 }}，依靠{{人民}}。"
    assert q.stem_html.count('<span class="blank"') == 2
    assert "（　　）" in q.stem_html
    for answer in ("党的领导", "全面领导", "人民", "{{", "|"):
        assert answer not in q.stem_html


@pytest.mark.parametrize(
    ("stem", "message"),
    [
        ("党的力量来自{{}}。", "第 1 个空没有答案：写成 {{答案}} 或 {{答案|备选}}"),
        (
            "来自{{组织}}和{{ | }}。",
            "第 2 个空没有答案：写成 {{答案}} 或 {{答案|备选}}",
        ),
        ("来自{{组织|}}。", "第 1 个空有空的备选答案（多了一个 |？）"),
        ("来自{{组织}}和{{人民。", "题干中的 {{ 和 }} 不成对"),
    ],
)
def test_bad_blanks_are_errors_at_the_heading(stem: str, message: str) -> None:
    _, issues = parse_bank(f"\n## {stem} {{#q1}}\n解析：x\n")
    assert (6, message) in errors(issues)


def test_fill_with_options_or_answer_line_is_an_error_at_that_line() -> None:
    _, issues = parse_bank("## 来自{{组织}} {#q1}\n- A. 甲\n- B. 乙\n答案：A\n解析：x")
    assert errors(issues) == [
        (6, "填空题不写选项（题干中的 {{…}} 就是答案）"),
        (8, "填空题的答案写在题干的 {{…}} 里，不要另写“答案”行"),
    ]


def test_explanation_forms() -> None:
    multi = only_question("## 题 {#q1}\n答案：对\n解析：第一行\n第二行\n\n第三段")
    assert multi.explanation_md == "第一行\n第二行\n\n第三段"
    assert "<p>第三段</p>" in multi.explanation_html
    quoted, issues = parse_bank("## 题 {#q1}\n答案：对\n> 第一行\n> 第二行\n")
    assert quoted.questions[0].explanation_md == "第一行\n第二行"
    assert warnings(issues) == []
    bracket, _ = parse_bank("## 题 {#q1}\n答案：对\n【解析】见党章第二条。\n")
    assert bracket.questions[0].explanation_md == "见党章第二条。"


def test_question_without_explanation_is_a_warning_at_its_heading() -> None:
    doc, issues = parse_bank("\n\n## 题 {#q1}\n答案：对\n")
    assert warnings(issues) == [(7, "缺少解析：建议写“解析：…”，帮助党员理解")]
    assert len(doc.questions) == 1


def test_tags_difficulty_and_source_lesson() -> None:
    head = (
        "---\nid: bank\ntitle: 题库\ntags: [党建, 党史]\nlesson: default-lesson\n---\n"
    )
    doc, issues = parse_bank(
        "## 题 {#q1}\n答案：对\n解析：x\n标签：党史，三会一课、组织生活 党章\n难度：３\n出处：sanhui-yike\n",
        head,
    )
    q = doc.questions[0]
    assert q.tags == ("党建", "党史", "三会一课", "组织生活", "党章")
    assert q.difficulty == 3
    assert (q.source_lesson, q.source_lesson_line) == ("sanhui-yike", 12)
    assert errors(issues) == []


@pytest.mark.parametrize("value", ["6", "0", "高", "2.5", ""])
def test_bad_difficulty_is_an_error_at_its_line(value: str) -> None:
    _, issues = parse_bank(f"## 题 {{#q1}}\n答案：对\n解析：x\n难度：{value}\n")
    assert errors(issues) == [(8, f"难度应为 1–5 的整数，这里是 “{value}”")]


def test_bad_source_lesson_is_an_error_at_its_line() -> None:
    _, issues = parse_bank("## 题 {#q1}\n答案：对\n解析：x\n出处：《党章》\n")
    assert errors(issues) == [
        (8, "出处应为课程 id（字母、数字、- 和 _），这里是 “《党章》”")
    ]


def test_text_inside_questions_is_never_rewritten() -> None:
    q = only_question(
        "## 【單選題】黨的最高理想是（　）。 {#q1}\n- A. 實現共產主義\n- B. 發展經濟\n答案：A"
    )
    assert (
        q.stem_md == "【單選題】黨的最高理想是（　）。"
    )  # a traditional marker is text
    assert q.options[0].text_md == "實現共產主義"
    assert "黨的最高理想" in q.stem_html


def test_stem_may_continue_below_the_heading() -> None:
    q = only_question(
        "## 阅读材料，回答问题。 {#q1}\n\n| 会议 | 频次 |\n|--|--|\n| 党员大会 | 每季度 |\n\n"
        "- A. 每季度\n- B. 每年\n答案：A"
    )
    assert q.stem_md.startswith("阅读材料，回答问题。\n\n| 会议 | 频次 |")
    assert '<div class="table-scroll"><table>' in q.stem_html


def test_headings_inside_fences_and_section_titles_are_not_questions() -> None:
    doc, issues = parse_bank(
        "# 第一部分\n\n## 题一 {#q1}\n\n```\n## 不是题目\n```\n\n答案：对\n解析：x\n\n"
        "# 第二部分\n说明文字\n\n## 题二 {#q2}\n答案：错\n解析：y\n"
    )
    assert [q.id for q in doc.questions] == ["q1", "q2"]
    assert "## 不是题目" in doc.questions[0].stem_md
    assert errors(issues) == []


@pytest.mark.parametrize(
    ("heading", "message"),
    [
        ("## 题", "题目缺少 id：在标题末尾写 {#…}，或运行 studyapp content add-ids"),
        ("## 题 {#bad id}", "题目 id “bad id” 无效：只能用字母、数字、- 和 _"),
        ("## 题 {#题一}", "题目 id “题一” 无效：只能用字母、数字、- 和 _"),
        ("## 题 {#}", "题目 id “” 无效：只能用字母、数字、- 和 _"),
        ("##  {#q1}", "题干为空：标题 ## 后应写题目"),
    ],
)
def test_heading_errors(heading: str, message: str) -> None:
    _, issues = parse_bank(f"\n{heading}\n答案：对\n解析：x\n")
    assert errors(issues) == [(6, message)]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("- A. 甲\n- B. 乙\n解析：x", [(5, "缺少答案：写“答案：A”，或用 - [x] 勾选正确选项")]),
        ("解析：x", [(5, "缺少答案：写“答案：A”，判断题写“答案：正确”")]),
        ("- [ ] 甲\n- [ ] 乙\n解析：x", [(5, "缺少答案：写“答案：A”，或用 - [x] 勾选正确选项")]),
        ("- A. 甲\n- B. 乙\n- C. 丙\n- D. 丁\n答案：E", [(10, "答案 E 不在选项 A–D 中")]),
        ("- A. 甲\n- B. 乙\n答案：BCE", [(8, "答案 C、E 不在选项 A、B 中")]),
        ("- A. 甲\n- B. 乙\n答案：甲", [(8, "答案 “甲” 应为选项字母，如 A、ABD 或 A,B,D")]),
        ("答案：A", [(6, "答案 A 不在选项中：这道题没有选项（选项写成 - A. …）")]),
        ("答案：也许", [(6, "无法识别答案 “也许”：判断题写 正确/错误、对/错 或 √/×")]),
        ("- A. 甲\n答案：A", [(5, "只有 1 个选项，至少要 2 个")]),
        ("\n".join(f"- [ ] {i}" for i in range(9)) + "\n答案：A", [(5, "有 9 个选项，最多 8 个（A–H）")]),
        ("- A. 甲\n- C. 乙\n答案：A", [(7, "选项字母应按顺序写为 B，这里是 C")]),
        ("- A. 甲\n- [x] 乙\n答案：A", [(7, "选项写法不一致：不要在一题中混用 “- A. …” 和 “- [ ] …”")]),
        ("- A. 甲\n- B.\n答案：A", [(7, "选项 B 没有内容")]),
        ("- A. 甲\n- B. 乙\n答案：A\n答案：B", [(9, "答案写了两次（第 8 行已有）")]),
        ("- A. 甲\n- B. 乙\n答案：A\n随便写的一行", [(9, "无法识别这一行：“随便写的一行”（选项之后只能写答案、解析、标签、难度、出处）")]),
    ],
)  # fmt: skip
def test_question_errors_carry_their_line(
    body: str, expected: list[tuple[int, str]]
) -> None:
    doc, issues = parse_bank(f"## 题 {{#q1}}\n{body}\n")
    assert errors(issues) == expected
    assert doc.questions == ()


def test_every_broken_question_is_reported_and_good_ones_are_kept() -> None:
    doc, issues = parse_bank(
        "## 好题 {#ok1}\n答案：对\n解析：x\n\n"
        "## 坏题一 {#bad1}\n- A. 甲\n- B. 乙\n答案：C\n解析：x\n\n"
        "## 坏题二\n答案：对\n解析：x\n\n"
        "## 好题二 {#ok2}\n- [x] 甲\n- [ ] 乙\n解析：x\n"
    )
    assert [q.id for q in doc.questions] == ["ok1", "ok2"]
    assert [line for line, _ in errors(issues)] == [12, 15]


def test_line_numbers_survive_crlf_and_bom() -> None:
    text = "\ufeff" + (HEAD + "## 题 {#q1}\n- A. 甲\n- B. 乙\n答案：C\n").replace(
        "\n", "\r\n"
    )
    _, issues = parse_file(PATH, text)
    assert errors(issues) == [(8, "答案 C 不在选项 A、B 中")]


def test_option_text_may_continue_on_indented_lines_and_use_markdown() -> None:
    q = only_question(
        "## 题 {#q1}\n- A. **支部**党员大会\n  （每季度一次）\n- B. 乙\n答案：A"
    )
    assert q.options[0].text_md == "**支部**党员大会\n（每季度一次）"
    assert q.options[0].html.startswith("<strong>支部</strong>党员大会")
    assert not q.options[0].html.startswith("<p>")


def test_content_hash_tracks_what_members_see() -> None:
    base = "## 题 {#q1}\n- A. 甲\n- B. 乙\n答案：A\n解析：x\n"
    h = only_question(base).content_hash
    assert only_question(base + "标签：新标签\n难度：2").content_hash == h
    assert only_question("\n\n" + base.replace("\n", "  \n")).content_hash == h
    assert only_question(base.replace("答案：A", "答案：B")).content_hash != h
    assert only_question(base.replace("乙", "丙")).content_hash != h
    assert only_question(base.replace("解析：x", "解析：y")).content_hash != h
    assert only_question(base.replace("## 题", "## 新题")).content_hash != h


def test_question_images_are_collected_and_must_stay_inside() -> None:
    q = only_question(
        "## 看图 {#q1}\n\n![图](img/q1.png)\n\n- A. ![甲](img/a.png)\n- B. 乙\n答案：A"
    )
    assert q.images == ("img/q1.png", "img/a.png")
    _, issues = parse_bank("## 看图 ![x](../../x.png) {#q1}\n答案：对\n解析：x\n")
    assert errors(issues) == [(5, "图片路径 ../../x.png 超出了题库文件所在目录")]


def test_bank_without_questions_is_a_warning() -> None:
    doc, issues = parse_bank("这里还没有题目。\n")
    assert doc.questions == ()
    assert warnings(issues) == [(5, "题库中没有题目：每道题以 ## 开头")]


def test_unclosed_code_fence_is_an_error_because_it_hides_questions() -> None:
    doc, issues = parse_bank("## 题一 {#q1}\n\n```\n代码\n\n## 题二 {#q2}\n答案：对\n")
    assert (7, "代码块没有结束：后面的题目都会被当作代码，请补上结束的 ```") in errors(
        issues
    )


def test_options_crammed_on_one_line_get_a_hint() -> None:
    _, issues = parse_bank("## 题 {#q1}\nA．党课  B．团课  C．队课\n答案：A\n解析：x\n")
    assert errors(issues) == [(5, "只有 1 个选项，至少要 2 个（每个选项要单独写一行）")]


STRAY = "这段文字与解析隔着空行，会并入解析：如属解析，请删去空行或改用 > 引用块；如不属解析，是否漏写了“标签：”等字段名？"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("出 处：sanhui-yike", "“出 处：” 写错了，应写作“出处：”"),
        ("标 签：党史", "“标 签：” 写错了，应写作“标签：”"),
        ("标 签:", "“标 签:” 写错了，应写作“标签：”"),
        ("难\u3000度：2", "“难\u3000度：” 写错了，应写作“难度：”"),
        ("**出 处**：sanhui-yike", "“出 处：” 写错了，应写作“出处：”"),
        ("標籤：党史", "“標籤：” 写错了，应写作“标签：”"),
        ("出處：sanhui-yike", "“出處：” 写错了，应写作“出处：”"),
        ("标签；党史", "“标签；” 写错了，应写作“标签：”"),
        ("【难 度】2", "“【难 度】” 写错了，应写作“难度：”"),
        ("注 意：考试时带笔", "无法识别这一行：“注 意：考试时带笔”（像是写错的字段名：题目中只能写答案、解析、标签、难度、出处）"),
    ],
)  # fmt: skip
def test_mistyped_label_after_the_explanation_is_an_error_at_its_line(
    line: str, message: str
) -> None:
    doc, issues = parse_bank(f"## 题 {{#q1}}\n答案：对\n解析：第一行\n{line}\n")
    assert errors(issues) == [(8, message)]
    assert warnings(issues) == []
    assert doc.questions == ()


def test_mistyped_label_is_still_read_as_that_label() -> None:
    # One typo, one error: 答 案 counts as the answer, so no "缺少答案" follows.
    doc, issues = parse_bank("## 题 {#q1}\n答 案：对\n解析：x\n")
    assert errors(issues) == [(6, "“答 案：” 写错了，应写作“答案：”")]
    _, issues = parse_bank("## 题 {#q1}\n答案：对\n解 析：x\n")
    assert errors(issues) == [(7, "“解 析：” 写错了，应写作“解析：”")]
    assert warnings(issues) == []  # the explanation was found


def test_mistyped_label_after_the_answer_names_the_label() -> None:
    _, issues = parse_bank("## 题 {#q1}\n答案：对\n标 签：党史\n解析：x\n")
    assert errors(issues) == [(7, "“标 签：” 写错了，应写作“标签：”")]


def test_paragraph_after_a_blank_line_below_the_explanation_is_a_warning() -> None:
    doc, issues = parse_bank(
        "## 题 {#q1}\n答案：对\n解析：第一行\n第二行\n\n标签三会一课\n"
    )
    assert errors(issues) == []
    assert warnings(issues) == [(10, STRAY)]
    assert doc.questions[0].explanation_md == "第一行\n第二行\n\n标签三会一课"


def test_each_stray_paragraph_is_a_warning_and_later_labels_still_work() -> None:
    doc, issues = parse_bank(
        "## 题 {#q1}\n答案：对\n解析：x\n\n甲\n乙\n\n\n丙\n标签：党史\n"
    )
    assert warnings(issues) == [(9, STRAY), (13, STRAY)]
    assert doc.questions[0].tags == ("党史",)


@pytest.mark.parametrize(
    "explanation",
    [
        "解析：第一行\n第二行\n- 要点一\n- 要点二",  # lines that follow directly
        "解析：第一行\n注意：不要写错",  # an ordinary 词：, no spaces inside
        "> 第一段\n>\n> 第二段",  # paragraphs inside a > block
        "解析：第一行\n\n> 引用的第二段",  # a > block after a blank line
        "解析：\n\n见党章第二条。",  # a bare 解析： line, then the text
        "解析：代码如下\n```\n第一行\n\n第二行\n```",  # blank lines inside code
    ],
)
def test_legitimate_multi_line_explanations_are_not_flagged(explanation: str) -> None:
    _, issues = parse_bank(f"## 题 {{#q1}}\n答案：对\n{explanation}\n\n")
    assert issues == []


def test_a_stem_line_with_spaces_before_a_colon_is_stem_text() -> None:
    q = only_question(
        "## 阅读对话，判断对错 {#q1}\n小 王：三会一课包括党课。\n答案：对\n解析：x"
    )
    assert q.stem_md == "阅读对话，判断对错\n\n小 王：三会一课包括党课。"
