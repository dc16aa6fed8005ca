"""Typed inputs and results of the progress actions (the API serialises these)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field


class Model(BaseModel):
    """Frozen, and readable from ORM rows and dataclasses by attribute."""

    model_config = ConfigDict(frozen=True, from_attributes=True)


class HeartbeatIn(Model):
    """What is being studied: exactly one of lesson_id, attempt_id, review."""

    lesson_id: str | None = Field(None, max_length=100)
    attempt_id: int | None = Field(None, ge=1, le=2**31 - 1)
    review: bool = False
    #: A random id of the page (tab) sending beats; defaults to the API token.
    page_id: str | None = Field(None, min_length=1, max_length=64)


class HeartbeatOut(Model):
    credited_seconds: int
    minutes_today: int
    goal_met: bool


class Today(Model):
    """Today's goal, streak and points (the home page's ring and counters)."""

    minutes: int
    target_minutes: int
    goal_met: bool
    points_today: int
    total_points: int
    streak: int
    best_streak: int
    lessons_finished: int
    daily_quiz_done: bool
    #: False: study time is not tracked; the goal is a lesson plus the daily quiz.
    time_tracking: bool = True

    @property
    def percent(self) -> int:
        """Share of the goal reached, 0–100 (for the progress ring)."""
        if self.goal_met:
            return 100
        return min(100, self.minutes * 100 // max(self.target_minutes, 1))


class MakeUpIn(Model):
    day: date


class MakeUpOut(Model):
    #: The missed day study time now goes to (补学).
    day: date
    started_at: datetime


class MakeUpState(Model):
    """补学: the make-up under way, or the days that may still be made up."""

    active: MakeUpOut | None
    options: list[date]


class BookIn(Model):
    title: str = Field(min_length=1, max_length=200)
    author: str = Field("", max_length=100)


class BookProgressIn(Model):
    progress_percent: int = Field(ge=0, le=100)
    note: str = Field("", max_length=2000)


class Book(Model):
    id: int
    month: str
    title: str
    author: str
    progress_percent: int
    note: str
    finished_at: datetime | None


class BookSaved(Model):
    book: Book
    #: Points this change earned (a book finished: +5, once).
    points_earned: int


class Books(Model):
    #: This month, ``YYYY-MM`` (Asia/Shanghai).
    month: str
    books: list[Book]


class DayFigures(Model):
    day: date
    minutes: int
    goal_met: bool
    excused: bool
    points: int


class PointsLine(Model):
    rule: str
    source: str
    points: int
    day: date
    at: datetime


class History(Model):
    """我的: the last 30 days, oldest first, and the latest point entries."""

    today: Today
    days: list[DayFigures]
    goal_days: int
    points: list[PointsLine]
