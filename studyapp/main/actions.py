"""The member's shell pages that belong to no single domain: 首页 and 我是谁.

They compose the domains' own actions; what appears on 首页 is decided here,
in one place, rather than by cards other packages register.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from studyapp.auth.actor import Actor
from studyapp.auth.roles import Role
from studyapp.main.payloads import (
    GoalOut,
    Home,
    HomeQuizzes,
    Me,
    PointsOut,
    RoleOn,
    StreakOut,
    UnitBrief,
    Upcoming,
)
from studyapp.progress import actions as progress
from studyapp.quiz import catalog, review
from studyapp.quiz import queries as quiz_queries
from studyapp.quiz.actions import card_of
from studyapp.timeutil import study_day


def me(session: Session, actor: Actor, now: datetime) -> Me:
    """Who I am, my roles, and today's goal, streak and points."""
    t = progress.today(session, actor, now)
    roles = [
        RoleOn(role=g.role, unit=UnitBrief(code=g.unit.code, name=g.unit.name))
        for g in actor.grants
    ] or [RoleOn(role=Role.MEMBER.value, unit=_brief(actor))]
    return Me(
        username=actor.username,
        name=actor.name,
        branch=_brief(actor),
        exempt=actor.is_exempt,
        exempt_reason=actor.exempt_reason,
        roles=roles,
        streak=StreakOut(current=t.streak, best=t.best_streak),
        points=PointsOut(today=t.points_today, total=t.total_points),
        goal=GoalOut(
            minutes_today=t.minutes,
            target_minutes=t.target_minutes,
            met=t.goal_met,
            time_tracking=t.time_tracking,
        ),
        must_change_password=actor.must_change_password,
    )


def _brief(actor: Actor) -> UnitBrief:
    return UnitBrief(code=actor.branch.code, name=actor.branch.name)


def home(session: Session, actor: Actor, now: datetime) -> Home:
    """首页: today, 补学, the quizzes to do, and this month's book."""
    today, makeup, book = progress.home(session, actor, now)
    return Home(
        day=study_day(now),
        today=today,
        makeup=makeup,
        quizzes=_quizzes(session, actor, now),
        book=book,
    )


def _quizzes(session: Session, actor: Actor, now: datetime) -> HomeQuizzes:
    path = actor.branch.path
    definitions = catalog.definitions_for(session, path)  # once for both
    cards = [
        card_of(c)
        for c in quiz_queries.quiz_cards(session, actor.id, path, now, definitions)
    ]
    upcoming = quiz_queries.next_quiz(session, path, now, definitions)
    return HomeQuizzes(
        daily=next((c for c in cards if c.kind == "daily"), None),
        others=[c for c in cards if c.kind != "daily" and not c.done],
        review_due=review.due_count(session, actor.id, now),
        upcoming=Upcoming(
            id=upcoming[0].slug, title=upcoming[0].title, opens_at=upcoming[1]
        )
        if upcoming
        else None,
    )
