"""Scheduled lessons going live: record it, and tell their audience. Flush only.

Whether a member sees a lesson is decided at request time (``publish_at <= now``,
:func:`studyapp.content.queries.visible`); the job
(``content.actions.record_published``) only writes down that it happened: one
AuditEvent ``content.visible`` per lesson, and optionally an in-app
notification 新课文上线 to the lesson's audience.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from studyapp.audit.models import AuditEvent, record
from studyapp.auth.models import User
from studyapp.content.models import Lesson
from studyapp.content.queries import visible
from studyapp.notify.bulk import notify_many
from studyapp.org.models import OrgUnit

ACTION = "content.visible"
NEW_LESSON = "new_lesson"
#: Lessons that went live longer ago than this are not announced any more (a
#: first deployment does not announce the whole back catalogue).
LOOKBACK = timedelta(days=2)


def announce_due(session: Session, now: datetime, *, notify: bool) -> dict[str, Any]:
    """Announce each lesson whose scheduled ``publish_at`` has come, once (with
    ``notify``, to its audience too).

    Scheduled means ``publish_at`` later than the lesson's first import (a lesson
    imported with a past or empty ``publish_at`` was visible at once). Idempotent
    per lesson: the AuditEvent ``content.visible`` with target ``lesson:SLUG``
    is checked first, and notifications carry the key ``lesson:ID:USER``.
    ``now`` is the occurrence time (UTC).
    """
    announced, notified = [], 0
    for lesson in _due(session, now):
        record(
            session,
            action=ACTION,
            at=now,
            target=_target(lesson),
            detail={"title": lesson.title, "publish_at": lesson.publish_at.isoformat()},
        )
        announced.append(lesson.slug)
        if notify:
            notified += _notify_audience(session, lesson, now)
    session.flush()
    return {"announced": announced, "notified": notified}


def _target(lesson: Lesson) -> str:
    return f"lesson:{lesson.slug}"


def _due(session: Session, now: datetime) -> list[Lesson]:
    """Scheduled lessons live since ``now - LOOKBACK`` and not yet announced."""
    lessons = list(
        session.scalars(
            select(Lesson)
            .where(
                visible(now),
                Lesson.publish_at > now - LOOKBACK,
                Lesson.publish_at > Lesson.created_at,
            )
            .order_by(Lesson.publish_at, Lesson.id)
        )
    )
    if not lessons:
        return []
    done = set(
        session.scalars(
            select(AuditEvent.target).where(
                AuditEvent.action == ACTION,
                AuditEvent.target.in_([_target(x) for x in lessons]),
            )
        )
    )
    return [x for x in lessons if _target(x) not in done]


def _notify_audience(session: Session, lesson: Lesson, now: datetime) -> int:
    stmt = select(User.id).where(User.is_active.is_(True))
    if lesson.audience != "all":
        paths = list(
            session.scalars(
                select(OrgUnit.path).where(OrgUnit.code.in_(lesson.audience or []))
            )
        )
        if not paths:
            return 0
        stmt = stmt.join(OrgUnit, OrgUnit.id == User.branch_id).where(
            or_(*(OrgUnit.path.startswith(p, autoescape=True) for p in paths))
        )
    return notify_many(
        session,
        session.scalars(stmt),
        kind=NEW_LESSON,
        title="新课文上线",
        body=f"《{lesson.title}》已经上线，约 {lesson.minutes} 分钟，有空读一读。",
        now=now,
        key=lambda uid: f"lesson:{lesson.id}:{uid}",
    )
