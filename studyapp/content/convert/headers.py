"""PURE: the header row of a question sheet: accepted names, aliases, columns."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from studyapp.content.convert.cleaning import simplified

#: Field → accepted header names (compared after :func:`normalise_header`).
ALIASES: dict[str, tuple[str, ...]] = {
    "type": ("题型", "类型"),
    "stem": ("题干", "题目"),
    "answer": ("答案", "正确答案", "参考答案"),
    "explanation": ("解析", "答案解析"),
    "difficulty": ("难度",),
    "tags": ("标签", "知识点"),
    "source": ("出处", "课程"),
    "id": ("编号", "ID"),
}
#: Columns read and thrown away: a row number, notes, points (not in the format).
IGNORED = ("序号", "备注", "分值")
OPTION_LETTERS = "ABCDEFGH"
#: The header names the template uses, in its column order.
TEMPLATE_HEADERS = (
    "题型", "题干", *(f"选项{c}" for c in OPTION_LETTERS),
    "答案", "解析", "难度", "标签", "出处", "编号",
)  # fmt: skip
_NAMES = {alias: name for name, aliases in ALIASES.items() for alias in aliases}
_OPTION = re.compile(r"(?:选项)?([A-H])(?:选项)?")
_HINT = re.compile(r"[（(][^（）()]*[)）]$")
_ACCEPTED = "、".join(
    ["题型", "题干", "选项A…选项H", "答案", "解析", "难度", "标签", "出处", "编号"]
)


def normalise_header(text: str) -> str:
    """``选项 Ａ`` → ``选项A``, ``*题干`` → ``题干``, ``答案（必填）`` → ``答案``.

    Letters are upper-cased (``id`` → ``ID``).
    """
    bare = simplified("".join(unicodedata.normalize("NFKC", text).split())).strip("*")
    return _HINT.sub("", bare).upper()


def is_question_header(names: list[str]) -> bool:
    """True when a header row has a 题干 or 题目 column (the sheet holds questions)."""
    return any(_NAMES.get(normalise_header(n)) == "stem" for n in names)


@dataclass
class Header:
    """Which column (0-based) holds each field and each option letter."""

    fields: dict[str, int] = field(default_factory=dict)
    options: dict[str, int] = field(default_factory=dict)
    #: Columns with no header at all (their content is reported if any).
    blank: list[int] = field(default_factory=list)

    @property
    def width(self) -> int:
        used = [*self.fields.values(), *self.options.values(), -1]
        return max(used) + 1


def read_header(names: list[str]) -> tuple[Header, list[str]]:
    """Map a header row; return it with messages for every wrong or missing header."""
    header, problems = Header(), []
    seen: dict[str, int] = {}
    for index, raw in enumerate(names):
        name = normalise_header(raw)
        key = _key(name)
        if not name:
            header.blank.append(index)
        elif key is None:
            problems.append(
                f"无法识别的表头“{raw.strip()}”（{column(index)} 列）："
                f"可用的表头有 {_ACCEPTED}；不需要的列请删除"
            )
        elif key == "ignored":
            continue
        elif key in seen:
            problems.append(
                f"表头“{raw.strip()}”重复"
                f"（{column(seen[key])} 列和 {column(index)} 列）"
            )
        else:
            seen[key] = index
            target = header.options if len(key) == 1 else header.fields
            target[key] = index
    if "answer" not in header.fields:
        problems.append("缺少“答案”列（也可写作“正确答案”）")
    return header, problems


def _key(name: str) -> str | None:
    """``stem``…, an option letter ``A``…``H``, ``ignored``, or None if unknown."""
    if name in _NAMES:
        return _NAMES[name]
    if name in IGNORED:
        return "ignored"
    match = _OPTION.fullmatch(name)
    return match.group(1) if match else None


def column(index: int) -> str:
    """The Excel column letter of 0-based *index* (0 → A)."""
    return get_column_letter(index + 1)
