"""Word papers: sections, numbering styles, options on one line, faults by paragraph."""

from __future__ import annotations

import io

import docx
from docx.oxml import parse_xml

from studyapp.content.format.docs import BankDoc
from studyapp.content.format.parser import parse_file
from tests.content.convert.builders import PNG, convert, docx_bytes, errors

PAPER = [
    "2026 年党建知识测试卷",  # 1: title, skipped
    "一、单选题（每题 2 分）",  # 2
    "1．党支部党员大会一般每（　）召开一次。",  # 3
    "A．每周　B．每月　C．每季度",  # 4
    "答案：C",  # 5
    "解析：每季度一次。",  # 6
    "2、“一课”指的是（　）",  # 7
    "A. 党课",
    "B. 团课",
    "【答案】A",
    "二、多选题",
    "（1）属于“三会”的有（　）",
    "A．支部党员大会 B．支部委员会 C．党小组会 D．团员大会 E．职工大会",
    "答案：ABC",
    "解析：",
    "1. 支部党员大会；",
    "2. 支部委员会。",
    "三、判断题",
    "1. 党小组会一般每月召开一次。（　）",
    "答案：√",
    "四、填空题",
    "第1题 党支部委员会由____至（　）人组成。",
    "答案：3|三；5|五",
]


def parsed(result) -> BankDoc:  # type: ignore[no-untyped-def]
    assert result.ok, errors(result)
    doc, issues = parse_file("quizzes/paper.md", result.markdown)
    assert isinstance(doc, BankDoc)
    assert not [i for i in issues if i.is_error]
    return doc


def test_a_paper_with_sections_and_every_numbering_style():
    doc = parsed(convert("paper.docx", docx_bytes(PAPER), "paper.md"))
    assert [(q.type, q.answer) for q in doc.questions] == [
        ("single", "C"),
        ("single", "A"),
        ("multiple", ("A", "B", "C")),
        ("truefalse", True),
        ("fill", (("3", "三"), ("5", "五"))),
    ]


def test_options_typed_on_one_line_are_split():
    question = parsed(convert("paper.docx", docx_bytes(PAPER), "paper.md")).questions[0]
    assert [(o.key, o.text_md) for o in question.options] == [
        ("A", "每周"),
        ("B", "每月"),
        ("C", "每季度"),
    ]


def test_an_explanations_own_numbered_points_stay_in_it():
    question = parsed(convert("paper.docx", docx_bytes(PAPER), "paper.md")).questions[2]
    assert question.explanation_md == "1. 支部党员大会；\n\n2. 支部委员会。"


def test_section_headings_are_kept_as_level_one_headings():
    markdown = convert("paper.docx", docx_bytes(PAPER), "paper.md").markdown
    assert "\n# 一、单选题（每题 2 分）\n" in markdown
    assert "\n# 四、填空题\n" in markdown


def test_the_section_gives_the_type_and_a_wrong_answer_count_is_an_error():
    paper = ["一、单选题", "1. 问题（　）", "A. 甲", "B. 乙", "答案：AB"]
    assert errors(convert("paper.docx", docx_bytes(paper))) == [
        "paper.docx:5: error: 第1题：单选题只能有 1 个答案，这里是 A、B"
    ]


def test_traditional_characters_and_labels():
    paper = [
        "一、單選題",
        "1. 「三會一課」中的「一課」是（　）",
        "A. 黨課　B. 團課",
        "【答案】A",
    ]
    question = parsed(convert("paper.docx", docx_bytes(paper))).questions[0]
    assert question.stem_md == "「三會一課」中的「一課」是（　）"
    assert question.type == "single"


def test_every_fault_is_reported_at_its_paragraph_with_the_number():
    paper = [
        "一、单选题",  # 1
        "1. 答案不是选项（　）",  # 2
        "A. 甲　B. 乙",  # 3
        "答案：E",  # 4
        "2. 没有答案（　）",  # 5
        "A. 甲",  # 6
        "B. 乙",  # 7
        "3.",  # 8: no stem
        "A. 甲　B. 乙",  # 9
        "答案：A",  # 10
        "4. 一个选项（　）",  # 11
        "A. 甲",  # 12
        "答案：A",  # 13
        "5. 答案不是选项（　）",  # 14: the same as 1
        "A. 甲　B. 乙",  # 15
        "答案：B",  # 16
        "三、判断题",  # 17
        "1. 判断",  # 18
        "答案：A",  # 19
        "五、简答题",  # 20
        "1. 简答题没有题型",  # 21
        "答案：略",  # 22
    ]
    assert errors(convert("paper.docx", docx_bytes(paper))) == [
        "paper.docx:4: error: 第1题：答案 E 不在选项 A、B 中",
        "paper.docx:5: error: 第2题：缺少答案",
        "paper.docx:8: error: 第3题：缺少题干",
        "paper.docx:11: error: 第4题：只有 1 个选项，至少要 2 个",
        "paper.docx:14: error: 第5题：与第 1 题（第 2 段）的题目重复",
        "paper.docx:19: error: 第1题："
        "判断题的答案应为 对/错、正确/错误 或 √/×，这里是“A”",
        "paper.docx:20: error: 不支持的题型“五、简答题”："
        "只能转换单选、多选、判断、填空题，请删去这一部分",
    ]


def test_lines_out_of_place_are_reported():
    paper = [
        "A. 没有题号的选项",  # 1
        "1. 问题（　）",  # 2
        "A. 甲　B. 乙",  # 3
        "答案：A",  # 4
        "C. 丙",  # 5: an option after the answer
        "这行是什么",  # 6
        "答案：B",  # 7
    ]
    assert errors(convert("paper.docx", docx_bytes(paper))) == [
        "paper.docx:1: error: 这一行像是选项，但前面没有题号：题目应以 1. 或 1、开头",
        "paper.docx:5: error: 第1题：选项写在了答案之后：是否漏写了下一题的题号？",
        "paper.docx:6: error: 第1题：无法识别这一行：“这行是什么”"
        "（答案之后只能写答案、解析、标签、难度、出处）",
        "paper.docx:7: error: 第1题：答案写了两次（第 4 段已有）",
    ]


def test_a_paper_without_questions():
    assert errors(convert("paper.docx", docx_bytes(["党建知识", "没有题目"]))) == [
        "paper.docx: error: 没有找到题目：每道题以题号开头，如 1. 、1、 或（1）"
    ]


def test_pictures_are_kept_next_to_the_bank():
    paper = ["1. 下图中的标志是（　）", "A. 党旗　B. 国旗", "答案：A"]
    result = convert("paper.docx", docx_bytes(paper, images={0: PNG}))
    ((name, blob),) = result.images.items()
    assert blob == PNG and name.startswith("images/") and name.endswith(".png")
    question = parsed(result).questions[0]
    assert question.stem_md == f"下图中的标志是（　）![]({name})"
    assert question.images == (name,)


def test_options_in_a_table_are_read_in_order():
    document = docx.Document()
    document.add_paragraph("1. 党的根本宗旨是（　）")
    table = document.add_table(rows=2, cols=2)
    for cell, text in zip(
        (c for row in table.rows for c in row.cells),
        ("A. 全心全意为人民服务", "B. 发展经济", "C. 改革开放", "D. 依法治国"),
        strict=True,
    ):
        cell.text = text
    document.add_paragraph("答案：A")
    buffer = io.BytesIO()
    document.save(buffer)
    question = parsed(convert("paper.docx", buffer.getvalue())).questions[0]
    assert [o.text_md for o in question.options][0] == "全心全意为人民服务"
    assert len(question.options) == 4


NUMBERING = (
    '<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:abstractNum w:abstractNumId="7">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
    '<w:lvlText w:val="%1."/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="upperLetter"/>'
    '<w:lvlText w:val="%2."/></w:lvl>'
    "</w:abstractNum>"
    '<w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num>'
    "</w:numbering>"
)


def _numbered(document: docx.document.Document, text: str, level: int) -> None:
    paragraph = document.add_paragraph(text)
    paragraph._p.get_or_add_pPr().append(
        parse_xml(
            '<w:numPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f'<w:ilvl w:val="{level}"/><w:numId w:val="3"/></w:numPr>'
        )
    )


def test_word_automatic_numbering_reads_like_typed_numbers():
    document = docx.Document()
    numbering = document.part.numbering_part
    numbering._element = parse_xml(NUMBERING)
    for stem, answer in (("第一题（　）", "B"), ("第二题（　）", "A")):
        _numbered(document, stem, 0)
        _numbered(document, "甲", 1)
        _numbered(document, "乙", 1)
        document.add_paragraph(f"答案：{answer}")
    buffer = io.BytesIO()
    document.save(buffer)
    doc = parsed(convert("paper.docx", buffer.getvalue()))
    assert [(q.stem_md, q.answer) for q in doc.questions] == [
        ("第一题（　）", "B"),
        ("第二题（　）", "A"),
    ]
    assert [o.text_md for o in doc.questions[1].options] == ["甲", "乙"]


def test_bare_type_headings_and_closing_bracket_numbers():
    paper = ["单选题", "1）问题（　）", "A. 甲　B. 乙", "答案：A",
             "【多选题】（每题 3 分）", "2）问题二（　）", "A. 甲　B. 乙",
             "答案：AB"]  # fmt: skip
    doc = parsed(convert("paper.docx", docx_bytes(paper)))
    assert [q.type for q in doc.questions] == ["single", "multiple"]


def test_a_marker_in_the_stem_that_contradicts_the_type_column():
    from tests.content.convert.builders import xlsx

    rows = [("单选", "【多选题】问题（　）", "甲", "乙", "", "", "A", "")]
    assert errors(convert("bank.xlsx", xlsx(rows))) == [
        "bank.xlsx[题目]:2: error: 题干前的【多选题】与题型“单选”不一致"
    ]


def test_soft_line_breaks_and_tracked_changes_read_as_shown():
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = docx.Document()
    document.add_paragraph("1．党支部党员大会一般每（　）召开一次。")
    options = document.add_paragraph()._p
    options.append(
        parse_xml(f"<w:r {w}><w:t>A．每周</w:t><w:br/><w:t>B．每</w:t></w:r>")
    )
    options.append(parse_xml(f'<w:ins {w} w:id="1"><w:r><w:t>季度</w:t></w:r></w:ins>'))
    deleted = f'<w:del {w} w:id="2"><w:r><w:delText>月</w:delText></w:r></w:del>'
    options.append(parse_xml(deleted))
    document.add_paragraph("答案：B")
    buffer = io.BytesIO()
    document.save(buffer)
    question = parsed(convert("paper.docx", buffer.getvalue())).questions[0]
    assert [o.text_md for o in question.options] == ["每周", "每季度"]
