"""Read-only queries over published content (what members may see, now)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import String, and_, case, cast, func, or_, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from studyapp import cache
from studyapp.cache import TTLCache
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
    codes = unit_codes(session, unit_path)
    return any(code in codes for code in audience)


#: path → the codes of the unit and every unit above it. Unit codes are stable
#: (SPEC §1) and a path is made of ids, so this is kept 5 minutes per process.
_LINEAGE: TTLCache[frozenset[str]] = TTLCache(ttl=300, group="org")


def unit_codes(session: Session, unit_path: str) -> frozenset[str]:
    """Codes of the unit at ``unit_path`` and of its ancestors (cached)."""

    def load() -> frozenset[str]:
        ids = [int(part) for part in unit_path.strip("/").split("/") if part]
        stmt = select(OrgUnit.code).where(OrgUnit.id.in_(ids))
        return frozenset(session.scalars(stmt))

    return _LINEAGE.get(unit_path, load)


def _json_has(column: Any, value: str) -> ColumnElement[bool]:
    """The JSON list in ``column`` holds the string ``value`` (the stored text is
    SQLAlchemy's ``json.dumps``, so an element is exactly ``"value"``)."""
    return cast(column, String).contains(json.dumps(value), autoescape=True)


def _for_unit(session: Session, unit_path: str | None) -> ColumnElement[bool]:
    if unit_path is None:
        return true()
    codes = sorted(unit_codes(session, unit_path))
    return or_(
        cast(Lesson.audience, String) == json.dumps("all"),
        *(_json_has(Lesson.audience, code) for code in codes),
    )


def published_lessons(
    session: Session,
    now: datetime,
    *,
    unit_path: str | None = None,
    series: str | None = None,
    tag: str | None = None,
    q: str | None = None,
    page: int = 1,
) -> tuple[list[Any], bool]:
    """Lessons a member of ``unit_path`` may read now, newest first.

    ``q`` matches every whitespace-separated term as a substring of the title or
    text (so Chinese needs no word segmentation; Latin letters ignore case);
    title matches come first.
    ``unit_path`` None means no audience filter (admins). Returns the page and
    whether there is a next one. Filtered and paged in SQL: one query reading
    one page, whatever the number of lessons.
    """
    columns = (Lesson.slug, Lesson.title, Lesson.series, Lesson.tags,
               Lesson.minutes, Lesson.revision, Lesson.publish_at,
               Lesson.created_at)  # fmt: skip
    stmt = select(*columns).where(visible(now), _for_unit(session, unit_path))
    if series:
        stmt = stmt.where(Lesson.series == series)
    if tag:
        stmt = stmt.where(_json_has(Lesson.tags, tag))
    terms = [t.lower() for t in (q or "").split()[:5]]
    for term in terms:
        stmt = stmt.where(
            func.lower(Lesson.search_text).contains(term, autoescape=True)
        )
    order: list[Any] = []
    if terms:  # lessons whose title has every term come first
        in_title = and_(
            *(func.lower(Lesson.title).contains(t, autoescape=True) for t in terms)
        )
        order.append(case((in_title, 0), else_=1))
    order += [
        func.coalesce(Lesson.publish_at, Lesson.created_at).desc(),
        Lesson.id.desc(),
    ]
    start = (max(page, 1) - 1) * PAGE_SIZE
    rows = session.execute(
        stmt.order_by(*order).offset(start).limit(PAGE_SIZE + 1)
    ).all()
    return list(rows[:PAGE_SIZE]), len(rows) > PAGE_SIZE


#: The filter chips: every series and tag of the visible lessons, kept 30 s per
#: process (cleared here at once on a publish; group ``content``).
_FACETS: TTLCache[tuple[list[str], list[str]]] = TTLCache(ttl=30, group="content")


def lesson_facets(session: Session, now: datetime) -> tuple[list[str], list[str]]:
    """Series and tags of the visible lessons, for the filter chips."""
    return _FACETS.get("facets", lambda: _facets(session, now))


def _facets(session: Session, now: datetime) -> tuple[list[str], list[str]]:
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
    TTLCache(ttl=30, group="content")
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
    """Drop this process's cached content facts (after publishing or withdrawing):
    every cache of the ``content`` group, quiz definitions included."""
    cache.forget("content")


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
