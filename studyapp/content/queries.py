"""Read-only queries over published content (what members may see, now)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from studyapp.cache import TTLCache
from studyapp.content import reading
from studyapp.content.models import (
    ACTIVE,
    Lesson,
    MediaFile,
    Question,
    QuestionBank,
    QuizDefinition,
)
from studyapp.org.models import OrgUnit

PAGE_SIZE = 20


def visible(now: datetime) -> ColumnElement[bool]:
    """Published, not retired or withdrawn, and its ``publish_at`` has come."""
    return (Lesson.status == ACTIVE) & (
        Lesson.publish_at.is_(None) | (Lesson.publish_at <= now)
    )


def _audience_ok(session: Session, audience: Any, unit_path: str | None) -> bool:
    """``all``, or the member's unit lies under one of the listed units."""
    if audience == "all" or unit_path is None:
        return True
    paths = session.scalars(select(OrgUnit.path).where(OrgUnit.code.in_(audience)))
    return any(unit_path.startswith(p) for p in paths)


def published_lessons(
    session: Session,
    now: datetime,
    *,
    unit_path: str | None = None,
    series: str | None = None,
    tag: str | None = None,
    q: str | None = None,
    page: int = 1,
) -> tuple[list[Lesson], bool]:
    """Lessons a member of ``unit_path`` may read now, newest first.

    ``q`` matches every whitespace-separated term as a substring of the title or
    text (so Chinese needs no word segmentation; Latin letters ignore case);
    title matches come first.
    ``unit_path`` None means no audience filter (admins). Returns the page and
    whether there is a next one.
    """
    stmt = select(Lesson).where(visible(now))
    if series:
        stmt = stmt.where(Lesson.series == series)
    for term in (q or "").split()[:5]:
        stmt = stmt.where(
            func.lower(Lesson.search_text).contains(term.lower(), autoescape=True)
        )
    order = (
        func.coalesce(Lesson.publish_at, Lesson.created_at).desc(),
        Lesson.id.desc(),
    )
    rows = [
        lesson
        for lesson in session.scalars(stmt.order_by(*order))
        if (not tag or tag in lesson.tags)
        and _audience_ok(session, lesson.audience, unit_path)
    ]
    if q:  # lessons whose title has every term come first (a stable sort)
        terms = [t.lower() for t in q.split()[:5]]
        rows.sort(key=lambda r: not all(t in r.title.lower() for t in terms))
    start = (max(page, 1) - 1) * PAGE_SIZE
    return rows[start : start + PAGE_SIZE], len(rows) > start + PAGE_SIZE


def lesson_facets(session: Session, now: datetime) -> tuple[list[str], list[str]]:
    """Series and tags of the visible lessons, for the filter chips."""
    rows = session.execute(select(Lesson.series, Lesson.tags).where(visible(now)))
    series: set[str] = set()
    tags: set[str] = set()
    for s, t in rows:
        if s:
            series.add(s)
        tags.update(t or [])
    return sorted(series), sorted(tags)


def lesson_by_slug(
    session: Session, slug: str, now: datetime, *, unit_path: str | None = None
) -> Lesson | None:
    """The lesson if a member of ``unit_path`` may read it now, else None."""
    lesson = session.scalar(select(Lesson).where(Lesson.slug == slug, visible(now)))
    if lesson is None or not _audience_ok(session, lesson.audience, unit_path):
        return None
    return lesson


#: Lesson facts a heartbeat needs, cached per process for 30 s: a lesson
#: withdrawn or moved to another audience in another process may earn reading
#: time for up to 30 s more (harmless); this process clears it on every change.
_BEAT_FACTS: TTLCache[tuple[int, datetime | None, tuple[str, ...] | None] | None] = (
    TTLCache(ttl=30)
)


def lesson_minutes(
    session: Session, slug: str, now: datetime, *, unit_path: str | None = None
) -> int | None:
    """A lesson's expected minutes if a member of ``unit_path`` may read it now
    (for crediting study time: no query on most heartbeats, see ``_BEAT_FACTS``)."""
    facts = _BEAT_FACTS.get(slug, lambda: _beat_facts(session, slug))
    if facts is None:
        return None
    minutes, publish_at, paths = facts
    if publish_at is not None and publish_at > now:
        return None
    if paths is None or unit_path is None:
        return minutes
    return minutes if any(unit_path.startswith(p) for p in paths) else None


def _beat_facts(
    session: Session, slug: str
) -> tuple[int, datetime | None, tuple[str, ...] | None] | None:
    row = session.execute(
        select(Lesson.minutes, Lesson.publish_at, Lesson.audience).where(
            Lesson.slug == slug, Lesson.status == ACTIVE
        )
    ).first()
    if row is None:
        return None
    paths = None
    if row.audience != "all":
        codes = list(row.audience)
        paths = tuple(
            session.scalars(select(OrgUnit.path).where(OrgUnit.code.in_(codes)))
        )
    return int(row.minutes), row.publish_at, paths


def forget_lessons() -> None:
    """Drop this process's cached lesson facts (after publishing or withdrawing)."""
    _BEAT_FACTS.clear()
    reading.forget()


def media_file(session: Session, sha256: str) -> MediaFile | None:
    """A stored content image by its hash."""
    return session.get(MediaFile, sha256)


def content_overview(session: Session) -> dict[str, list[Any]]:
    """Every lesson, bank and quiz definition with status, for the admin list."""
    counts = dict(
        session.execute(
            select(Question.bank_id, func.count(Question.id))
            .where(Question.status == ACTIVE)
            .group_by(Question.bank_id)
        ).all()
    )
    banks = list(session.scalars(select(QuestionBank).order_by(QuestionBank.slug)))
    return {
        "lessons": list(session.scalars(select(Lesson).order_by(Lesson.slug))),
        "banks": [(b, counts.get(b.id, 0)) for b in banks],
        "quizzes": list(
            session.scalars(select(QuizDefinition).order_by(QuizDefinition.slug))
        ),
    }
