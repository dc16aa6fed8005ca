"""PURE: the downloadable sample Word paper, written as people type papers."""

from __future__ import annotations

import io

#: The paper: a title and notes (skipped), then 题型 sections of numbered questions.
SAMPLE_PAPER = (
    "党建基础知识测试卷（示例）",
    "说明：每道题以题号开头；选项可以每行一个，也可以写在同一行。",
    "一、单选题",
    "1．党支部党员大会一般每（　）召开一次。",
    "A．每周　B．每月　C．每季度　D．每年",
    "答案：C",
    "解析：支部党员大会一般每季度召开一次。",
    "2．“三会一课”中的“一课”指的是（　）。",
    "A. 党课",
    "B. 团课",
    "C. 形势政策课",
    "【答案】A",
    "【解析】“一课”指党课。",
    "二、多选题",
    "3．下列属于“三会一课”中“三会”的有（　）。",
    "A．支部党员大会　B．支部委员会　C．党小组会　D．团员大会　E．职工代表大会",
    "答案：ABC",
    "解析：“三会”指支部党员大会、支部委员会和党小组会。",
    "三、判断题",
    "4．党小组会一般每月召开一次。",
    "答案：√",
    "解析：党小组会一般每月召开一次。",
    "四、填空题",
    "5．党支部委员会一般由____至____人组成。",
    "答案：3|三；5|五",
    "解析：委员会由 3 至 5 人组成（几个空的答案用“；”隔开）。",
)


def sample_docx() -> bytes:
    """The sample paper as a .docx (converts without errors or warnings)."""
    import docx  # only when a Word file is read: every CLI start loads this module

    document = docx.Document()
    document.add_heading(SAMPLE_PAPER[0], level=1)
    for text in SAMPLE_PAPER[1:]:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
