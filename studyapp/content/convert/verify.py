"""PURE: parse a written bank back with the format parser; compare each question.

The converter only hands out Markdown that ``studyapp content check`` reads back
to exactly the questions it meant: a difference is reported at the question's
row or paragraph instead of being published wrong.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from studyapp.content.convert.drafts import Question
from studyapp.content.convert.issues import ConvertIssue, file_error
from studyapp.content.format.docs import BankDoc, QuestionDoc
from studyapp.content.format.parser import parse_content

#: The parser decides a file's kind from its folder: a bank lives under quizzes/.
PARSE_DIR = "quizzes"


def verify(
    path: str,
    text: str,
    where: Sequence[tuple[int, Question]],
    ids: Sequence[str],
    lesson: str | None,
) -> tuple[list[ConvertIssue], list[ConvertIssue]]:
    """Errors (the bank does not parse back the same) and warnings, by source place.

    *where* gives each question's heading line in *text*, in the order of *ids*.
    """
    parsed = parse_content(f"{PARSE_DIR}/converted.md", text)
    lines = [line for line, _ in where]
    errors: list[ConvertIssue] = []
    warnings: list[ConvertIssue] = []
    for issue in parsed.issues:
        index = bisect.bisect_right(lines, issue.line) - 1
        if index < 0:
            errors.append(file_error(path, f"转换结果的头部有错误：{issue.message}"))
            continue
        place = where[index][1].place
        if issue.is_error:
            errors.append(place.error(f"转换后的 Markdown 有错误：{issue.message}"))
        else:
            warnings.append(place.warning(issue.message))
    doc = parsed.doc
    if not isinstance(doc, BankDoc):
        return errors or [file_error(path, "转换结果不是题库文件")], warnings
    got = {q.id: q for q in doc.questions}
    for (_, question), qid in zip(where, ids, strict=True):
        found = got.get(qid)
        if found is None:
            continue  # its parse error is reported above
        differs = difference(question, found, lesson)
        if differs:
            errors.append(
                question.place.error(
                    f"转换后的{differs}与原文不一致：其中可能有 Markdown 的特殊写法"
                    "（如行首的 #、>、A.，或 {{ }}），请改写后再转换"
                )
            )
    return errors, warnings


def difference(question: Question, doc: QuestionDoc, lesson: str | None) -> str | None:
    """The first part of *question* that *doc* (its parsed form) gets wrong, or None."""
    checks = (
        ("题型", question.type, doc.type),
        ("题干", question.stem_md, doc.stem_md),
        ("选项", question.options, tuple(o.text_md for o in doc.options)),
        ("答案", question.answer, doc.answer),
        ("解析", question.explanation_md, doc.explanation_md),
        ("标签", question.tags, doc.tags),
        ("难度", question.difficulty, doc.difficulty),
        ("出处", question.source or lesson, doc.source_lesson),
    )
    for name, wanted, got in checks:
        if wanted != got:
            return name
    return None
