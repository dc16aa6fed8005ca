"""PURE: recognise lines that look like a question's 答案/解析/… line, misspelt.

Without this, ``出 处：x`` written after ``解析：`` silently becomes part of the
explanation. Two shapes are caught (``questions.META`` has already failed on them):

* a known label written wrongly: spaces inside (``出 处：``, ``【答 案】``),
  traditional or confused characters (``標籤：``, ``解释：``), a semicolon for the
  colon (``标签；``) or ``[答案]`` for ``【答案】``: the line is still read as that
  label, so one typo gives one error;
* any other short Chinese word with spaces inside, then a colon (``注 意：``): it
  is not a label, but it looks like one and is not explanation text either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The labels a question may use, in the order the guide lists them.
LABELS = ("答案", "解析", "标签", "难度", "出处")
#: Other spellings authors use for a label: traditional characters and 解释.
VARIANTS = {
    "標籤": "标签",
    "標簽": "标签",
    "標签": "标签",
    "标籤": "标签",
    "标簽": "标签",
    "難度": "难度",
    "出處": "出处",
    "解释": "解析",
    "解釋": "解析",
}
_SP = r"[ \t\u3000]"
_CJK = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
_WORD = rf"{_CJK}(?:{_SP}*{_CJK}){{0,5}}"  # one to six characters
_LABEL_LIKE = re.compile(
    rf"^{_SP}*(?:\*\*)?{_SP}*"
    rf"(?P<head>[【\[［]{_SP}*(?P<inner>{_WORD}){_SP}*[】\]］]"
    rf"|(?P<word>{_WORD}){_SP}*(?:\*\*)?{_SP}*(?P<sep>[:：;；]))"
    rf"{_SP}*(?:\*\*)?{_SP}*[:：]?{_SP}*(?:\*\*)?{_SP}*(?P<rest>.*)$"
)
_SPACES = re.compile(f"{_SP}+")


@dataclass(frozen=True)
class LabelLike:
    """A line shaped like ``word：rest``; ``label`` is the label meant, if known."""

    written: str  # as written, up to and including the colon or closing bracket
    label: str | None
    rest: str


def label_like(text: str) -> LabelLike | None:
    """The misspelt label *text* starts with, or None when it does not look like one.

    Call only for lines that ``questions.META`` did not match: a correct label
    would be reported as misspelt.
    """
    match = _LABEL_LIKE.match(text)
    if not match:
        return None
    word = match.group("inner") or match.group("word")
    label = _meant(_SPACES.sub("", word))
    if label is None and (match.group("inner") or match.group("sep") in ";；"):
        return None  # 【注意】 or 注意； is ordinary text
    if label is None and not _SPACES.search(word):
        return None  # 注意：… is ordinary text
    written = match.group("head").replace("**", "").strip()
    return LabelLike(written, label, match.group("rest").strip())


def _meant(word: str) -> str | None:
    if word in ("正确答案", "参考答案"):
        return "答案"
    return word if word in LABELS else VARIANTS.get(word)
