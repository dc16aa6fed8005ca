"""PURE: a question's optional fields: 难度, 标签, 出处 and 编号, checked."""

from __future__ import annotations

import re
import unicodedata

from studyapp.content.convert.drafts import Draft, Part
from studyapp.content.format.values import is_valid_id

DIFFICULTY_WORDS = {
    "易": 1, "容易": 1, "简单": 1, "较易": 2, "中": 3, "中等": 3, "一般": 3,
    "较难": 4, "难": 5, "困难": 5,
}  # fmt: skip
_TAG_SPLIT = re.compile(r"[\s,，、;；]+")
Problems = list[tuple[str, int]]


def read_metadata(draft: Draft, bank_id: str) -> tuple[dict[str, object], Problems]:
    """``tags``, ``difficulty``, ``source`` and ``given_id`` of *draft*, and what is
    wrong with them as ``(message, row or paragraph)``."""
    problems: Problems = []
    written = _TAG_SPLIT.split(draft.tags.text) if draft.tags else []
    values = {
        "tags": tuple(dict.fromkeys(t for t in written if t)),
        "difficulty": difficulty(draft.difficulty, problems),
        "source": source(draft.source, problems),
        "given_id": given_id(draft.given_id, bank_id, problems),
    }
    return values, problems


def difficulty(part: Part | None, problems: Problems) -> int | None:
    """1–5 from a digit or a word (易 … 难)."""
    if part is None:
        return None
    text = unicodedata.normalize("NFKC", part.text).strip()
    if text.isdecimal() and 1 <= int(text) <= 5:
        return int(text)
    if text in DIFFICULTY_WORDS:
        return DIFFICULTY_WORDS[text]
    message = f"难度应为 1–5 的整数（或 易、较易、中等、较难、难），这里是“{part.text}”"
    problems.append((message, part.line))
    return None


def source(part: Part | None, problems: Problems) -> str | None:
    """The 出处 lesson id, as written."""
    if part is None:
        return None
    if not is_valid_id(part.text):
        message = f"出处应为课程 id（字母、数字、- 和 _），这里是“{part.text}”"
        problems.append((message, part.line))
    return part.text


def given_id(part: Part | None, bank_id: str, problems: Problems) -> str | None:
    """The 编号 as the question's id; a bare number N is ``<bank>-NNN``."""
    if part is None:
        return None
    text = unicodedata.normalize("NFKC", part.text).strip()
    if text.isdecimal():
        # Ids are global across banks: "5" alone would clash with other banks' 5.
        return f"{bank_id}-{int(text):03d}"
    if not is_valid_id(text):
        problems.append((f"编号“{part.text}”无效：只能用字母、数字、- 和 _", part.line))
    return text
