"""Reports actions: the branch leaderboard and a unit's participation; and (for
now) excusing a member's day.

(Exemptions live in ``org.service.set_exempt``; nudges in ``notify.service``.)
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from studyapp.audit.models import record
from studyapp.auth.actor import Actor
from studyapp.auth.models import User
from studyapp.auth.roles import Role
from studyapp.errors import Forbidden, ValidationFailed
from studyapp.progress.days import cancel_excuse, excuse_day
from studyapp.progress.leaderboard import branch_standings
from studyapp.progress.models import ExcusedDay
from studyapp.progress.settings import ProgressSettings
from studyapp.progress.settlement import reopen
from studyapp.reports import access
from studyapp.reports.payloads import (
    BranchRef,
    BranchStanding,
    LeaderboardQuery,
    ParticipationQuery,
    ParticipationRow,
)
from studyapp.reports.queries import day_status
from studyapp.timeutil import study_day


def excuse(
    session: Session,
    member: User,
    day: date,
    *,
    reason: str,
    by: User,
    now: datetime,
    settings: ProgressSettings,
) -> ExcusedDay:
    """Excuse a member's day (it keeps the streak and leaves that day's rate
    denominator), reopen the branch's settled figures from that day, and audit.

    The caller checked that ``by`` may manage the member's branch. Raises
    ValidationFailed for a future day or an empty reason.
    """
    row = excuse_day(
        session, member, day, reason=reason, by=by, now=now, settings=settings
    )
    reopen(session, member.branch_id, day)
    record(
        session,
        action="member.excuse",
        at=now,
        actor_id=by.id,
        target=f"user:{member.username}",
        detail={"day": day.isoformat(), "reason": row.reason},
    )
    return row


def withdraw_excuse(
    session: Session,
    member: User,
    day: date,
    *,
    by: User,
    now: datetime,
    settings: ProgressSettings,
) -> None:
    """Withdraw an excuse given by mistake: the day counts again, the branch's
    settled figures reopen from that day, and it is audited. The caller
    checked scope; a day that was not excused changes nothing."""
    cancel_excuse(session, member, day, settings=settings)
    reopen(session, member.branch_id, day)
    record(
        session,
        action="member.excuse_withdrawn",
        at=now,
        actor_id=by.id,
        target=f"user:{member.username}",
        detail={"day": day.isoformat()},
    )


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def branch_leaderboard(
    session: Session, actor: Actor, query: LeaderboardQuery, now: datetime
) -> list[BranchStanding]:
    """Branches under a unit I may compare in, ranked (see progress.leaderboard)."""
    unit = access.leaderboard_unit(session, actor, query.unit)
    rows = branch_standings(session, unit, query.period, study_day(now))
    return [
        BranchStanding(
            rank=r.rank,
            branch=BranchRef(code=r.code, name=r.name),
            participation_rate=_round(r.rate, 4),
            avg_points=_round(r.avg_points, 2),
            eligible_members=r.eligible_members,
            small=r.small,
            avg_quiz_score=_round(r.avg_quiz_score, 1),
            rank_change=r.rank_change,
        )
        for r in rows
    ]


def participation(
    session: Session, actor: Actor, code: str, query: ParticipationQuery, now: datetime
) -> list[ParticipationRow]:
    """Every active member under the unit ``code`` on one day (my scope only)."""
    if not actor.has_role(Role.SECRETARY):
        raise Forbidden("您的角色无权访问此页面")
    unit = access.report_unit(session, actor, code)
    today = study_day(now)
    day = query.day or today
    if day > today:
        raise ValidationFailed("day 不能是将来的日子", field="day")
    return [
        ParticipationRow(
            username=r.username,
            name=r.name,
            minutes=r.minutes,
            goal_met=r.goal_met,
            points=r.points,
            exempt=r.exempt,
        )  # fmt: skip
        for r in day_status(session, unit, day)
    ]
