"""PURE: decide a read question's option keys, type and answer; log every problem."""

from __future__ import annotations

import re

from studyapp.content.format import answers as ans
from studyapp.content.format.docs import Answer, IssueLog, QuestionType
from studyapp.content.format.questions import RawOption, RawQuestion

MIN_OPTIONS, MAX_OPTIONS = 2, 8
_NEXT_OPTION = re.compile(r"\s[B-H][ \t]*[.．、]")

Decision = tuple[QuestionType, Answer]


def check_blanks(raw: RawQuestion, stem_md: str, log: IssueLog) -> list[ans.Blank]:
    """The stem's ``{{…}}`` blanks; empty ones and unpaired braces are errors."""
    blanks = ans.find_blanks(stem_md)
    for number, blank in enumerate(blanks, 1):
        if not blank.accepted:
            log.error(
                raw.line,
                f"第 {number} 个空没有答案：写成 {{{{答案}}}} 或 {{{{答案|备选}}}}",
            )
        elif blank.empty:
            log.error(raw.line, f"第 {number} 个空有空的备选答案（多了一个 |？）")
    if ans.has_unclosed_blank(stem_md):
        log.error(raw.line, "题干中的 {{ 和 }} 不成对")
    return blanks


def check_options(raw: RawQuestion, log: IssueLog) -> list[str] | None:
    """Option keys A, B, … in order, or None when the question has no options."""
    if not raw.options:
        return None
    first_style = raw.options[0].checked is None
    odd = [o for o in raw.options if (o.checked is None) != first_style]
    if odd:
        log.error(odd[0].line, "选项写法不一致：不要在一题中混用 “- A. …” 和 “- [ ] …”")
    keys = [chr(ord("A") + i) for i in range(len(raw.options))]
    seen: dict[str, str] = {}
    for key, option in zip(keys, raw.options, strict=True):
        _check_option(key, option, seen, log)
    count = len(raw.options)
    if count < MIN_OPTIONS:
        hint = "（每个选项要单独写一行）" if _crammed(raw.options) else ""
        log.error(raw.line, f"只有 {count} 个选项，至少要 {MIN_OPTIONS} 个{hint}")
    elif count > MAX_OPTIONS:
        log.error(raw.line, f"有 {count} 个选项，最多 {MAX_OPTIONS} 个（A–H）")
    return keys


def _crammed(options: list[RawOption]) -> bool:
    """True when an option's text looks like it holds the next options too."""
    return any(_NEXT_OPTION.search(o.text) for o in options)


def _check_option(
    key: str, option: RawOption, seen: dict[str, str], log: IssueLog
) -> None:
    if option.letter is not None and option.letter != key:
        log.error(option.line, f"选项字母应按顺序写为 {key}，这里是 {option.letter}")
    text = option.text.strip()
    if not text:
        log.error(option.line, f"选项 {key} 没有内容")
    elif text in seen:
        log.warning(option.line, f"选项 {key} 与选项 {seen[text]} 内容相同")
    else:
        seen[text] = key


def decide(
    raw: RawQuestion,
    marker: QuestionType | None,
    blanks: list[ans.Blank],
    keys: list[str] | None,
    log: IssueLog,
) -> Decision | None:
    """The question's type and answer, or None after logging why not.

    Blanks make a 填空; options make a choice question (one answer: single, more:
    multiple); otherwise the 答案 must be a 判断 word. A marker must agree.
    """
    if blanks or marker == "fill":
        return _fill(raw, marker, blanks, keys, log)
    decided = _choice(raw, keys, log) if keys else _truefalse(raw, log)
    if decided and marker:
        conflict = ans.marker_conflict(marker, decided[0], decided[1], bool(keys))
        if conflict:
            log.error(raw.meta.get("答案", (raw.line, ""))[0], conflict)
            return None
    return decided


def _fill(
    raw: RawQuestion,
    marker: QuestionType | None,
    blanks: list[ans.Blank],
    keys: list[str] | None,
    log: IssueLog,
) -> Decision | None:
    if marker not in (None, "fill"):
        log.error(raw.line, f"标为{ans.TYPE_NAMES[marker]}，但题干中有 {{{{…}}}} 填空")
        return None
    if not blanks:
        log.error(raw.line, "填空题缺少空格：把答案写进题干，如 党的力量来自{{组织}}")
        return None
    if keys:
        log.error(raw.options[0].line, "填空题不写选项（题干中的 {{…}} 就是答案）")
    if "答案" in raw.meta:
        line = raw.meta["答案"][0]
        log.error(line, "填空题的答案写在题干的 {{…}} 里，不要另写“答案”行")
    return "fill", tuple(b.accepted for b in blanks)


def _choice(raw: RawQuestion, keys: list[str], log: IssueLog) -> Decision | None:
    ticked = _ticked(raw.options, keys)
    written = _written_letters(raw, keys, log)
    if written is None:
        return None
    if ticked and written and ticked != written:
        log.error(
            raw.meta["答案"][0],
            f"答案行（{'、'.join(written)}）与勾选的选项（{'、'.join(ticked)}）不一致",
        )
        return None
    chosen = written or ticked
    if not chosen:
        log.error(raw.line, "缺少答案：写“答案：A”，或用 - [x] 勾选正确选项")
        return None
    return ans.choice_answer(chosen)


def _ticked(options: list[RawOption], keys: list[str]) -> tuple[str, ...]:
    if any(o.checked is None for o in options):
        return ()  # not (only) a task list: ticks mean nothing, styles already reported
    return tuple(k for k, o in zip(keys, options, strict=True) if o.checked)


def _written_letters(
    raw: RawQuestion, keys: list[str], log: IssueLog
) -> tuple[str, ...] | None:
    """Letters of the 答案 line; () when there is none; None after an error."""
    if "答案" not in raw.meta:
        return ()
    line, text = raw.meta["答案"]
    letters = ans.parse_letters(_bare(text))
    if letters is None:
        log.error(line, f"答案 “{text}” 应为选项字母，如 A、ABD 或 A,B,D")
        return None
    unknown = [k for k in letters if k not in keys]
    if unknown:
        shown = "、".join(unknown)
        log.error(line, f"答案 {shown} 不在选项 {ans.describe_keys(keys)} 中")
        return None
    return letters


def _truefalse(raw: RawQuestion, log: IssueLog) -> Decision | None:
    if "答案" not in raw.meta:
        log.error(raw.line, "缺少答案：写“答案：A”，判断题写“答案：正确”")
        return None
    line, text = raw.meta["答案"]
    value = ans.parse_truefalse(_bare(text))
    if value is not None:
        return "truefalse", value
    if ans.parse_letters(_bare(text)):
        log.error(line, f"答案 {text} 不在选项中：这道题没有选项（选项写成 - A. …）")
    else:
        log.error(line, f"无法识别答案 “{text}”：判断题写 正确/错误、对/错 或 √/×")
    return None


def _bare(text: str) -> str:
    """An answer without Markdown emphasis or code marks around it (``**A**``)."""
    return text.strip("*` ")
