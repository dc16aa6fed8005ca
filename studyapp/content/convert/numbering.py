"""PURE: the numbers Word draws in front of auto-numbered paragraphs.

Papers often number questions (``1.``) and options (``A.``) with Word's automatic
numbering: the number is not in the text, only in ``numbering.xml``. This computes
it the way Word shows it, for the common formats, so that such papers read like
typed ones. Counters belong to the abstract list and restart where Word restarts
them (a ``startOverride``, or a shallower level).
"""

from __future__ import annotations

import re
from typing import Any

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
_VAL = f"{{{W}}}val"
_ILVL = f"{{{W}}}ilvl"
_PLACEHOLDER = re.compile(r"%([1-9])")
_CHINESE = "零一二三四五六七八九"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_ROMAN = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip
_CHINESE_FORMATS = {
    "chineseCounting",
    "chineseCountingThousand",
    "chineseLegalSimplified",
    "ideographDigital",
    "japaneseCounting",
    "taiwaneseCounting",
    "taiwaneseCountingThousand",
}


def _val(element: Any, path: str) -> str | None:
    found = element.find(path, NS) if element is not None else None
    return found.get(_VAL) if found is not None else None


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一 (up to 99; larger numbers stay in digits)."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = ("" if tens == 1 else _CHINESE[tens]) + "十" if tens else ""
    return head + (_CHINESE[ones] if ones else "")


def format_number(n: int, fmt: str) -> str:
    """*n* in Word's number format *fmt* (``decimal``, ``upperLetter``, …)."""
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        out = ""
        for value, numeral in _ROMAN:
            count, n = divmod(n, value)
            out += numeral * count
        return out if fmt == "upperRoman" else out.lower()
    if fmt in _CHINESE_FORMATS:
        return chinese_number(n)
    if fmt == "ideographTraditional" and 0 < n <= len(_STEMS):
        return _STEMS[n - 1]
    if fmt.startswith("decimalEnclosedCircle") and 0 < n <= 20:
        return chr(0x2460 + n - 1)
    if fmt.startswith("decimalFullWidth"):
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


class Numbering:
    """Hands out the drawn number of each numbered paragraph, in document order."""

    def __init__(self, numbering: Any | None, styles: Any | None) -> None:
        self.numbering = numbering
        self.styles = styles
        self.counters: dict[str, dict[int, int]] = {}
        self.used_nums: set[str] = set()

    def prefix(self, paragraph: Any) -> str:
        """The number Word draws before *paragraph* (``1.``, ``A.``), or ``""``."""
        found = self._num_pr(paragraph)
        if found is None or self.numbering is None:
            return ""
        num_id, level = found
        num = self.numbering.find(f"w:num[@w:numId='{num_id}']", NS)
        abstract_id = _val(num, "w:abstractNumId")
        if num is None or abstract_id is None:
            return ""
        abstract = self.numbering.find(
            f"w:abstractNum[@w:abstractNumId='{abstract_id}']", NS
        )
        if abstract is None:
            return ""
        counts = self._advance(num_id, num, abstract, abstract_id, level)
        return self._render(abstract, level, counts)

    def _num_pr(self, paragraph: Any) -> tuple[str, int] | None:
        ppr = paragraph.find("w:pPr", NS)
        num_id = _val(ppr, "w:numPr/w:numId")
        if num_id is not None:
            return (
                (num_id, int(_val(ppr, "w:numPr/w:ilvl") or 0))
                if num_id != "0"
                else None
            )
        return self._style_num_pr(_val(ppr, "w:pStyle"))

    def _style_num_pr(self, style_id: str | None) -> tuple[str, int] | None:
        for _ in range(10):  # basedOn chains are short; never loop forever
            if style_id is None or self.styles is None:
                return None
            style = self.styles.find(f"w:style[@w:styleId='{style_id}']", NS)
            if style is None:
                return None
            num_id = _val(style, "w:pPr/w:numPr/w:numId")
            if num_id is not None:
                level = int(_val(style, "w:pPr/w:numPr/w:ilvl") or 0)
                return (num_id, level) if num_id != "0" else None
            style_id = _val(style, "w:basedOn")
        return None

    def _advance(
        self, num_id: str, num: Any, abstract: Any, abstract_id: str, level: int
    ) -> dict[int, int]:
        counts = self.counters.setdefault(abstract_id, {})
        if num_id not in self.used_nums:
            self.used_nums.add(num_id)
            for override in num.findall("w:lvlOverride", NS):
                start = _val(override, "w:startOverride")
                if start is not None:
                    # The next paragraph at that level shows ``start``.
                    counts[int(override.get(_ILVL, "0"))] = int(start) - 1
        if level in counts:
            counts[level] += 1
        else:
            counts[level] = _start(abstract, level)
        for deeper in [k for k in counts if k > level]:
            del counts[deeper]
        return counts

    def _render(self, abstract: Any, level: int, counts: dict[int, int]) -> str:
        lvl = _level(abstract, level)
        if lvl is None or _val(lvl, "w:numFmt") in ("bullet", "none"):
            return ""
        text = _val(lvl, "w:lvlText") or ""

        def one(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            fmt = _val(_level(abstract, index), "w:numFmt") or "decimal"
            return format_number(counts.get(index) or _start(abstract, index), fmt)

        drawn = _PLACEHOLDER.sub(one, text).strip()
        # A bare number (its separator is Word's tab) reads as "1." like a typed one.
        return drawn + "." if drawn and drawn[-1].isalnum() else drawn


def _level(abstract: Any, level: int) -> Any | None:
    return abstract.find(f"w:lvl[@w:ilvl='{level}']", NS)


def _start(abstract: Any, level: int) -> int:
    return int(_val(_level(abstract, level), "w:start") or 1)
