"""Derived numbers: a member's day (DailyActivity) and streaks/totals (UserStats).

Both are recomputed from the ledgers, never adjusted by hand, so a rebuild gives
the same numbers as the live updates.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

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
    """Recompute the member's DailyActivity for ``day`` from the ledgers: one
    query reads the row and every ledger figure of the day, one writes it."""
    found = session.execute(_day_figures(user.id, day)).one()
    row = found[0]
    if row is None:
        row = DailyActivity(user_id=user.id, study_day=day, branch_id=user.branch_id)
        session.add(row)
    before = (row.goal_met, row.excused, row.points)
    _fill(row, found[1:], settings)
    session.flush()
    if (row.goal_met, row.excused) != before[:2]:
        refresh_stats(session, user.id)  # the streak may change: once a day
    elif row.points != before[2]:
        _add_points(session, user.id, row.points - (before[2] or 0))
    return row


def _day_figures(user_id: int, day: date) -> Any:
    """SQL: the day's DailyActivity row (or None) and the ledgers' figures."""

    ev = ActivityEvent
    mine = (ev.user_id == user_id) & (ev.study_day == day)

    def events(kind: str, value: Any) -> Any:
        return select(value).where(mine, ev.kind == kind).scalar_subquery()

    return (
        select(
            DailyActivity,
            select(func.coalesce(func.sum(StudyTime.seconds), 0))
            .where(StudyTime.user_id == user_id, StudyTime.study_day == day)
            .scalar_subquery(),
            events("lesson_finished", func.count()),
            events("lesson_opened", func.count()),
            events("daily_quiz", func.count()),
            events("daily_quiz", func.avg(ev.score)),
            events("quiz", func.count()),
            events("quiz", func.avg(ev.score)),
            select(func.coalesce(func.sum(PointsEntry.points), 0))
            .where(PointsEntry.user_id == user_id, PointsEntry.study_day == day)
            .scalar_subquery(),
            exists().where(ExcusedDay.user_id == user_id, ExcusedDay.study_day == day),
            exists().where(MakeUp.user_id == user_id, MakeUp.study_day == day),
        )
        .select_from(User)
        .outerjoin(
            DailyActivity,
            (DailyActivity.user_id == User.id) & (DailyActivity.study_day == day),
        )
        .where(User.id == user_id)
    )


def _fill(row: DailyActivity, figures: Any, settings: ProgressSettings) -> None:
    (seconds, finished, opened, daily_n, daily_avg, quiz_n, quiz_avg, points,
     excused, made_up) = figures  # fmt: skip
    row.study_seconds = int(seconds or 0)
    row.lessons_finished = finished or 0
    row.lessons_opened = opened or 0
    row.daily_quiz_done = bool(daily_n)
    quizzes = [(n, avg) for n, avg in ((daily_n, daily_avg), (quiz_n, quiz_avg)) if n]
    row.quizzes_done = sum(n for n, _ in quizzes)
    row.quiz_score = (
        round(sum(n * avg for n, avg in quizzes) / row.quizzes_done, 1)
        if row.quizzes_done
        else None
    )
    row.points = int(points or 0)
    row.excused = bool(excused)
    row.goal_met = rules.goal_met(
        study_seconds=row.study_seconds,
        goal_minutes=settings.goal_minutes,
        tracking=settings.tracking,
        lessons_opened=row.lessons_opened,
        daily_quiz_done=row.daily_quiz_done,
    )
    row.made_up = row.goal_met and bool(made_up)


def _add_points(session: Session, user_id: int, delta: int) -> None:
    """Points changed and nothing else: move the cached total by the difference
    (one UPDATE; the full recompute when the member has no stats row yet)."""
    done = session.execute(
        update(UserStats)
        .where(UserStats.user_id == user_id)
        .values(total_points=UserStats.total_points + delta)
        .execution_options(synchronize_session=False)
    )
    if not done.rowcount:
        refresh_stats(session, user_id)
        return
    held = session.identity_map.get(identity_key(UserStats, (user_id,)))
    if held is not None:
        session.expire(held, ["total_points"])


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
