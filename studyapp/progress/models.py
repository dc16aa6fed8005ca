"""Ledgers (study time, points, activity events) and the caches derived from them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from studyapp.db import Base, intpk


class StudyTime(Base):
    """Credited seconds per member, study day and source (ledger, summed per source).

    ``kind`` is ``lesson`` (source = lesson slug), ``quiz`` (attempt id) or
    ``review``. ``study_day`` is the Asia/Shanghai day the time counts for (a
    补学 make-up day, or the day it was earned).
    """

    __tablename__ = "study_time"
    __table_args__ = (UniqueConstraint("user_id", "study_day", "kind", "source"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    study_day: Mapped[date]
    kind: Mapped[str] = mapped_column(String(10))
    source: Mapped[str] = mapped_column(String(100))
    seconds: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime]


class ReadingState(Base):
    """A member's study clock: the one page being studied now (two tabs, or a
    quiz beside a lesson, never count twice). See ``progress.clock``."""

    __tablename__ = "reading_state"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    lesson_slug: Mapped[str] = mapped_column(String(100))
    #: Random id of the browser page sending heartbeats.
    page_id: Mapped[str] = mapped_column(String(64))
    last_beat_at: Mapped[datetime]
    #: The beat before the last one (kept by the same UPDATE that moves the
    #: clock, so one statement both locks the row and reads the previous beat).
    prev_page_id: Mapped[str | None] = mapped_column(String(64))
    prev_beat_at: Mapped[datetime | None]


class PointsEntry(Base):
    """Append-only points ledger: one row per (member, rule, source)."""

    __tablename__ = "points_entry"
    __table_args__ = (
        UniqueConstraint("user_id", "rule", "source"),
        Index("ix_points_entry_user_day", "user_id", "study_day"),
    )

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    rule: Mapped[str] = mapped_column(String(30))
    source: Mapped[str] = mapped_column(String(100))
    points: Mapped[int]
    study_day: Mapped[date]
    at: Mapped[datetime]


class ActivityEvent(Base):
    """A fact that happened once: a lesson opened or finished, a quiz submitted."""

    __tablename__ = "activity_event"
    __table_args__ = (
        UniqueConstraint("user_id", "kind", "source"),
        Index("ix_activity_event_user_day", "user_id", "study_day"),
    )

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    #: lesson_opened | lesson_finished | daily_quiz | quiz | review
    kind: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(100))
    #: Score in percent for quizzes; None otherwise.
    score: Mapped[float | None]
    study_day: Mapped[date]
    at: Mapped[datetime]


#: The columns of ``ix_daily_activity_day_figures``, in index order.
DAY_FIGURES = ("study_day", "branch_id", "user_id", "goal_met", "excused", "points",
               "quiz_score", "quizzes_done")  # fmt: skip


class DailyActivity(Base):
    """One member's day, derived from the ledgers (rebuildable; kept in step)."""

    __tablename__ = "daily_activity"
    __table_args__ = (
        UniqueConstraint("user_id", "study_day"),
        Index("ix_daily_activity_branch_day", "branch_id", "study_day"),
        #: A day's figures per branch read from the index alone (a leaderboard
        #: on a period's first day, the organisation's today): see
        #: progress.participation.live_counts.
        Index("ix_daily_activity_day_figures", *DAY_FIGURES),
    )

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    study_day: Mapped[date]
    #: The member's branch on that day (reports stay right after a move).
    branch_id: Mapped[int] = mapped_column(
        ForeignKey("org_unit.id", ondelete="CASCADE")
    )
    study_seconds: Mapped[int] = mapped_column(default=0)
    lessons_finished: Mapped[int] = mapped_column(default=0)
    lessons_opened: Mapped[int] = mapped_column(default=0)
    daily_quiz_done: Mapped[bool] = mapped_column(default=False)
    quizzes_done: Mapped[int] = mapped_column(default=0)
    #: Average quiz score that day (percent), None without quizzes.
    quiz_score: Mapped[float | None]
    points: Mapped[int] = mapped_column(default=0)
    goal_met: Mapped[bool] = mapped_column(default=False)
    excused: Mapped[bool] = mapped_column(default=False)
    made_up: Mapped[bool] = mapped_column(default=False)


class UserStats(Base):
    """Cached streaks and point total of a member (rebuildable)."""

    __tablename__ = "user_stats"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    current_streak: Mapped[int] = mapped_column(default=0)
    best_streak: Mapped[int] = mapped_column(default=0)
    total_points: Mapped[int] = mapped_column(default=0)
    #: The last day the streak was computed for (Asia/Shanghai).
    as_of: Mapped[date | None]


class ExcusedDay(Base):
    """A day a secretary excused for a member (sick, travel): it keeps the streak."""

    __tablename__ = "excused_day"
    __table_args__ = (UniqueConstraint("user_id", "study_day"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    study_day: Mapped[date]
    reason: Mapped[str] = mapped_column(String(200))
    by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL")
    )
    at: Mapped[datetime]


class MakeUp(Base):
    """补学: study time goes to a missed day until that day's goal is met."""

    __tablename__ = "make_up"
    __table_args__ = (UniqueConstraint("user_id", "study_day"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    #: The missed day being made up.
    study_day: Mapped[date]
    started_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]


class BookLog(Base):
    """月读一本书: a book a member reads, with progress and a short note."""

    __tablename__ = "book_log"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    #: ``YYYY-MM`` the book is logged for.
    month: Mapped[str] = mapped_column(String(7))
    title: Mapped[str] = mapped_column(String(200))
    author: Mapped[str] = mapped_column(String(100), default="")
    progress_percent: Mapped[int] = mapped_column(default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    finished_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
