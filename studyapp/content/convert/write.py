"""PURE: write checked questions as a SPEC §2 Markdown bank, one block per question."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import yaml

from studyapp.content.convert.drafts import Question
from studyapp.content.format.answers import TYPE_NAMES


@dataclass(frozen=True)
class BankMeta:
    """The bank's front matter, and the file it was converted from (for the note)."""

    id: str
    title: str
    lesson: str | None = None
    source_name: str = ""


def question_lines(q: Question) -> list[str]:
    """The block of one question without its ``{#id}`` (the heading comes first)."""
    first, *rest = q.stem_md.split("\n\n")
    lines = [f"## 【{TYPE_NAMES[q.type]}】{first}"]
    for paragraph in rest:
        lines += ["", paragraph]
    if rest and q.options:
        lines.append("")
    for key, text in zip("ABCDEFGH", q.options, strict=False):
        head, *more = text.split("\n")
        lines.append(f"- {key}. {head}")
        lines += [f"  {line}" for line in more]
    lines += _answer(q)
    lines += _explanation(q.explanation_md)
    if q.tags:
        lines.append("标签：" + "、".join(q.tags))
    if q.difficulty is not None:
        lines.append(f"难度：{q.difficulty}")
    if q.source is not None:
        lines.append(f"出处：{q.source}")
    return lines


def _answer(q: Question) -> list[str]:
    if q.type == "truefalse":
        return ["答案：正确" if q.answer else "答案：错误"]
    if q.type in ("single", "multiple"):
        return ["答案：" + "".join(q.answer)]  # type: ignore[arg-type]
    return []  # 填空: the answers are in the stem


def _explanation(text: str) -> list[str]:
    if not text:
        return []
    paragraphs = text.split("\n\n")
    if len(paragraphs) == 1:
        return [f"解析：{text}"]
    # Several paragraphs: a quote block, so no paragraph can be read as a field.
    lines: list[str] = []
    for paragraph in paragraphs:
        lines += [">", f"> {paragraph}"] if lines else [f"> {paragraph}"]
    return lines


def front_matter(meta: BankMeta) -> list[str]:
    """The front matter lines: id, title, lesson; quoted only where YAML needs it."""
    lines = ["---", f"id: {meta.id}", f"title: {yaml_scalar(meta.title)}"]
    if meta.lesson:
        lines.append(f"lesson: {meta.lesson}")
    return [*lines, "---"]


def yaml_scalar(text: str) -> str:
    """*text* as a YAML value: plain when YAML reads it back unchanged, else quoted."""
    try:
        plain_ok = yaml.safe_load(f"k: {text}") == {"k": text} and "#" not in text
    except yaml.YAMLError:
        plain_ok = False
    return text if plain_ok else json.dumps(text, ensure_ascii=False)


def note(meta: BankMeta) -> str:
    """The comment at the top of the body: where the bank came from."""
    name = meta.source_name.replace("--", "—")
    return (
        f"<!-- 本题库由 {name} 转换生成（studyapp content convert）："
        "请修改原文件后重新转换，直接改这里的内容会在下次转换时被覆盖。 -->"
    )


def write_bank(
    meta: BankMeta,
    sections: Sequence[tuple[str | None, Sequence[tuple[Question, str]]]],
) -> tuple[str, list[tuple[int, Question]]]:
    """The bank file, and the line of each question's heading (1-based).

    *sections* are ``(title, [(question, id), …])``; a title becomes a level-1
    heading, which the parser skips (SPEC §2 section titles between questions).
    """
    lines = [*front_matter(meta), "", note(meta)]
    where: list[tuple[int, Question]] = []
    for title, questions in sections:
        if title is not None:
            lines += ["", f"# {title}"]
        for question, qid in questions:
            block = question_lines(question)
            lines.append("")
            where.append((len(lines) + 1, question))
            lines.append(f"{block[0]} {{#{qid}}}")
            lines += block[1:]
    return "\n".join(lines) + "\n", where
