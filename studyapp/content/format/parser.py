"""PURE: parse one content file (lesson, question bank or quiz definition) into a doc.

``parse_file(path, text)`` never raises: every problem becomes an Issue with the
file's 1-based line number, and as many problems as possible are found in one pass.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import PurePath
from typing import Literal

from studyapp.content.format import limits, render
from studyapp.content.format.assemble import BankContext, parse_questions
from studyapp.content.format.blocks import Block, split_blocks, unclosed_fence
from studyapp.content.format.docs import (
    QUIZ_KINDS,
    BankDoc,
    Doc,
    IdKind,
    IdUse,
    Issue,
    IssueLog,
    LessonDoc,
    QuizDoc,
)
from studyapp.content.format.fields import Fields
from studyapp.content.format.questions import heading_id
from studyapp.content.format.quizdef import QUIZ_KEYS, read_quiz_settings
from studyapp.content.format.values import is_valid_id
from studyapp.content.format.yamlmeta import (
    FrontMatter,
    normalise_newlines,
    split_front_matter,
)

LESSON_KEYS = frozenset(
    {"id", "title", "series", "tags", "minutes", "publish_at", "audience"}
)
BANK_KEYS = frozenset({"id", "title", "tags", "lesson"})
#: Reading speed used to estimate ``minutes`` when a lesson omits it.
CHARS_PER_MINUTE = 400

FileKind = Literal["lessons", "quizzes"]


def classify(path: str) -> FileKind | None:
    """``lessons`` or ``quizzes`` from the deepest such directory in *path*."""
    for part in reversed(PurePath(path).parts[:-1]):
        if part in ("lessons", "quizzes"):
            return part  # type: ignore[return-value]
    return None


@dataclass(frozen=True)
class ParsedFile:
    """One parsed file: its doc (None when unusable), issues, and every id it uses.

    ``ids`` holds the file's own id and every valid ``{#id}`` of its question
    headings, also for questions (or a quiz) left out of ``doc`` because of errors,
    so that duplicate ids are found in one pass.
    """

    doc: Doc | None
    issues: list[Issue]
    ids: tuple[IdUse, ...] = ()


def parse_file(path: str, text: str) -> tuple[Doc | None, list[Issue]]:
    """Parse one Markdown content file.

    Files under a ``lessons`` directory are lessons; files under ``quizzes`` are
    question banks, or quiz definitions when the front matter has ``kind``. The doc
    is returned whenever its id is usable, even with errors (so cross-file checks
    can still run); questions with errors are left out of it. Issues are sorted by
    line.
    """
    parsed = parse_content(path, text)
    return parsed.doc, parsed.issues


def parse_content(path: str, text: str) -> ParsedFile:
    """:func:`parse_file`, also returning the ids the file uses (see ParsedFile)."""
    log = IssueLog(path)
    kind = classify(path)
    if kind is None:
        log.error(
            1, "无法判断文件类型：课程放在 lessons/ 下，题库和测验放在 quizzes/ 下"
        )
        return ParsedFile(None, log.items)
    text = normalise_newlines(text)
    if problem := limits.first_problem(text):
        log.error(*problem)
        return ParsedFile(None, log.items)
    front = split_front_matter(text, log)
    if front is None:
        return ParsedFile(None, log.items)
    fields = Fields(front.fields, log, quiet_missing=not front.readable)
    _check_fence(front, log, lesson=kind == "lessons")
    ids: list[IdUse] = []
    if kind == "lessons":
        doc: Doc | None = _lesson(path, front, fields, log, ids)
    elif "kind" in front.fields:
        doc = _quiz(path, front, fields, log, ids)
    else:
        doc = _bank(path, front, fields, log, ids)
    return ParsedFile(doc, sorted(log.items, key=lambda i: i.line), tuple(ids))


def _check_fence(front: FrontMatter, log: IssueLog, *, lesson: bool) -> None:
    opened = unclosed_fence(front.body.split("\n"))
    if opened is None:
        return
    line = front.body_line + opened
    if lesson:
        log.warning(line, "代码块没有结束：后面的正文都会显示成代码")
    else:
        log.error(line, "代码块没有结束：后面的题目都会被当作代码，请补上结束的 ```")


def _doc_id(
    path: str, f: Fields, log: IssueLog, ids: list[IdUse], kind: IdKind
) -> str | None:
    """The doc's id (front matter, else the file stem); a usable one goes to *ids*."""
    if "id" in f.entries:
        doc_id = f.ident("id", required=True)
    else:
        doc_id = PurePath(path).stem
        if not is_valid_id(doc_id):
            log.error(
                1, f"文件名 “{doc_id}” 不能作 id：请在头部写 id（字母、数字、- 和 _）"
            )
            return None
    if doc_id is not None:
        ids.append(IdUse(kind, doc_id, path, f.key_lines().get("id", 1)))
    return doc_id


def _question_ids(path: str, blocks: list[Block], ids: list[IdUse]) -> None:
    """Every valid question id written in a heading, kept question or not."""
    for block in blocks:
        qid = heading_id(block.heading)
        if qid is not None:
            ids.append(IdUse("question", qid, path, block.line))


def _lesson(
    path: str, front: FrontMatter, f: Fields, log: IssueLog, ids: list[IdUse]
) -> LessonDoc | None:
    f.warn_unknown(LESSON_KEYS, "课程头部")
    lesson_id = _doc_id(path, f, log, ids, "lesson")
    title = f.text("title", required=True)
    body = front.body.strip("\n")
    first_line = front.body_line + len(front.body) - len(front.body.lstrip("\n"))
    done = render.render(body)
    if done.too_deep:
        log.error(first_line, render.TOO_DEEP)
    _check_images(done.images, body, first_line, "课程", log)
    if not body.strip():
        log.warning(front.body_line, "课程正文为空")
    minutes = f.integer("minutes", 1)
    when = f.when("publish_at")
    series, tags, audience = f.text("series"), f.strings("tags"), f.audience()
    if lesson_id is None:
        return None
    return LessonDoc(
        id=lesson_id,
        title=title or "",
        series=series,
        tags=tags,
        minutes=minutes or estimate_minutes(done.html),
        minutes_estimated=minutes is None,
        publish_at=when[0] if when else None,
        audience=audience,
        body_md=body,
        body_html=done.html,
        body_line=first_line,
        images=tuple(p for p in done.images if not p.startswith("..")),
        path=path,
        content_hash=_lesson_hash(title or "", body),
        key_lines=f.key_lines(),
    )


def estimate_minutes(body_html: str) -> int:
    """Reading minutes: visible characters / 400, rounded up, at least 1."""
    return max(1, math.ceil(render.text_length(body_html) / CHARS_PER_MINUTE))


def _check_images(
    images: tuple[str, ...], body: str, first_line: int, what: str, log: IssueLog
) -> None:
    for image in images:
        if image.startswith("..") or image == ".":
            line = find_line(body, image, first_line)
            log.error(
                line, f"图片路径 {image} 超出了{what}文件所在目录：请把图片放在文件旁边"
            )


def find_line(body: str, needle: str, first_line: int) -> int:
    """File line of the first body line containing *needle* (or its file name)."""
    name = PurePath(needle).name
    lines = body.split("\n")
    for candidate in (needle, name):
        for index, line in enumerate(lines):
            if candidate and candidate in line:
                return first_line + index
    return first_line


def _lesson_hash(title: str, body: str) -> str:
    normal = "\n".join(line.rstrip() for line in body.strip().split("\n"))
    data = json.dumps([title.strip(), normal], ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()


def _bank(
    path: str, front: FrontMatter, f: Fields, log: IssueLog, ids: list[IdUse]
) -> BankDoc | None:
    _warn_bank_keys(f, log)
    bank_id = _doc_id(path, f, log, ids, "bank")
    title = f.text("title", required=True)
    tags, lesson = f.strings("tags"), f.ident("lesson")
    _, blocks = split_blocks(front.body, front.body_line)
    _question_ids(path, blocks, ids)
    questions = parse_questions(blocks, BankContext(path, tags, lesson), log)
    if not blocks:
        log.warning(front.body_line, "题库中没有题目：每道题以 ## 开头")
    if bank_id is None:
        return None
    return BankDoc(
        id=bank_id,
        title=title or "",
        tags=tags,
        lesson=lesson,
        questions=tuple(questions),
        path=path,
        key_lines=f.key_lines(),
    )


def _warn_bank_keys(f: Fields, log: IssueLog) -> None:
    quiz_only = [k for k in f.entries if k in QUIZ_KEYS and k not in BANK_KEYS]
    for key in quiz_only:
        log.error(
            f.entries[key].key_line,
            f"写了 {key} 却没有 kind："
            "测验定义要写 kind（daily、weekly、special、exam）",
        )
    f.warn_unknown(BANK_KEYS | set(quiz_only), "题库头部")


def _quiz(
    path: str, front: FrontMatter, f: Fields, log: IssueLog, ids: list[IdUse]
) -> QuizDoc | None:
    f.warn_unknown(QUIZ_KEYS, "测验头部")
    quiz_id = _doc_id(path, f, log, ids, "bank")
    title = f.text("title", required=True)
    kind = f.choice("kind", QUIZ_KINDS)
    if kind is None and not f.has("kind"):
        log.error(f.line_of("kind"), "kind 不能为空（daily、weekly、special、exam）")
    tags, lesson = f.strings("tags"), f.ident("lesson")
    intro, blocks = split_blocks(front.body, front.body_line)
    _question_ids(path, blocks, ids)
    questions = parse_questions(blocks, BankContext(path, tags, lesson), log)
    intro_md = "\n".join(text for _, text in intro).strip("\n")
    shown = render.render(intro_md) if intro_md.strip() else None
    if shown is not None and shown.too_deep:
        log.error(intro[0][0] if intro else 1, render.TOO_DEEP)
    audience = f.audience()
    if kind is None:
        return None
    settings = read_quiz_settings(f, kind, log)
    _check_paper(f, kind, bool(blocks), bool(settings["draw"]), log)
    if quiz_id is None:
        return None
    return QuizDoc(
        id=quiz_id,
        title=title or "",
        path=path,
        audience=audience,
        lesson=lesson,
        tags=tags,
        intro_md=intro_md,
        intro_html=shown.html if shown is not None else "",
        questions=tuple(questions),
        key_lines=f.key_lines(),
        **settings,
    )


def _check_paper(f: Fields, kind: str, fixed: bool, draw: bool, log: IssueLog) -> None:
    line = f.line_of("kind")
    if kind == "daily" and fixed:
        log.error(line, "daily 测验每天为每人抽题，不能写固定题目")
    elif fixed and draw:
        log.error(f.line_of("draw"), "固定题目（文件中的 ## 题）和 draw 只能二选一")
    elif kind != "daily" and not fixed and not f.has("draw"):
        log.error(line, "测验没有题目：写 draw 抽题规则，或直接在文件中写题目")
