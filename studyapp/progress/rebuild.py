"""Rebuild the derived tables (DailyActivity, UserStats) from the ledgers."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, select, union
from sqlalchemy.orm import Session

from studyapp.auth.models import User
from studyapp.progress.models import (
    ActivityEvent,
    DailyActivity,
    ExcusedDay,
    MakeUp,
    PointsEntry,
    StudyTime,
    UserStats,
)
from studyapp.progress.settings import ProgressSettings
from studyapp.progress.stats import refresh_day, refresh_stats


def ledger_days(session: Session, user_id: int) -> list[date]:
    """Every day on which a ledger holds something for the member."""
    parts = [
        select(model.study_day).where(model.user_id == user_id)  # type: ignore[attr-defined]
        for model in (StudyTime, ActivityEvent, PointsEntry, ExcusedDay, MakeUp)
    ]
    return sorted(session.scalars(select(union(*parts).subquery().c[0])))


def snapshot(session: Session, user_id: int) -> tuple[object, ...]:
    """The member's derived numbers, for comparing before and after a rebuild."""
    days = session.execute(
        select(
            DailyActivity.study_day,
            DailyActivity.study_seconds,
            DailyActivity.points,
            DailyActivity.goal_met,
            DailyActivity.excused,
            DailyActivity.quizzes_done,
            DailyActivity.lessons_finished,
        )
        .where(DailyActivity.user_id == user_id)
        .order_by(DailyActivity.study_day)
    ).all()
    stats = session.get(UserStats, user_id)
    head = (
        (stats.current_streak, stats.best_streak, stats.total_points, stats.as_of)
        if stats
        else (0, 0, 0, None)  # no stats row yet reads the same as empty stats
    )
    return (head, tuple(tuple(d) for d in days))


def rebuild_user(session: Session, user: User, settings: ProgressSettings) -> bool:
    """Recompute a member's days and stats; True when anything had drifted.

    Each day keeps the branch it was recorded under; days no ledger mentions
    any more are removed.
    """
    before = snapshot(session, user.id)
    days = ledger_days(session, user.id)
    session.execute(
        delete(DailyActivity).where(
            DailyActivity.user_id == user.id, DailyActivity.study_day.not_in(days)
        )
    )
    for day in days:
        refresh_day(session, user, day, settings)
    refresh_stats(session, user.id)
    session.flush()
    return snapshot(session, user.id) != before
