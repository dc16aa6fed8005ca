"""PURE: the size and nesting a content file may have before Markdown sees it.

Python-Markdown recurses once per level of nested lists, quotes and emphasis and
is quadratic in the length of one paragraph: 400 nested list items take seconds
and then raise RecursionError, and one 500,000-character paragraph takes minutes.
No lesson or bank needs anything close, so :func:`first_problem` refuses such a
file with its line before it is rendered, and the file is not published.
"""

from __future__ import annotations

import re

from studyapp.content.format.blocks import fenced

#: Characters in one file (about 3 MB of Chinese text; a long lesson has 20,000).
MAX_CHARS = 1_000_000
#: Characters in one paragraph, table or list (text between two blank lines).
MAX_BLOCK_CHARS = 50_000
#: Levels of lists and quotes on one line (indentation counts 4 columns a level).
MAX_DEPTH = 20

#: One level at the start of a line: a quote marker or a list marker.
_BRACKET = re.compile(r"(?<!\\)[\[\]]")
_LEVEL = re.compile(r"[ \t]*(?:>|[-+*](?=[ \t])|\d{1,9}[.)](?=[ \t]))")


def depth(line: str) -> int:
    """How deep *line* sits: quote and list markers at its start, plus every
    4 columns of indentation before them."""
    indent = len(line) - len(line.lstrip(" \t"))
    columns = len(line[:indent].expandtabs(4))
    levels, at = 0, 0
    while match := _LEVEL.match(line, at):
        levels, at = levels + 1, match.end()
    return levels + columns // 4


def brackets(line: str) -> int:
    """The deepest nesting of ``[`` in *line* (links are searched for in every
    pair, so nested brackets cost Markdown a power of their depth)."""
    deepest = level = 0
    for char in _BRACKET.findall(line):
        level = level + 1 if char == "[" else max(level - 1, 0)
        deepest = max(deepest, level)
    return deepest


def first_problem(text: str) -> tuple[int, str] | None:
    """The first ``(line, message)`` that makes *text* too large or too deep to
    render (text with ``\\n`` newlines; lines from 1), or None when it is fine."""
    if len(text) > MAX_CHARS:
        return 1, (
            f"文件太大（{len(text):,} 个字符）：一个内容文件最多 {MAX_CHARS:,} 个字符，"
            "请拆成几个文件"
        )
    block_start, block_chars = 1, 0
    for index, line, code in fenced(text.split("\n")):
        if code:
            continue
        if not line.strip() or line.rstrip() == "---":  # front matter ends a block
            block_start, block_chars = index + 2, 0
            continue
        block_chars += len(line) + 1
        if block_chars > MAX_BLOCK_CHARS:
            return block_start, (
                f"这一段太长（超过 {MAX_BLOCK_CHARS:,} 个字符且中间没有空行）："
                "请用空行分段"
            )
        if depth(line) > MAX_DEPTH:
            return index + 1, (
                f"列表或引用嵌套太深（超过 {MAX_DEPTH} 层）：请减少缩进或 > 的层数"
            )
        if brackets(line) > MAX_DEPTH:
            return index + 1, (
                f"方括号嵌套太深（超过 {MAX_DEPTH} 层）：链接文字里不要再套 [ ]"
            )
    return None
