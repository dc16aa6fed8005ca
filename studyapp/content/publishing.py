"""Publish a checked content tree into the database in one transaction.

``publish_report`` upserts lessons, banks, questions and quiz definitions by their
stable ids, gives edited questions a new revision, retires what disappeared from
the files in scope, and stores images. It flushes and never commits: the caller
commits (publish) or rolls back (preview), so a failure leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from studyapp.content.format.checker import Report
from studyapp.content.format.docs import BankDoc, LessonDoc, QuestionDoc, QuizDoc
from studyapp.content.media import rewrite_sources, store_images
from studyapp.content.models import (
    ACTIVE,
    RETIRED,
    Lesson,
    Question,
    QuestionBank,
    QuestionRevision,
    QuizDefinition,
)
from studyapp.content.queries import forget_lessons
from studyapp.content.quiz_settings import QuizSettings
from studyapp.db import after_commit

#: URL prefix of stored images (served by ``content.views.media``).
MEDIA_PREFIX = "/media/"
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Change:
    kind: str  #: lesson | bank | question | quiz
    slug: str
    title: str
    action: str  #: added | changed | revised | retired | restored | scheduled


@dataclass
class PublishSummary:
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0
    media_added: int = 0

    def count(self, kind: str, action: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind and c.action == action)

    @property
    def changed(self) -> bool:
        return bool(self.changes) or bool(self.media_added)

    def lines(self) -> list[str]:
        """One Chinese line per kind of item, for the CLI and the admin page."""
        names = {"lesson": "课程", "bank": "题库", "question": "题目", "quiz": "测验"}
        acts = {
            "added": "新增",
            "changed": "修改",
            "revised": "新修订",
            "scheduled": "定时发布",
            "restored": "恢复",
            "retired": "停用",
        }
        out = []
        for kind, name in names.items():
            parts = [
                f"{label} {n}"
                for act, label in acts.items()
                if (n := self.count(kind, act))
            ]
            if parts:
                out.append(f"{name}：" + "，".join(parts))
        return out or ["没有变化。"]


@dataclass
class _Context:
    session: Session
    root: Path
    scope: list[str]
    now: datetime
    summary: PublishSummary
    step: Callable[[int], None]


def publish_report(
    session: Session,
    report: Report,
    *,
    content_root: Path,
    scope: Sequence[Path],
    now: datetime,
    progress: Callable[[int], None] | None = None,
) -> PublishSummary:
    """Upsert everything in an error-free ``report``; retire what left ``scope``.

    ``scope`` are the files/folders that were read: only items whose source file
    lies inside them can be retired. Raises ValueError when the report has errors.
    """
    if not report.ok:
        raise ValueError("a report with errors cannot be published")
    ctx = _Context(
        session,
        content_root.resolve(),
        [],
        now,
        PublishSummary(),
        progress or (lambda _n: None),
    )
    ctx.scope = [source_path(ctx.root, Path(p)) for p in scope]
    report = _within_scope(ctx, report)
    lessons = _publish_lessons(ctx, report.lessons)
    banks = _publish_banks(ctx, report.banks)
    questions = _publish_questions(ctx, report, banks)
    quizzes = _publish_quizzes(ctx, report.quizzes)
    _retire(ctx, Lesson, lessons, "lesson")
    _retire(ctx, QuestionBank, banks, "bank")
    _retire(ctx, Question, questions, "question")
    _retire(ctx, QuizDefinition, quizzes, "quiz")
    session.flush()
    forget_lessons()
    after_commit(session, forget_lessons)  # and again once it is visible
    return ctx.summary


def _within_scope(ctx: _Context, report: Report) -> Report:
    """Only the files in scope are published (the rest was read for references)."""

    def keep(doc: Any) -> bool:
        return _in_scope(source_path(ctx.root, Path(doc.path)), ctx.scope)

    return replace(
        report,
        lessons=tuple(d for d in report.lessons if keep(d)),
        banks=tuple(d for d in report.banks if keep(d)),
        quizzes=tuple(d for d in report.quizzes if keep(d)),
    )


def work_units(report: Report) -> int:
    """How many progress steps publishing this report takes."""
    return (
        len(report.lessons)
        + len(report.banks)
        + len(report.quizzes)
        + len(report.questions)
    )


def source_path(root: Path, path: Path) -> str:
    """A file's path relative to the content root (POSIX), or absolute outside it."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(root).as_posix() or "."
    except ValueError:
        return resolved.as_posix()


def _in_scope(path: str, scope: list[str]) -> bool:
    return any(
        s == "." or path == s or path.startswith(s.rstrip("/") + "/") for s in scope
    )


def plain_text(fragment: str) -> str:
    """Visible text of sanitised HTML, for search."""
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


def _images(ctx: _Context, doc_path: str, relpaths: Iterable[str]) -> dict[str, str]:
    mapping, added = store_images(ctx.session, Path(doc_path).parent, relpaths, ctx.now)
    ctx.summary.media_added += added
    return mapping


def _apply(row: Any, values: dict[str, Any]) -> bool:
    """Set changed attributes; True when anything changed."""
    changed = False
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
            changed = True
    return changed


def _record(
    ctx: _Context, kind: str, slug: str, title: str, action: str | None
) -> None:
    if action is None:
        ctx.summary.unchanged += 1
    else:
        ctx.summary.changes.append(Change(kind, slug, title, action))


def _upsert(ctx, model, existing, slug, values, kind, title):  # type: ignore[no-untyped-def]
    """Insert or update one row; returns (row, action or None)."""
    if existing is None:
        row = model(
            slug=slug, status=ACTIVE, created_at=ctx.now, updated_at=ctx.now, **values
        )
        ctx.session.add(row)
        return row, "added"
    action = None
    if existing.status == RETIRED:
        existing.status, action = ACTIVE, "restored"
    if _apply(existing, values):
        existing.updated_at = ctx.now
        action = action or "changed"
    return existing, action


def _publish_lessons(ctx: _Context, docs: Sequence[LessonDoc]) -> set[str]:
    rows = {r.slug: r for r in ctx.session.scalars(select(Lesson))}
    for doc in docs:
        mapping = _images(ctx, doc.path, doc.images)
        body = rewrite_sources(doc.body_html, mapping, MEDIA_PREFIX)
        values = {
            "title": doc.title,
            "series": doc.series,
            "tags": list(doc.tags),
            "minutes": doc.minutes,
            "body_html": body,
            "search_text": f"{doc.title} {plain_text(body)}",
            "content_hash": doc.content_hash,
            "publish_at": doc.publish_at,
            "audience": _audience(doc.audience),
            "source_path": source_path(ctx.root, Path(doc.path)),
        }
        old = rows.get(doc.id)
        old_hash = old.content_hash if old else None
        row, action = _upsert(ctx, Lesson, old, doc.id, values, "lesson", doc.title)
        if old is not None and old_hash != doc.content_hash:
            row.revision += 1
        if (
            action in ("added", "changed")
            and doc.publish_at
            and doc.publish_at > ctx.now
        ):
            action = "scheduled"
        _record(ctx, "lesson", doc.id, doc.title, action)
        ctx.step(1)
    return {d.id for d in docs}


def _audience(audience: Any) -> Any:
    return audience if audience == "all" else list(audience)


def _publish_banks(ctx: _Context, docs: Sequence[BankDoc]) -> dict[str, QuestionBank]:
    rows = {r.slug: r for r in ctx.session.scalars(select(QuestionBank))}
    for doc in docs:
        values = {
            "title": doc.title,
            "tags": list(doc.tags),
            "lesson_slug": doc.lesson,
            "source_path": source_path(ctx.root, Path(doc.path)),
        }
        row, action = _upsert(
            ctx, QuestionBank, rows.get(doc.id), doc.id, values, "bank", doc.title
        )
        rows[doc.id] = row
        _record(ctx, "bank", doc.id, doc.title, action)
        ctx.step(1)
    ctx.session.flush()
    return {d.id: rows[d.id] for d in docs}


def _publish_questions(
    ctx: _Context, report: Report, banks: dict[str, QuestionBank]
) -> set[str]:
    stmt = select(Question).options(selectinload(Question.current))
    rows = {r.slug: r for r in ctx.session.scalars(stmt)}
    owners = [(b.id, None, b.questions) for b in report.banks]
    owners += [(None, q.id, q.questions) for q in report.quizzes]
    for bank_slug, quiz_slug, questions in owners:
        bank = banks.get(bank_slug) if bank_slug else None
        for doc in questions:
            _publish_question(ctx, rows, doc, bank, quiz_slug)
            ctx.step(1)
    return {q.id for q in report.questions}


def _publish_question(ctx, rows, doc: QuestionDoc, bank, quiz_slug) -> None:  # type: ignore[no-untyped-def]
    mapping = _images(ctx, doc.path, doc.images)
    shown = _shown(doc, mapping)
    values = {
        "bank_id": bank.id if bank else None,
        "quiz_slug": quiz_slug,
        "type": doc.type,
        "tags": list(doc.tags),
        "difficulty": doc.difficulty,
        "source_lesson": doc.source_lesson,
        "source_path": source_path(ctx.root, Path(doc.path)),
    }
    title = plain_text(shown["stem_html"])[:80]
    row, action = _upsert(
        ctx, Question, rows.get(doc.id), doc.id, values, "question", title
    )
    digest = _revision_hash(doc, shown)
    if row.current is None or row.current.content_hash != digest:
        number = row.current.number + 1 if row.current else 1
        row.current = QuestionRevision(
            question=row,
            number=number,
            content_hash=digest,
            type=doc.type,
            answer=_answer_keys(doc, shown),
            created_at=ctx.now,
            **shown,
        )
        row.updated_at = ctx.now
        action = "revised" if number > 1 and action != "restored" else action or "added"
    _record(ctx, "question", doc.id, title, action)


def _shown(doc: QuestionDoc, mapping: dict[str, str]) -> dict[str, Any]:
    """What a member sees of a question, with images pointing at stored media.

    Options get opaque keys (see :func:`option_keys`); ``label`` keeps the
    author's letter for admins and reports, and is never sent to members.
    """
    htmls = [rewrite_sources(o.html, mapping, MEDIA_PREFIX) for o in doc.options]
    keys = option_keys(doc.id, htmls)
    return {
        "stem_html": rewrite_sources(doc.stem_html, mapping, MEDIA_PREFIX),
        "options": [
            {"key": k, "label": o.key, "html": h}
            for k, o, h in zip(keys, doc.options, htmls, strict=True)
        ],
        "explanation_html": rewrite_sources(
            doc.explanation_html, mapping, MEDIA_PREFIX
        ),
    }


def option_keys(question_id: str, option_htmls: list[str]) -> list[str]:
    """Opaque, stable option keys: ``K`` and 6 digits from a hash of the question
    id and the option's text (always with digits, so ``"K384129"`` is never read
    as the letters of a multiple-choice answer like ``"AC"``).

    Keys are what members send and what the answer key stores. They must not be
    the author's letters: options are shown shuffled, and authors tend to put the
    right answers first, so "A, B" would give the answer away. A key depends only
    on its own option's text, so it survives reordering and edits of the others.
    """
    keys: list[str] = []
    for text in option_htmls:
        digest = hashlib.sha256(f"{question_id}\x1f{text}".encode()).digest()
        number = int.from_bytes(digest[:8], "big")
        key = f"K{number % 900_000 + 100_000}"
        while key in keys:  # two options with the same text: still distinct
            number += 1
            key = f"K{number % 900_000 + 100_000}"
        keys.append(key)
    return keys


def _answer_keys(doc: QuestionDoc, shown: dict[str, Any]) -> Any:
    """The answer key in the options' opaque keys (判断 and 填空 unchanged)."""
    by_label = {o["label"]: o["key"] for o in shown["options"]}
    if doc.type == "single":
        return by_label[doc.answer]
    if doc.type == "multiple":
        return sorted(by_label[k] for k in doc.answer)
    return _json_answer(doc.answer)


#: Bumped when what is stored for a question changes shape (v2: opaque keys),
#: so the next publish gives every question a new revision in the new shape.
_REVISION_SHAPE = "options:v2"


def _revision_hash(doc: QuestionDoc, shown: dict[str, Any]) -> str:
    # The source hash plus the rendered HTML: a replaced image is a new revision too.
    parts = [_REVISION_SHAPE, doc.content_hash, shown["stem_html"]]
    parts.append(shown["explanation_html"])
    parts += [o["html"] for o in shown["options"]]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _json_answer(answer: Any) -> Any:
    if isinstance(answer, tuple):
        return [list(a) if isinstance(a, tuple) else a for a in answer]
    return answer


def quiz_settings(doc: QuizDoc) -> dict[str, Any]:
    """A quiz definition's settings as JSON-safe values (seconds, ISO datetimes)."""
    return QuizSettings.of_doc(doc).model_dump(mode="json")


def _publish_quizzes(ctx: _Context, docs: Sequence[QuizDoc]) -> set[str]:
    rows = {r.slug: r for r in ctx.session.scalars(select(QuizDefinition))}
    for doc in docs:
        settings = quiz_settings(doc)
        digest = hashlib.sha256(
            repr(
                (doc.title, doc.kind, sorted(settings.items()), doc.intro_html)
            ).encode()
        ).hexdigest()
        values = {
            "title": doc.title,
            "kind": doc.kind,
            "settings": settings,
            "intro_html": doc.intro_html,
            "content_hash": digest,
            "source_path": source_path(ctx.root, Path(doc.path)),
        }
        old = rows.get(doc.id)
        old_hash = old.content_hash if old else None
        row, action = _upsert(
            ctx, QuizDefinition, old, doc.id, values, "quiz", doc.title
        )
        if old is not None and old_hash != digest:
            row.revision += 1
        _record(ctx, "quiz", doc.id, doc.title, action)
        ctx.step(1)
    return {d.id for d in docs}


def _retire(ctx: _Context, model: Any, keep: Iterable[str], kind: str) -> None:
    keep = set(keep)
    for row in ctx.session.scalars(select(model).where(model.status == ACTIVE)):
        if row.slug not in keep and _in_scope(row.source_path, ctx.scope):
            row.status = RETIRED
            row.updated_at = ctx.now
            title = getattr(row, "title", row.slug)
            ctx.summary.changes.append(Change(kind, row.slug, title, "retired"))
