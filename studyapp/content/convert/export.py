"""PURE: a parsed Markdown bank back to the template workbook (round-trips).

Converting the exported workbook gives the same questions with the same ids (the
编号 column). 填空 blanks become ``____`` with their answers in 答案, unless the
stem or an answer holds characters that would not survive that (then the stem
keeps its ``{{…}}`` and 答案 stays empty, which the converter also reads). A
question's 出处 is written only when it differs from the bank's ``lesson``:
convert into the same bank file (or pass ``--lesson``) to keep that default.
"""

from __future__ import annotations

from studyapp.content.convert.blanks import BLANK_MARK
from studyapp.content.convert.template import question_row, workbook_bytes
from studyapp.content.format.answers import BLANK, TYPE_NAMES
from studyapp.content.format.docs import BankDoc, QuestionDoc


def export_xlsx(bank: BankDoc) -> bytes:
    """The bank's questions as the template workbook (instructions + 题目 sheet)."""
    return workbook_bytes(question_to_row(q, bank.lesson) for q in bank.questions)


def question_to_row(q: QuestionDoc, lesson: str | None) -> list[object]:
    """One 题目 row for *q*; ``lesson`` is the bank's default 出处."""
    stem, answer = q.stem_md, ""
    if q.type == "fill":
        stem, answer = _blanks(q)
    elif q.type == "truefalse":
        answer = "正确" if q.answer else "错误"
    else:
        answer = "".join(q.answer)  # type: ignore[arg-type]
    return question_row(
        TYPE_NAMES[q.type][:2],
        stem,
        [o.text_md for o in q.options],
        answer,
        q.explanation_md,
        q.difficulty,
        q.tags,
        q.source_lesson if q.source_lesson != lesson else None,
        q.id,
    )


def _blanks(q: QuestionDoc) -> tuple[str, str]:
    """``____`` blanks and ``a|b；c`` answers, or the stem as it is when unsafe."""
    accepted: tuple[tuple[str, ...], ...] = q.answer  # type: ignore[assignment]
    unsafe = any(c in a for alts in accepted for a in alts for c in "；;|｜")
    if unsafe or BLANK_MARK.search(BLANK.sub("", q.stem_md)):
        return q.stem_md, ""
    stem = BLANK.sub("____", q.stem_md)
    return stem, "；".join("|".join(alts) for alts in accepted)
