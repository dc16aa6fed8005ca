"""``/api/v1`` routes for leaderboards and branch participation (v1 blueprint).

Scope rules (reports.access): anyone may read the branch leaderboard of a unit
at or above their own branch (default: their branch's parent) or in their
secretary/admin scope; participation is for the secretaries and admins whose
scope covers the unit.
"""

from __future__ import annotations

from datetime import date

from flask import request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from studyapp.api.v1 import bp
from studyapp.auth.roles import Role
from studyapp.db import get_session
from studyapp.errors import ValidationFailed
from studyapp.progress.leaderboard import branch_standings
from studyapp.progress.periods import PERIODS
from studyapp.reports import access
from studyapp.reports.queries import day_status
from studyapp.timeutil import study_day, utcnow
from studyapp.web import role_required


def _period() -> str:
    period = request.args.get("period") or "week"
    if period not in PERIODS:
        raise ValidationFailed("period 应为 week、month 或 year", field="period")
    return period


def _day(today: date) -> date:
    text = request.args.get("day")
    if not text:
        return today
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed("day 应为 YYYY-MM-DD", field="day") from None
    if day > today:
        raise ValidationFailed("day 不能是将来的日子", field="day")
    return day


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


@bp.get("/leaderboard/branches")
@login_required
def leaderboard_branches() -> ResponseReturnValue:
    """Branches under a unit ranked by participation rate (encouragement only)."""
    session = get_session()
    unit = access.leaderboard_unit(session, current_user, request.args.get("unit"))
    rows = branch_standings(session, unit, _period(), study_day(utcnow()))
    return [
        {
            "rank": r.rank,
            "branch": {"code": r.code, "name": r.name},
            "participation_rate": _round(r.rate, 4),
            "avg_points": _round(r.avg_points, 2),
            "eligible_members": r.eligible_members,
            "small": r.small,
            "avg_quiz_score": _round(r.avg_quiz_score, 1),
            "rank_change": r.rank_change,
        }
        for r in rows
    ]


@bp.get("/units/<code>/participation")
@role_required(Role.SECRETARY)
def unit_participation(code: str) -> ResponseReturnValue:
    """Every active member under the unit on one day (secretary/admin of it)."""
    session = get_session()
    unit = access.report_unit(session, current_user, code)
    rows = day_status(session, unit, _day(study_day(utcnow())))
    return [
        {
            "username": r.username,
            "name": r.name,
            "minutes": r.minutes,
            "goal_met": r.goal_met,
            "points": r.points,
            "exempt": r.exempt,
        }
        for r in rows
    ]
