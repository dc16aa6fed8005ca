"""Typed results of the member's shell pages: 首页 and who I am."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict

from studyapp.content.payloads import NextLesson
from studyapp.org.payloads import UnitBrief
from studyapp.progress.payloads import Book, MakeUpState, Today
from studyapp.quiz.payloads import QuizCard


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)


class RoleOn(Model):
    role: str
    unit: UnitBrief


class StreakOut(Model):
    current: int
    best: int


class PointsOut(Model):
    today: int
    total: int


class GoalOut(Model):
    minutes_today: int
    target_minutes: int
    met: bool
    #: False: study time is not tracked; the goal is a lesson plus the daily quiz.
    time_tracking: bool


class Me(Model):
    """Who I am, and today's goal, streak and points (SPEC §7 ``GET /me``)."""

    username: str
    name: str
    branch: UnitBrief
    exempt: bool
    exempt_reason: str | None
    roles: list[RoleOn]
    streak: StreakOut
    points: PointsOut
    goal: GoalOut
    must_change_password: bool


class Upcoming(Model):
    id: str
    title: str
    opens_at: datetime


class HomeQuizzes(Model):
    daily: QuizCard | None
    #: Other quizzes open now and not yet done.
    others: list[QuizCard]
    review_due: int
    upcoming: Upcoming | None


class Home(Model):
    """首页: today's ring, 补学, the quizzes to do, this month's book."""

    day: date
    today: Today
    makeup: MakeUpState
    quizzes: HomeQuizzes
    book: Book | None
    #: The one primary action: continue this lesson or read it next (None:
    #: every lesson read, or none published; the page offers the list).
    next_lesson: NextLesson | None = None
