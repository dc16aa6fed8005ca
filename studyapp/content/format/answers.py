"""PURE: question type markers, answer spellings, 填空 blanks and their messages."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from studyapp.content.format.docs import Answer, QuestionType

MARKER = re.compile(r"^[【\[［]\s*(单选|多选|判断|填空)题?\s*[】\]］]\s*")
MARKER_TYPES: dict[str, QuestionType] = {
    "单选": "single",
    "多选": "multiple",
    "判断": "truefalse",
    "填空": "fill",
}
TYPE_NAMES: dict[QuestionType, str] = {
    "single": "单选题",
    "multiple": "多选题",
    "truefalse": "判断题",
    "fill": "填空题",
}
BLANK = re.compile(r"\{\{([^{}\n]*)\}\}")
_TRUE = {"正确", "对", "√", "✓", "✔", "T", "TRUE", "是"}
_FALSE = {"错误", "错", "×", "✗", "✘", "F", "FALSE", "否"}
_LETTER_SEPARATORS = re.compile(r"[\s,，、;；/]+")


@dataclass(frozen=True)
class Blank:
    """One ``{{a|b}}`` blank: accepted answers as written (trimmed)."""

    accepted: tuple[str, ...]
    empty: bool  # the blank, or one of its alternatives, was empty


def split_marker(heading: str) -> tuple[QuestionType | None, str]:
    """Strip a leading 【单选题】/[单选]… marker; return (marker type, rest)."""
    match = MARKER.match(heading)
    if not match:
        return None, heading
    return MARKER_TYPES[match.group(1)], heading[match.end() :]


def find_blanks(stem: str) -> list[Blank]:
    """The ``{{…}}`` blanks of a stem, in order (``|`` or ``｜`` separates answers)."""
    blanks = []
    for match in BLANK.finditer(stem):
        parts = [p.strip() for p in re.split(r"[|｜]", match.group(1))]
        kept = tuple(p for p in parts if p)
        blanks.append(Blank(kept, empty=len(kept) != len(parts)))
    return blanks


def has_unclosed_blank(stem: str) -> bool:
    """True when ``{{`` or ``}}`` is left over once the blanks are taken out."""
    rest = BLANK.sub("", stem)
    return "{{" in rest or "}}" in rest


def parse_truefalse(text: str) -> bool | None:
    """正确/错误/对/错/√/×/T/F (and true/false) → bool; None if not a 判断 answer."""
    token = unicodedata.normalize("NFKC", text).strip().upper()
    if token in _TRUE:
        return True
    if token in _FALSE:
        return False
    return None


def parse_letters(text: str) -> tuple[str, ...] | None:
    """``ABD``, ``A,B,D``, ``A、B、D``, ``A，B`` → sorted unique keys, else None."""
    compact = _LETTER_SEPARATORS.sub("", unicodedata.normalize("NFKC", text)).upper()
    if not compact or not all("A" <= c <= "Z" for c in compact):
        return None
    return tuple(sorted(set(compact)))


def describe_keys(keys: tuple[str, ...] | list[str]) -> str:
    """``A–D`` for a run of keys, ``A、C`` otherwise."""
    if not keys:
        return "（无）"
    run = "".join(chr(ord(keys[0]) + i) for i in range(len(keys)))
    if len(keys) > 2 and "".join(keys) == run:
        return f"{keys[0]}–{keys[-1]}"
    return "、".join(keys)


def choice_answer(keys: tuple[str, ...]) -> tuple[QuestionType, Answer]:
    """Type and answer for a choice question with *keys* correct."""
    if len(keys) == 1:
        return "single", keys[0]
    return "multiple", keys


def marker_conflict(
    marker: QuestionType, qtype: QuestionType, answer: Answer, has_options: bool
) -> str | None:
    """The message when a 【…题】 marker contradicts the answers, else None."""
    if marker == qtype:
        return None
    name = TYPE_NAMES[marker]
    if marker == "single" and qtype == "multiple":
        keys = answer if isinstance(answer, tuple) else ()
        return f"标为单选题，但有 {len(keys)} 个答案：{'、'.join(map(str, keys))}"
    if marker == "multiple" and qtype == "single":
        return f"标为多选题，但只有 1 个答案 {answer}：多选题至少要有 2 个正确答案"
    if marker == "truefalse" and has_options:
        return "标为判断题，但写了选项：判断题不写选项，答案写“正确”或“错误”"
    if marker in ("single", "multiple") and not has_options:
        return f"标为{name}，但没有选项（选项写成 - A. … 或 - [ ] …）"
    if marker == "fill":
        return "标为填空题，但题干中没有 {{答案}} 空格"
    return f"标为{name}，但按答案是{TYPE_NAMES[qtype]}"
