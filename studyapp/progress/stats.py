"""Derived numbers: a member's day (DailyActivity) and streaks/totals (UserStats).

Both are recomputed from the ledgers, never adjusted by hand, so a rebuild gives
the same numbers as the live updates.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from studyapp.auth.models import User
from studyapp.progress import rules, streaks
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


def study_seconds(
    session: Session,
    user_id: int,
    *,
    day: date | None = None,
    kind: str | None = None,
    source: str | None = None,
) -> int:
    """Credited seconds in the StudyTime ledger, optionally for one day/kind/source."""
    stmt = select(func.coalesce(func.sum(StudyTime.seconds), 0)).where(
        StudyTime.user_id == user_id
    )
    if day is not None:
        stmt = stmt.where(StudyTime.study_day == day)
    if kind is not None:
        stmt = stmt.where(StudyTime.kind == kind)
    if source is not None:
        stmt = stmt.where(StudyTime.source == source)
    return session.scalar(stmt)


def refresh_day(
    session: Session, user: User, day: date, settings: ProgressSettings
) -> DailyActivity:
    """Recompute the member's DailyActivity for ``day`` from the ledgers."""
    row = session.scalar(
        select(DailyActivity).where(
            DailyActivity.user_id == user.id, DailyActivity.study_day == day
        )
    )
    if row is None:
        row = DailyActivity(user_id=user.id, study_day=day, branch_id=user.branch_id)
        session.add(row)
    before = (row.goal_met, row.excused, row.points)
    _fill(session, row, user.id, day, settings)
    session.flush()
    if (row.goal_met, row.excused, row.points) != before:
        refresh_stats(session, user.id)
    return row


def _fill(
    session: Session,
    row: DailyActivity,
    user_id: int,
    day: date,
    settings: ProgressSettings,
) -> None:
    row.study_seconds = study_seconds(session, user_id, day=day)
    events = {
        kind: (n, avg)
        for kind, n, avg in session.execute(
            select(ActivityEvent.kind, func.count(), func.avg(ActivityEvent.score))
            .where(ActivityEvent.user_id == user_id, ActivityEvent.study_day == day)
            .group_by(ActivityEvent.kind)
        )
    }
    row.lessons_finished = events.get("lesson_finished", (0, None))[0]
    row.lessons_opened = events.get("lesson_opened", (0, None))[0]
    row.daily_quiz_done = "daily_quiz" in events
    quizzes = [events[k] for k in ("daily_quiz", "quiz") if k in events]
    row.quizzes_done = sum(n for n, _ in quizzes)
    row.quiz_score = (
        round(sum(n * avg for n, avg in quizzes) / row.quizzes_done, 1)
        if row.quizzes_done
        else None
    )
    row.points = session.scalar(
        select(func.coalesce(func.sum(PointsEntry.points), 0)).where(
            PointsEntry.user_id == user_id, PointsEntry.study_day == day
        )
    )
    row.excused = _exists(session, ExcusedDay, user_id, day)
    row.goal_met = rules.goal_met(
        study_seconds=row.study_seconds,
        goal_minutes=settings.goal_minutes,
        tracking=settings.tracking,
        lessons_opened=row.lessons_opened,
        daily_quiz_done=row.daily_quiz_done,
    )
    row.made_up = row.goal_met and _exists(session, MakeUp, user_id, day)


def _exists(session: Session, model: type, user_id: int, day: date) -> bool:
    stmt = select(model.id).where(model.user_id == user_id, model.study_day == day)  # type: ignore[attr-defined]
    return session.scalar(stmt) is not None


def refresh_stats(session: Session, user_id: int) -> UserStats:
    """Recompute streaks (as of the last goal-met day) and total points."""
    met = set(
        session.scalars(
            select(DailyActivity.study_day).where(
                DailyActivity.user_id == user_id, DailyActivity.goal_met
            )
        )
    )
    excused = set(
        session.scalars(
            select(ExcusedDay.study_day).where(ExcusedDay.user_id == user_id)
        )
    )
    stats = session.get(UserStats, user_id) or UserStats(user_id=user_id)
    session.add(stats)
    last = max(met) if met else None
    stats.as_of = last
    stats.current_streak = streaks.current_streak(met, excused, last) if last else 0
    stats.best_streak = streaks.best_streak(met, excused)
    stats.total_points = session.scalar(
        select(func.coalesce(func.sum(PointsEntry.points), 0)).where(
            PointsEntry.user_id == user_id
        )
    )
    session.flush()
    return stats
