"""PURE: split a Markdown body into question blocks (level-2 headings), fence-aware."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

#: A level-2 ATX heading: ``## text`` (CommonMark: up to 3 spaces of indent).
HEADING2 = re.compile(r"^ {0,3}##(?:[ \t]+(.*))?$")
#: Level-1 headings are section titles between questions; they end a question.
HEADING1 = re.compile(r"^ {0,3}#(?:[ \t]|$)")
#: ``{#id}`` at the end of a heading (with anything inside, so bad ids are reported).
HEADING_ID = re.compile(r"\{#([^{}]*)\}[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")

Line = tuple[int, str]


@dataclass
class Block:
    """One question: its heading (file line and text) and the lines under it."""

    line: int
    heading: str
    body: list[Line] = field(default_factory=list)


def fenced(lines: list[str]) -> Iterator[tuple[int, str, bool]]:
    """Yield ``(index, line, inside_fence)``; fence delimiter lines count as inside."""
    fence = ""
    for index, line in enumerate(lines):
        if not fence and "`" not in line and "~" not in line:
            yield index, line, False  # the common line: no fence opens here
            continue
        fence, inside = _fence_step(fence, line)
        yield index, line, inside


def unclosed_fence(lines: list[str]) -> int | None:
    """Index of the line opening a code fence that is never closed, if any."""
    fence, opened = "", None
    for index, line in enumerate(lines):
        if not fence and "`" not in line and "~" not in line:
            continue
        was_open = bool(fence)
        fence, _ = _fence_step(fence, line)
        if fence and not was_open:
            opened = index
    return opened if fence else None


def _fence_step(fence: str, line: str) -> tuple[str, bool]:
    """The open fence after *line* (``""`` if none) and whether *line* is code."""
    match = _FENCE.match(line)
    if fence:
        marker = match.group(1) if match else ""
        closes = (
            marker[:1] == fence[0]
            and len(marker) >= len(fence)
            and not line[match.end() :].strip()  # type: ignore[union-attr]
        )
        return ("" if closes else fence), True
    if match and not (match.group(1)[0] == "`" and "`" in line[match.end() :]):
        return match.group(1), True
    return "", False


def split_blocks(body: str, first_line: int) -> tuple[list[Line], list[Block]]:
    """Split *body* (whose first line is file line *first_line*) into questions.

    Returns the lines before the first question (a quiz's introduction) and the
    question blocks. Lines after a level-1 heading, up to the next question, are
    dropped: they are section titles.
    """
    intro: list[Line] = []
    blocks: list[Block] = []
    target: list[Line] | None = intro
    for index, line, in_fence in fenced(body.split("\n")):
        number = first_line + index
        heading = None if in_fence else HEADING2.match(line)
        if heading:
            blocks.append(Block(number, (heading.group(1) or "").rstrip()))
            target = blocks[-1].body
        elif not in_fence and HEADING1.match(line) and blocks:
            target = None
        elif target is not None:
            target.append((number, line))
    return intro, blocks
