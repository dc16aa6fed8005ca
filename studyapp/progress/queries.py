"""Read-only views of a member's progress: today, streak, history, books."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from studyapp.auth.models import User
from studyapp.progress.models import (
    BookLog,
    DailyActivity,
    ExcusedDay,
    MakeUp,
    PointsEntry,
    UserStats,
)
from studyapp.progress.payloads import Today


def current_streak(session: Session, stats: UserStats | None, today: date) -> int:
    """The streak as of ``today``: the stored run, if nothing but excused days
    (or today, not yet over) lies between its last day and today."""
    if stats is None or stats.as_of is None:
        return 0
    gap = [
        stats.as_of + timedelta(days=n) for n in range(1, (today - stats.as_of).days)
    ]
    if not gap:
        return stats.current_streak
    excused = set(
        session.scalars(
            select(ExcusedDay.study_day).where(
                ExcusedDay.user_id == stats.user_id,
                ExcusedDay.study_day.in_(gap),
            )
        )
    )
    return stats.current_streak if excused >= set(gap) else 0


def today_summary(
    session: Session,
    user_id: int,
    today: date,
    target_minutes: int,
    tracking: bool = True,
) -> Today:
    """What the home page and ``/api/v1/me`` show about today (two queries)."""
    day = session.scalar(
        select(DailyActivity).where(
            DailyActivity.user_id == user_id, DailyActivity.study_day == today
        )
    )
    stats = session.get(UserStats, user_id)
    return summary_of(session, day, stats, today, target_minutes, tracking)


def summary_of(
    session: Session,
    day: DailyActivity | None,
    stats: UserStats | None,
    today: date,
    target_minutes: int,
    tracking: bool,
) -> Today:
    """Today from its rows (a query only when the streak needs excused days)."""
    return Today(
        minutes=(day.study_seconds // 60) if day else 0,
        target_minutes=target_minutes,
        goal_met=bool(day and day.goal_met),
        points_today=day.points if day else 0,
        total_points=stats.total_points if stats else 0,
        streak=current_streak(session, stats, today),
        best_streak=stats.best_streak if stats else 0,
        lessons_finished=day.lessons_finished if day else 0,
        daily_quiz_done=bool(day and day.daily_quiz_done),
        time_tracking=tracking,
    )


def history(
    session: Session, user_id: int, today: date, days: int = 30
) -> list[DailyActivity | date]:
    """The last ``days`` days, oldest first: the DailyActivity row, or the bare date."""
    start = today - timedelta(days=days - 1)
    rows = {
        r.study_day: r
        for r in session.scalars(
            select(DailyActivity).where(
                DailyActivity.user_id == user_id, DailyActivity.study_day >= start
            )
        )
    }
    return [
        rows.get(start + timedelta(days=n), start + timedelta(days=n))
        for n in range(days)
    ]


def points_history(
    session: Session, user_id: int, limit: int = 30
) -> list[PointsEntry]:
    """The member's latest point entries, newest first."""
    stmt = (
        select(PointsEntry)
        .where(PointsEntry.user_id == user_id)
        .order_by(PointsEntry.at.desc(), PointsEntry.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


def books(session: Session, user_id: int) -> list[BookLog]:
    """The member's books, newest month first."""
    stmt = (
        select(BookLog)
        .where(BookLog.user_id == user_id)
        .order_by(BookLog.month.desc(), BookLog.created_at.desc())
    )
    return list(session.scalars(stmt))


def month_book(session: Session, user_id: int, month: str) -> BookLog | None:
    """This month's book (the latest one logged for the month)."""
    stmt = (
        select(BookLog)
        .where(BookLog.user_id == user_id, BookLog.month == month)
        .order_by(BookLog.created_at.desc())
        .limit(1)
    )
    return session.scalar(stmt)


@dataclass(frozen=True)
class HomeRows:
    """What 首页 shows of a member's progress, read in one query."""

    #: Today's and the two days before's figures (those that exist).
    days: dict[date, DailyActivity]
    stats: UserStats | None
    book: BookLog | None
    #: The 补学 under way, and any on the two days before.
    makeups: list[MakeUp]


def home_rows(session: Session, user_id: int, today: date, month: str) -> HomeRows:
    """Today and the two days before, streaks and points, this month's book and
    the 补学 rows, in one indexed query whatever the history (each table read by
    member; the few rows of each multiply, at most a handful)."""
    recent = [today, today - timedelta(days=1), today - timedelta(days=2)]
    found = session.execute(
        select(UserStats, BookLog, MakeUp, DailyActivity)
        .select_from(User)
        .outerjoin(UserStats, UserStats.user_id == User.id)
        .outerjoin(BookLog, and_(BookLog.user_id == User.id, BookLog.month == month))
        .outerjoin(MakeUp, and_(
            MakeUp.user_id == User.id,
            or_(MakeUp.completed_at.is_(None), MakeUp.study_day.in_(recent[1:])),
        ))
        .outerjoin(DailyActivity, and_(
            DailyActivity.user_id == User.id, DailyActivity.study_day.in_(recent)
        ))
        .where(User.id == user_id)
    ).all()  # fmt: skip
    stats = found[0][0] if found else None
    books = {b.id: b for _s, b, _m, _d in found if b is not None}
    book = max(books.values(), key=lambda b: (b.created_at, b.id), default=None)
    makeups = {m.id: m for _s, _b, m, _d in found if m is not None}
    days = {d.study_day: d for _s, _b, _m, d in found if d is not None}
    return HomeRows(days, stats, book, [makeups[i] for i in sorted(makeups)])


def makeup_of(
    rows: HomeRows, today: date, joined: date
) -> tuple[MakeUp | None, list[date]]:
    """The 补学 under way, or the days that may still be made up (see
    ``makeup_options``), from the rows of ``home_rows``."""
    active = next((m for m in rows.makeups if m.completed_at is None), None)
    if active is not None:
        return active, []
    tried = {m.study_day for m in rows.makeups}
    options = []
    for d in (today - timedelta(days=1), today - timedelta(days=2)):
        row = rows.days.get(d)
        if (
            d >= joined
            and d not in tried
            and not (row and (row.goal_met or row.excused))
        ):
            options.append(d)
    return None, options


def makeup_options(
    session: Session, user_id: int, today: date, joined: date
) -> list[date]:
    """Missed days (yesterday, the day before) that may still be made up (补学).

    A day qualifies when the member had joined by then, its goal was not met,
    it was not excused and it has not been made up before. Whether another
    make-up is under way is the caller's check (see ``active_makeup``).
    """
    candidates = [
        d for d in (today - timedelta(days=1), today - timedelta(days=2)) if d >= joined
    ]
    met = set(
        session.scalars(
            select(DailyActivity.study_day).where(
                DailyActivity.user_id == user_id,
                DailyActivity.study_day.in_(candidates),
                DailyActivity.goal_met | DailyActivity.excused,
            )
        )
    )
    tried = set(
        session.scalars(
            select(MakeUp.study_day).where(
                MakeUp.user_id == user_id, MakeUp.study_day.in_(candidates)
            )
        )
    )
    return [d for d in candidates if d not in met and d not in tried]


def active_makeup(session: Session, user_id: int) -> MakeUp | None:
    """The make-up under way, if any."""
    return session.scalar(
        select(MakeUp).where(MakeUp.user_id == user_id, MakeUp.completed_at.is_(None))
    )


def excused_days(session: Session, user_id: int, limit: int = 20) -> list[ExcusedDay]:
    """The member's excused days, latest first (for the secretary's member page)."""
    stmt = (
        select(ExcusedDay)
        .where(ExcusedDay.user_id == user_id)
        .order_by(ExcusedDay.study_day.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))
