"""PURE: read the lines of one question block into options, answer and metadata."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from studyapp.content.format.blocks import HEADING_ID, Block, fenced
from studyapp.content.format.docs import IssueLog
from studyapp.content.format.labels import label_like
from studyapp.content.format.values import is_valid_id

#: 答案/解析/标签/难度/出处 lines (also 正确答案 and 参考答案, common in exam papers).
META = re.compile(
    r"^\s*(?:\*\*)?(?:【\s*(?:正确|参考)?(?P<a>答案|解析|标签|难度|出处)\s*】"
    r"|(?:正确|参考)?(?P<b>答案|解析|标签|难度|出处)\s*(?:\*\*)?\s*[:：])"
    r"\s*(?:\*\*)?\s*[:：]?\s*(?:\*\*)?\s*(?P<rest>.*)$"
)
TASK = re.compile(r"^\s*[-*+][ \t]+\[([ xX])\](?:[ \t]+(.*))?$")
_LETTER = (
    r"(?:(?P<l1>[A-ZＡ-Ｚ])[ \t]*[.．、]|[(（][ \t]*(?P<l2>[A-ZＡ-Ｚ])[ \t]*[)）])"
)
LETTER = re.compile(rf"^\s*(?:[-*+][ \t]+)?{_LETTER}[ \t]*(?P<text>.*)$")
LETTER_PREFIX = re.compile(rf"^{_LETTER}[ \t]*")
QUOTE = re.compile(r"^ {0,3}>[ \t]?(.*)$")
#: The warning for a paragraph separated from the explanation by a blank line.
STRAY_PARAGRAPH = (
    "这段文字与解析隔着空行，会并入解析：如属解析，请删去空行或改用 > 引用块；"
    "如不属解析，是否漏写了“标签：”等字段名？"
)
_EXPLANATION_LABEL = re.compile(
    r"^\s*(?:\*\*)?(?:【解析】|解析\s*[:：])\s*(?:\*\*)?\s*"
)


@dataclass
class RawOption:
    """An option as written: its letter (None for a bare ``- [ ]``) and tick."""

    letter: str | None
    text: str
    checked: bool | None  # None for lettered options without a checkbox
    line: int


@dataclass
class RawQuestion:
    """A question block split into its parts, before any validation of answers."""

    line: int
    qid: str | None
    heading: str
    stem_lines: list[str] = field(default_factory=list)
    options: list[RawOption] = field(default_factory=list)
    meta: dict[str, tuple[int, str]] = field(default_factory=dict)
    explanation: list[str] = field(default_factory=list)


def read_block(block: Block, log: IssueLog) -> RawQuestion:
    """Classify every line of *block*; unknown lines after the options are errors."""
    qid, heading = _split_heading(block.heading)
    raw = RawQuestion(block.line, qid, heading)
    reader = _Reader(raw, log)
    texts = [text for _, text in block.body]
    for index, text, in_fence in fenced(texts):
        reader.feed(block.body[index][0], text, in_fence)
    return raw


def check_id(raw: RawQuestion, log: IssueLog) -> str | None:
    """The question id, or None after logging why it is missing or invalid."""
    if raw.qid is None:
        log.error(
            raw.line, "题目缺少 id：在标题末尾写 {#…}，或运行 studyapp content add-ids"
        )
        return None
    if not is_valid_id(raw.qid):
        log.error(raw.line, f"题目 id “{raw.qid}” 无效：只能用字母、数字、- 和 _")
        return None
    return raw.qid


def heading_id(heading: str) -> str | None:
    """The valid ``{#id}`` of a question heading, or None when missing or invalid."""
    qid, _ = _split_heading(heading)
    return qid if qid is not None and is_valid_id(qid) else None


def _split_heading(text: str) -> tuple[str | None, str]:
    match = HEADING_ID.search(text)
    qid = None
    if match:
        qid, text = match.group(1).strip(), text[: match.start()]
    return qid, _strip_closing_hashes(text.strip())


def _strip_closing_hashes(text: str) -> str:
    """``题目 ##`` → ``题目`` (an ATX closing sequence), but ``C#`` stays."""
    bare = text.rstrip("#")
    if bare != text and (not bare or bare[-1] in " \t"):
        return bare.rstrip()
    return text


def letter_key(match: re.Match[str]) -> str:
    """The ASCII option key of a LETTER/LETTER_PREFIX match (Ａ → A)."""
    return unicodedata.normalize("NFKC", match.group("l1") or match.group("l2"))


class _Reader:
    """Line-by-line state: stem lines first, then options, answer and metadata."""

    def __init__(self, raw: RawQuestion, log: IssueLog) -> None:
        self.raw = raw
        self.log = log
        self.in_stem = True
        self.last: str | None = None  # "option" | "explanation" | None
        #: A blank line (outside code) followed the explanation.
        self.gap = False

    def feed(self, line: int, text: str, in_fence: bool) -> None:
        if in_fence or not text.strip():
            self._text(line, text, in_fence)
        elif meta := META.match(text):
            self._meta(
                line, meta.group("a") or meta.group("b"), meta.group("rest").strip()
            )
        elif (typo := label_like(text)) and typo.label:
            self.log.error(line, f"“{typo.written}” 写错了，应写作“{typo.label}：”")
            self._meta(line, typo.label, typo.rest)
        elif quote := QUOTE.match(text):
            self._quote(quote.group(1))
        elif task := TASK.match(text):
            self._task(line, task.group(1) != " ", (task.group(2) or "").strip())
        elif letter := LETTER.match(text):
            self._option(
                RawOption(letter_key(letter), letter.group("text").strip(), None, line)
            )
        else:
            self._text(line, text, in_fence)

    def _meta(self, line: int, label: str, rest: str) -> None:
        self.in_stem, self.gap = False, False
        if label == "解析":
            if rest:
                self.raw.explanation.append(rest)
            self.last = "explanation"
            return
        self.last = None
        if label in self.raw.meta:
            first = self.raw.meta[label][0]
            self.log.error(line, f"{label}写了两次（第 {first} 行已有）")
            return
        self.raw.meta[label] = (line, rest)

    def _quote(self, text: str) -> None:
        self.in_stem, self.gap = False, False
        if self.last != "explanation":
            text = _EXPLANATION_LABEL.sub("", text, count=1)
            if self.raw.explanation:
                self.raw.explanation.append("")
        self.raw.explanation.append(text)
        self.last = "explanation"

    def _task(self, line: int, checked: bool, text: str) -> None:
        prefix = LETTER_PREFIX.match(text)
        letter = letter_key(prefix) if prefix else None
        self._option(
            RawOption(letter, text[prefix.end() :] if prefix else text, checked, line)
        )

    def _option(self, option: RawOption) -> None:
        self.in_stem, self.gap = False, False
        self.raw.options.append(option)
        self.last = "option"

    def _text(self, line: int, text: str, in_fence: bool) -> None:
        if self.in_stem:
            self.raw.stem_lines.append(text)
        elif self.last == "explanation":
            self._explanation(line, text, in_fence)
        elif self.last == "option" and (text[:1] in (" ", "\t") or not text.strip()):
            if text.strip():
                self.raw.options[-1].text += "\n" + text.strip()
        elif text.strip():
            self._unknown(line, text)

    def _explanation(self, line: int, text: str, in_fence: bool) -> None:
        """A line after the explanation: its continuation, unless it looks wrong.

        Lines right below continue it; a paragraph after a blank line is kept too,
        with a warning: it is often a metadata line whose label was forgotten. (A
        bare ``解析：`` line may be followed by a blank line and then the text.)
        """
        if not text.strip():
            started = any(part.strip() for part in self.raw.explanation)
            self.gap = self.gap or (started and not in_fence)
        elif not in_fence and label_like(text):
            self.gap = False
            self._unknown(line, text)
            return
        elif self.gap:
            self.gap = False
            self.log.warning(line, STRAY_PARAGRAPH)
        self.raw.explanation.append(text)

    def _unknown(self, line: int, text: str) -> None:
        shown = text.strip()[:20]
        if label_like(text):
            why = "像是写错的字段名：题目中只能写答案、解析、标签、难度、出处"
        else:
            why = "选项之后只能写答案、解析、标签、难度、出处"
        self.log.error(line, f"无法识别这一行：“{shown}”（{why}）")
