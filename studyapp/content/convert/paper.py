"""PURE: read the paragraphs of a Word paper into questions, as people type them.

A paper has optional 题型 section headings (「一、单选题」), numbered questions
(``1.`` ``1、`` ``1．`` ``（1）`` ``第1题``), options one per line or several on one
line (``A．每周　B．每月``), and ``答案：``/``【答案】``/``解析：`` lines. Lines before
the first question (the paper's title, instructions) are skipped.
"""

from __future__ import annotations

import re
from functools import cache

from studyapp.content.convert.cleaning import clean_lines, simplified
from studyapp.content.convert.drafts import Draft, DraftOption, Part, Section
from studyapp.content.convert.issues import ConvertIssue, Place, file_error
from studyapp.content.convert.wordxml import Paragraph
from studyapp.content.format.docs import QuestionType

_NUMBER = re.compile(
    r"^(?:第\s*(?P<a>\d{1,4})\s*题\s*[.．、:：]?"
    r"|(?P<b>\d{1,4})\s*(?P<sep>[.．](?!\d)|[、)）])"
    r"|[(（]\s*(?P<c>\d{1,4})\s*[)）])\s*(?P<rest>.*)$"
)
_TYPE_WORDS = r"(?:单项选择|多项选择|不定项选择|单选|多选|选择|判断|是非|填空)题?"
_SECTION = re.compile(
    r"^(?:第\s*)?[一二三四五六七八九十]{1,3}\s*(?:部分|大题)?\s*[、.．:：]\s*(?P<t>.*\S)$"
    rf"|^(?P<bare>[【\[［]?\s*{_TYPE_WORDS}\s*[】\]］]?\s*(?:[（(][^）)]*[)）])?)$"
)
_SECTION_TYPES: tuple[tuple[str, QuestionType | None], ...] = (
    ("不定项", None),
    ("单项选择", "single"),
    ("单选", "single"),
    ("多项选择", "multiple"),
    ("多选", "multiple"),
    ("判断", "truefalse"),
    ("是非", "truefalse"),
    ("填空", "fill"),
)
#: Kinds of question StudyApp does not grade: their sections are reported, not read.
_UNSUPPORTED = re.compile(
    r"(?:简答|问答|论述|案例分析|材料分析|名词解释|计算|作文|综合)题"
)
_LABELS = {
    "答案": "answer", "正确答案": "answer", "参考答案": "answer",
    "解析": "explanation", "答案解析": "explanation", "试题解析": "explanation",
    "标签": "tags", "知识点": "tags", "难度": "difficulty", "出处": "source",
}  # fmt: skip
_LABEL_WORDS = "|".join(sorted(_LABELS, key=len, reverse=True))
_LABEL = re.compile(
    rf"^(?:【\s*(?P<a>{_LABEL_WORDS})\s*】|(?P<b>{_LABEL_WORDS})\s*[:：])"
    r"\s*[:：]?\s*(?P<rest>.*)$"
)
_EXPLANATION_INSIDE = re.compile(
    r"\s*(?:【\s*(?:答案|试题)?解析\s*】|(?:答案|试题)?解析\s*[:：])"
)
_OPTION = re.compile(
    r"^(?:(?P<l>[A-ZＡ-Ｚ])\s*[.．、:：]|[(（]\s*(?P<p>[A-ZＡ-Ｚ])\s*[)）])\s*"
)
_IMAGE_ONLY = re.compile(r"^(?:!\[\]\([^)]*\)\s*)+$")


def section_type(title: str) -> QuestionType | None:
    """The type a section heading names (「二、多项选择题」 → multiple), if any."""
    title = simplified(title)
    for word, qtype in _SECTION_TYPES:
        if word in title:
            return qtype
    return None


def split_options(text: str) -> list[tuple[str, str]] | None:
    """``A．每周　B．每月`` → ``[("A", "每周"), ("B", "每月")]``; None if no option.

    After the first letter, only the next letters in order (preceded by a space)
    start another option, so ``A．维生素C`` stays one option.
    """
    match = _OPTION.match(text)
    if not match:
        return None
    letter = _ascii(match.group("l") or match.group("p"))
    pos, found = match.end(), []
    while True:
        following = (
            _next_marker(chr(ord(letter) + 1)).search(text, pos)
            if letter < "Z"
            else None
        )
        end = following.start() if following else len(text)
        found.append((letter, text[pos:end].strip()))
        if following is None:
            return found
        letter, pos = chr(ord(letter) + 1), following.end()


@cache
def _next_marker(letter: str) -> re.Pattern[str]:
    wide = chr(ord(letter) + 0xFEE0)
    return re.compile(
        rf"(?<=\s)(?:[{letter}{wide}]\s*[.．、:：]|[(（]\s*[{letter}{wide}]\s*[)）])\s*"
    )


def _typed(number: re.Match[str]) -> str:
    return number.group("a") or number.group("b") or number.group("c")


def _style(number: re.Match[str]) -> str:
    """How a question number is written: ``第``, ``()``, or its separator."""
    if number.group("a"):
        return "第"
    if number.group("c"):
        return "()"
    return {"．": ".", "）": ")"}.get(number.group("sep")[0], number.group("sep")[0])


def _ascii(letter: str) -> str:
    return chr(ord(letter) - 0xFEE0) if letter >= "Ａ" else letter


def read_paper(
    path: str, paragraphs: list[Paragraph]
) -> tuple[list[Section], list[ConvertIssue]]:
    """The questions of a paper, by section, and every problem found on the way."""
    paper = _Paper(path)
    for paragraph in paragraphs:
        paper.paragraph(paragraph)
    paper.close()
    if not any(s.drafts for s in paper.sections) and not paper.issues:
        paper.issues.append(
            file_error(path, "没有找到题目：每道题以题号开头，如 1. 、1、 或（1）")
        )
    return [s for s in paper.sections if s.drafts or s.title], paper.issues


class _Paper:
    """Line-by-line state: the current section and question, and where in it we are."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.sections = [Section(None)]
        self.section_type: QuestionType | None = None
        self.current: Draft | None = None
        #: stem → options → answer/meta, or explanation (lines continue it).
        self.state = "stem"
        #: How the current question's number is written (``1.``, ``1、``, ``（1）``).
        self.style = ""
        #: Inside a section of a kind StudyApp cannot grade (简答题 …).
        self.skipping = False
        #: The last numbered point inside the current explanation, and its style.
        self.points, self.points_style = 0, ""
        self.issues: list[ConvertIssue] = []

    def paragraph(self, paragraph: Paragraph) -> None:
        for text in clean_lines(paragraph.text):
            self.line(paragraph.number, text)
        if self.current is not None:
            for problem in paragraph.problems:
                self.issues.append(self.current.place.error(problem, paragraph.number))

    def line(self, n: int, text: str) -> None:
        # Labels and headings may be typed in traditional characters (【答案】,
        # 單選題); simplified() keeps every index, so the text is cut from *text*.
        key = simplified(text)
        if (heading := _SECTION.match(key)) and self._starts_section(heading):
            self._section(n, text, heading.group("t") or heading.group("bare"))
        elif self.skipping:
            return
        elif (number := _NUMBER.match(key)) and self._starts_question(number):
            self.close()
            place = Place(self.path, n, number=str(int(_typed(number))))
            self.current = Draft(place, section_type=self.section_type)
            self.state, self.style = "stem", _style(number)
            self.points, self.points_style = 0, ""
            if rest := text[number.start("rest") :].strip():
                self._plain(n, rest)
        elif label := _LABEL.match(key):
            name = _LABELS[label.group("a") or label.group("b")]
            self._label(n, name, text[label.start("rest") :].strip())
        elif (options := split_options(text)) and self.state != "explanation":
            self._options(n, options)
        else:
            self._plain(n, text)

    def _section(self, n: int, text: str, title: str) -> None:
        self.close()
        self.section_type = section_type(title)
        self.skipping = bool(_UNSUPPORTED.search(title))
        if self.skipping:
            message = (
                f"不支持的题型“{text}”：只能转换单选、多选、判断、填空题，"
                "请删去这一部分"
            )
            self.issues.append(file_error(self.path, message, n))
        else:
            self.sections.append(Section(text))

    def close(self) -> None:
        if self.current is not None:
            self.sections[-1].drafts.append(self.current)
        self.current = None

    def _starts_section(self, heading: re.Match[str]) -> bool:
        """Inside an explanation, 「二、…」 is a section only when it names a type
        (an explanation may list its own points as 一、二、)."""
        if self.current is None or self.state != "explanation":
            return True
        title = heading.group("t") or heading.group("bare")
        return bool(heading.group("bare")) or section_type(title) is not None

    def _starts_question(self, number: re.Match[str]) -> bool:
        """Inside an explanation, only the next question's number starts one.

        An explanation's own points (``1.`` ``2.`` …) stay in it: a ``1.`` starts
        them, and the next point number, written unlike the questions' numbers,
        continues them.
        """
        if self.current is None or self.state != "explanation":
            return True
        value, style = int(_typed(number)), _style(number)
        continues = value == self.points + 1 and self.points_style == style
        if value == 1 or (continues and style != self.style):
            self.points, self.points_style = value, style
            return False
        return value == int(self.current.place.number or 0) + 1

    def _orphan(self, n: int, what: str) -> None:
        self.issues.append(
            file_error(
                self.path,
                f"这一行像是{what}，但前面没有题号：题目应以 1. 或 1、开头",
                n,
            )
        )

    def _label(self, n: int, name: str, rest: str) -> None:
        draft = self.current
        if draft is None:
            self._orphan(n, "答案或解析")
            return
        if name == "answer":
            inside = _EXPLANATION_INSIDE.search(rest)
            answer, after = (
                (rest[: inside.start()], rest[inside.end() :])
                if inside
                else (rest, None)
            )
            self._set(draft, "answer", Part(answer.strip(), n))
            self.state = "answer"
            if after is not None:
                self._label(n, "explanation", after.strip())
        elif name == "explanation":
            if rest:
                draft.explanation.append(Part(rest, n))
            self.state = "explanation"
        else:
            self._set(draft, name, Part(rest, n))
            self.state = "meta"

    def _set(self, draft: Draft, name: str, part: Part) -> None:
        first = getattr(draft, name)
        label = {
            "answer": "答案",
            "tags": "标签",
            "difficulty": "难度",
            "source": "出处",
        }[name]
        if first is not None:
            self.issues.append(
                draft.place.error(
                    f"{label}写了两次（第 {first.line} 段已有）", part.line
                )
            )
        elif part.text:
            setattr(draft, name, part)

    def _options(self, n: int, options: list[tuple[str, str]]) -> None:
        draft = self.current
        if draft is None:
            self._orphan(n, "选项")
        elif self.state in ("answer", "meta"):
            self.issues.append(
                draft.place.error("选项写在了答案之后：是否漏写了下一题的题号？", n)
            )
        else:
            draft.options += [DraftOption(letter, text, n) for letter, text in options]
            self.state = "options"

    def _plain(self, n: int, text: str) -> None:
        draft = self.current
        if draft is None:
            return  # the paper's title and instructions
        if self.state == "stem":
            draft.stem.append(Part(text, n))
        elif self.state == "explanation":
            draft.explanation.append(Part(text, n))
        elif self.state == "options" and _IMAGE_ONLY.match(text):
            last = draft.options[-1]
            draft.options[-1] = DraftOption(
                last.letter, f"{last.text}\n{text}".strip(), last.line
            )
        else:
            where = "选项" if self.state == "options" else "答案"
            self.issues.append(
                draft.place.error(
                    f"无法识别这一行：“{text[:20]}”（{where}之后只能写答案、解析、标签、难度、出处）",
                    n,
                )
            )
