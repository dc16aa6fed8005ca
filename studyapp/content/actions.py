"""What a member does with lessons: browse, search and read them; and the job
that announces scheduled lessons.

Each action is ``(session, actor, [input,] now) -> result``; a lesson outside
the actor's audience, withdrawn, or not yet published is NotFound. The job is
``(session, now) -> summary``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from studyapp.auth.actor import Actor
from studyapp.content import queries, scheduled
from studyapp.content.payloads import LessonBrief, LessonOut, LessonPage, LessonQuery
from studyapp.deployment import deployment
from studyapp.errors import NotFound


def lessons(
    session: Session, actor: Actor, query: LessonQuery, now: datetime
) -> LessonPage:
    """Lessons I may read now, newest first, filtered and paged."""
    q = (query.q or "").strip() or None
    rows, has_more = queries.published_lessons(
        session,
        now,
        unit_path=actor.branch.path,
        series=query.series or None,
        tag=query.tag or None,
        q=q,
        page=query.page,
    )
    series, tags = queries.lesson_facets(session, now)
    return LessonPage(
        lessons=[LessonBrief(**_brief(r)) for r in rows],
        page=query.page,
        has_more=has_more,
        query=query.model_copy(update={"q": q}),
        all_series=series,
        all_tags=tags,
    )


def lesson(session: Session, actor: Actor, slug: str, now: datetime) -> LessonOut:
    """One lesson I may read now, with its HTML."""
    found = queries.lesson_by_slug(session, slug, now, unit_path=actor.branch.path)
    if found is None:
        raise NotFound("没有这篇课文")
    return LessonOut(**_brief(found), html=found.body_html)


def _brief(row: Any) -> dict[str, Any]:
    return {
        "id": row.slug,
        "title": row.title,
        "series": row.series,
        "tags": list(row.tags or []),
        "minutes": row.minutes,
        "revision": row.revision,
        "published_at": row.publish_at or row.created_at,
    }


def record_published(session: Session, now: datetime) -> dict[str, Any]:
    """Job: record each scheduled lesson that went live, once, and (when the
    deployment says so) tell its audience 新课文上线. ``now`` is the occurrence
    time (UTC)."""
    notify = deployment(session).notify_new_lessons
    return scheduled.announce_due(session, now, notify=notify)
