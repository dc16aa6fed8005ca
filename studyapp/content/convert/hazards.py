"""PURE: lines that the Markdown bank format would read as something else."""

from __future__ import annotations

import re

from studyapp.content.format.blocks import HEADING1, HEADING2
from studyapp.content.format.labels import label_like
from studyapp.content.format.questions import LETTER, META, QUOTE, TASK

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def hazard(line: str) -> str | None:
    """What a stem or option line after the first would be read as, or None.

    Such a line would change the question when the bank is parsed back (an
    option in the stem, an 答案 line, a new question), so it is reported.
    """
    if HEADING2.match(line) or HEADING1.match(line):
        return "新的题目或标题（行首的 #）"
    if _FENCE.match(line):
        return "代码块（行首的 ``` 或 ~~~）"
    if META.match(line) or ((typo := label_like(line)) and typo.label):
        return "答案、解析等字段"
    if QUOTE.match(line):
        return "解析（行首的 >）"
    if TASK.match(line) or LETTER.match(line):
        return "选项（行首的 A. 或 - [ ]）"
    return None
