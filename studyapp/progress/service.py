"""Credit study time, award points, record facts; keep the day and stats caches.

Every function takes ``(session, …, now, settings)``, flushes and never commits.
Repeating an action never scores twice: the ledgers have unique keys per
(member, rule, source) and (member, kind, source), and writes go through
``INSERT … ON CONFLICT`` on them (never check-then-insert, which races).
Heartbeats have their own one-statement-per-step path in ``progress.clock``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Integer, String, case, cast, func, literal, select
from sqlalchemy.orm import Session

from studyapp.auth.models import User
from studyapp.db import insert_ignore, insert_stmt
from studyapp.progress import rules
from studyapp.progress.models import (
    ActivityEvent,
    PointsEntry,
    StudyTime,
)
from studyapp.progress.settings import ProgressSettings
from studyapp.progress.stats import refresh_day, refresh_stats, study_seconds
from studyapp.timeutil import study_day


def add_time(
    session: Session,
    user: User,
    *,
    kind: str,
    source: str,
    seconds: int,
    day: date,
    now: datetime,
    settings: ProgressSettings,
    refresh: bool = True,
) -> None:
    """Add credited seconds to the ledger and the day; award the minute points.

    ``refresh=False`` leaves the day's cache to the caller (one refresh for
    several facts recorded together).
    """
    stmt = insert_stmt(session, StudyTime).values(
        user_id=user.id, study_day=day, kind=kind, source=source,
        seconds=seconds, updated_at=now,
    )  # fmt: skip
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=["user_id", "study_day", "kind", "source"],
            set_={"seconds": StudyTime.seconds + seconds, "updated_at": now},
        )
    )
    total = _day_seconds(session, user.id, day)
    block = rules.MINUTES_PER_POINT * 60
    for n in range((total - seconds) // block + 1, total // block + 1):
        award(
            session,
            user,
            rule="study_minutes",
            source=f"{day.isoformat()}:{n}",
            points=settings.rules["study_minutes"].points,
            day=day,
            now=now,
            settings=settings,
            refresh=False,
        )
    if refresh:
        refresh_day(session, user, day, settings)


def record_event(
    session: Session,
    user: User,
    *,
    kind: str,
    source: str,
    day: date,
    now: datetime,
    score: float | None = None,
) -> bool:
    """Record a one-time fact; False when it was already recorded."""
    return insert_ignore(
        session,
        ActivityEvent,
        {"user_id": user.id, "kind": kind, "source": source, "score": score,
         "study_day": day, "at": now},
        ("user_id", "kind", "source"),
    )  # fmt: skip


def award(
    session: Session,
    user: User,
    *,
    rule: str,
    source: str,
    points: int,
    day: date,
    now: datetime,
    settings: ProgressSettings,
    refresh: bool = True,
) -> int:
    """Add points once per (member, rule, source), within the rule's daily cap.

    Returns the points actually added (0 when repeated or capped).
    """
    cap = settings.rules[rule].daily_cap
    if points <= 0 or (cap is not None and cap <= 0):
        return 0
    granted = session.scalar(_award_stmt(session, user.id, rule, source, points,
                                         cap, day, now))  # fmt: skip
    if not granted:
        return 0  # already awarded for this source, or the cap is reached
    if refresh:
        refresh_day(session, user, day, settings)
    return granted


def _award_stmt(  # type: ignore[no-untyped-def]
    session: Session, user_id, rule, source, points, cap, day, now
) -> Any:
    """One INSERT … SELECT: the points left under today's cap (``rules.capped``,
    in SQL), inserted once per (member, rule, source); RETURNING what was added."""
    c = PointsEntry.__table__.c
    if cap is None:
        granted: Any = literal(points, Integer)
    else:
        earned = (
            select(func.coalesce(func.sum(PointsEntry.points), 0))
            .where(PointsEntry.user_id == user_id, PointsEntry.rule == rule,
                   PointsEntry.study_day == day)
            .scalar_subquery()
        )  # fmt: skip
        room = cast(literal(cap, Integer) - earned, Integer)
        granted = case((room < points, room), else_=literal(points, Integer))
    values = select(
        cast(literal(user_id, Integer), Integer),
        cast(literal(rule, String), String),
        cast(literal(source, String), String),
        granted,
        literal(day, c.study_day.type),  # no CAST: SQLite would make it a number
        literal(now, c.at.type),
    ).where(granted > 0)
    return (
        insert_stmt(session, PointsEntry)
        .from_select(["user_id", "rule", "source", "points", "study_day", "at"], values)
        .on_conflict_do_nothing(index_elements=["user_id", "rule", "source"])
        .returning(PointsEntry.points)
    )


def lesson_opened(
    session: Session,
    user: User,
    slug: str,
    *,
    now: datetime,
    settings: ProgressSettings,
) -> None:
    """Note that a member opened a lesson today (counts when time tracking is off)."""
    day = study_day(now)
    if record_event(
        session, user, kind="lesson_opened", source=f"{day}:{slug}", day=day, now=now
    ):
        refresh_day(session, user, day, settings)


def record_quiz(
    session: Session,
    user: User,
    *,
    daily: bool,
    source: str,
    correct: int,
    score: float,
    points: int,
    now: datetime,
    settings: ProgressSettings,
    refresh: bool = True,
) -> int:
    """Record a graded quiz attempt once; returns the points it earned.

    Daily quiz: +1 per correct answer (capped); other quizzes: ``points × score``
    (score in percent), rounded.
    """
    day = study_day(now)
    kind = "daily_quiz" if daily else "quiz"
    if not record_event(
        session, user, kind=kind, source=source, day=day, now=now, score=score
    ):
        return 0
    if daily:
        earned = award(
            session,
            user,
            rule="daily_quiz",
            source=source,
            points=correct * settings.rules["daily_quiz"].points,
            day=day,
            now=now,
            settings=settings,
            refresh=False,
        )
    else:
        earned = award(
            session,
            user,
            rule="quiz",
            source=source,
            points=round(points * score / 100),
            day=day,
            now=now,
            settings=settings,
            refresh=False,
        )
    if refresh:
        refresh_day(session, user, day, settings)
    return earned


def record_review(
    session: Session,
    user: User,
    *,
    source: str,
    right: bool,
    now: datetime,
    settings: ProgressSettings,
) -> int:
    """A 错题本 review answered; +1 when right (capped). Returns points earned."""
    day = study_day(now)
    record_event(session, user, kind="review", source=source, day=day, now=now)
    if not right:
        refresh_day(session, user, day, settings)
        return 0
    return award(
        session,
        user,
        rule="review_right",
        source=source,
        points=settings.rules["review_right"].points,
        day=day,
        now=now,
        settings=settings,
    )


def _day_seconds(session: Session, user_id: int, day: date) -> int:
    return study_seconds(session, user_id, day=day)


def user_refresh(
    session: Session, user: User, day: date, settings: ProgressSettings
) -> None:
    """Recompute one day and the member's stats (after an excuse or a make-up)."""
    refresh_day(session, user, day, settings)
    refresh_stats(session, user.id)
