"""PURE: turn a read question into a QuestionDoc: metadata, rendering, hash."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from studyapp.content.format import answers as ans
from studyapp.content.format import render
from studyapp.content.format.blocks import Block
from studyapp.content.format.decide import check_blanks, check_options, decide
from studyapp.content.format.docs import Answer, IssueLog, Option, QuestionDoc
from studyapp.content.format.questions import (
    RawOption,
    RawQuestion,
    check_id,
    read_block,
)
from studyapp.content.format.values import is_valid_id

_TAG_SPLIT = re.compile(r"[\s,，、;；]+")


@dataclass(frozen=True)
class BankContext:
    """What a question inherits from its file: path, the bank's tags and lesson."""

    path: str
    tags: tuple[str, ...] = ()
    lesson: str | None = None


def parse_questions(
    blocks: list[Block], ctx: BankContext, log: IssueLog
) -> list[QuestionDoc]:
    """Every valid question of *blocks*; problems (all of them) go to *log*."""
    docs = []
    for block in blocks:
        mark = len(log.items)
        doc = build_question(read_block(block, log), ctx, log, mark)
        if doc is not None:
            docs.append(doc)
    return docs


def build_question(
    raw: RawQuestion, ctx: BankContext, log: IssueLog, mark: int | None = None
) -> QuestionDoc | None:
    """Check *raw* and build its QuestionDoc.

    Returns None when the question has any error (logged since *mark*, which
    defaults to now; pass the mark taken before :func:`read_block`).
    """
    before = len(log.items) if mark is None else mark
    qid = check_id(raw, log)
    marker, stem_head = ans.split_marker(raw.heading)
    if not stem_head.strip():
        log.error(raw.line, "题干为空：标题 ## 后应写题目")
    stem_md = _join_stem(stem_head, raw.stem_lines)
    keys = check_options(raw, log)
    decided = decide(raw, marker, check_blanks(raw, stem_md, log), keys, log)
    meta = _metadata(raw, ctx, log)
    shown = _render(raw, stem_md, keys or [], log)
    if log.has_errors_since(before) or qid is None or decided is None:
        return None
    qtype, answer = decided
    return QuestionDoc(
        id=qid,
        type=qtype,
        answer=answer,
        path=ctx.path,
        line=raw.line,
        stem_md=stem_md,
        content_hash=_hash(qtype, stem_md, raw.options, answer, shown.explanation_md),
        **shown.fields(),
        **meta,
    )


@dataclass
class _Shown:
    """The rendered parts of a question: what a member sees."""

    stem: render.Rendered
    options: list[tuple[Option, render.Rendered]]
    explanation_md: str
    explanation: render.Rendered | None

    def images(self) -> tuple[str, ...]:
        found = [*self.stem.images, *(i for _, r in self.options for i in r.images)]
        found += self.explanation.images if self.explanation else ()
        return tuple(dict.fromkeys(found))

    def fields(self) -> dict[str, Any]:
        return {
            "stem_html": self.stem.html,
            "options": tuple(o for o, _ in self.options),
            "explanation_md": self.explanation_md,
            "explanation_html": self.explanation.html if self.explanation else "",
            "images": self.images(),
        }


def _render(raw: RawQuestion, stem_md: str, keys: list[str], log: IssueLog) -> _Shown:
    explanation_md = "\n".join(raw.explanation).strip("\n")
    if not explanation_md.strip():
        explanation_md = ""
        log.warning(raw.line, "缺少解析：建议写“解析：…”，帮助党员理解")
    shown = _Shown(
        render.render_stem(stem_md),
        [_option(k, o) for k, o in zip(keys, raw.options, strict=False)],
        explanation_md,
        render.render(explanation_md) if explanation_md else None,
    )
    parts = [shown.stem, *(r for _, r in shown.options), shown.explanation]
    if any(part is not None and part.too_deep for part in parts):
        log.error(raw.line, render.TOO_DEEP)
    for path in shown.images():
        if path.startswith(".."):
            log.error(raw.line, f"图片路径 {path} 超出了题库文件所在目录")
    return shown


def _join_stem(head: str, lines: list[str]) -> str:
    rest = "\n".join(lines).strip("\n")
    return f"{head}\n\n{rest}" if rest.strip() else head


def _metadata(raw: RawQuestion, ctx: BankContext, log: IssueLog) -> dict[str, Any]:
    own = [t for t in _TAG_SPLIT.split(raw.meta.get("标签", (0, ""))[1]) if t]
    source, source_line = ctx.lesson, None
    if "出处" in raw.meta:
        source_line, source = raw.meta["出处"][0], raw.meta["出处"][1].strip()
        if not is_valid_id(source):
            message = f"出处应为课程 id（字母、数字、- 和 _），这里是 “{source}”"
            log.error(source_line, message)
    return {
        "tags": tuple(dict.fromkeys([*ctx.tags, *own])),
        "difficulty": _difficulty(raw, log),
        "source_lesson": source,
        "source_lesson_line": source_line,
    }


def _difficulty(raw: RawQuestion, log: IssueLog) -> int | None:
    if "难度" not in raw.meta:
        return None
    line, text = raw.meta["难度"]
    digits = unicodedata.normalize("NFKC", text).strip()
    if digits.isdecimal() and 1 <= int(digits) <= 5:
        return int(digits)
    log.error(line, f"难度应为 1–5 的整数，这里是 “{text}”")
    return None


def _option(key: str, raw: RawOption) -> tuple[Option, render.Rendered]:
    text = raw.text.strip()
    done = render.render(text)
    return Option(key, text, render.unwrap_paragraph(done.html)), done


def _hash(
    qtype: str,
    stem_md: str,
    options: list[RawOption],
    answer: Answer,
    explanation_md: str,
) -> str:
    payload = [
        qtype,
        _normal(stem_md),
        [_normal(o.text) for o in options],
        answer,
        _normal(explanation_md),
    ]
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode()).hexdigest()


def _normal(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().split("\n"))
