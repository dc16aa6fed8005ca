"""PURE: 填空 blanks: find ``____``/``（　）`` in a stem and write the answers in."""

from __future__ import annotations

import re

from studyapp.content.format.answers import find_blanks

#: A blank as authors type it: 3 or more underscores, or empty brackets.
BLANK_MARK = re.compile(r"_{3,}|＿{3,}|（[\s\u3000]*）|\([\s\u3000]*\)")
_BLANK_SPLIT = re.compile(r"[；;]")
_ALTERNATIVE_SPLIT = re.compile(r"[|｜]")


def count_marks(stem: str) -> int:
    """How many ``____``/``（　）`` blanks *stem* has."""
    return len(BLANK_MARK.findall(stem))


def fill_in(stem: str, answer: str) -> tuple[str, tuple[tuple[str, ...], ...]] | str:
    """The stem with each blank replaced by ``{{a|b}}``, and the answers; or a message.

    *answer* lists one answer per blank, separated by ``；`` or ``;``; ``|``
    separates alternatives of one blank.
    """
    count = count_marks(stem)
    parts = [p.strip() for p in _BLANK_SPLIT.split(answer)]
    if len(parts) != count:
        return (
            f"题干有 {count} 个空，但答案有 {len(parts)} 个"
            "（几个空的答案用“；”隔开，一个空的几种答案用“|”隔开）"
        )
    accepted: list[tuple[str, ...]] = []
    for number, part in enumerate(parts, 1):
        alternatives = tuple(a.strip() for a in _ALTERNATIVE_SPLIT.split(part))
        if not all(alternatives):
            return f"第 {number} 个空的答案为空（多了一个“；”或“|”？）"
        if any(c in part for c in "{}"):
            return f"第 {number} 个空的答案中不能有 {{ 或 }}"
        accepted.append(alternatives)
    answers = iter(accepted)
    filled = BLANK_MARK.sub(lambda _: "{{" + "|".join(next(answers)) + "}}", stem)
    return filled, tuple(accepted)


def inline_answers(stem: str) -> tuple[tuple[str, ...], ...] | str:
    """Answers already written as ``{{a|b}}`` in the stem (SPEC §2), or a message."""
    answers = []
    for number, blank in enumerate(find_blanks(stem), 1):
        if not blank.accepted or blank.empty:
            return f"第 {number} 个空 {{{{…}}}} 中有空的答案"
        answers.append(blank.accepted)
    return tuple(answers)
