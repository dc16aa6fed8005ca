"""``/api/v1``: a member as their secretary sees them, and what the secretary does:
nudge (提醒一下), excuse a day or withdraw it, mark exempt or clear it."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_login import current_user

from studyapp.api.kit import Router
from studyapp.db import get_session
from studyapp.errors import ValidationFailed
from studyapp.notify import actions as notify
from studyapp.org import actions
from studyapp.org.payloads import (
    ExcusedDayOut,
    ExcuseIn,
    ExcuseWithdrawn,
    ExemptIn,
    MemberStanding,
)
from studyapp.reports import actions as reports
from studyapp.reports.payloads import MemberReport, Nudged
from studyapp.timeutil import utcnow

router = Router("members", "members", "支部: members in my secretary scope.")


@router.get("/members/<username>", ok=MemberReport)
def member_report(username: str) -> Any:
    """Today, the last 30 days, streak, this month's book and excused days."""
    return reports.member(get_session(), current_user, username, utcnow())


@router.post("/members/<username>/nudge", ok=Nudged)
def nudge_member(username: str) -> Any:
    """A private, friendly reminder, at most once a day (``sent`` says if now)."""
    session = get_session()
    result = notify.nudge(session, current_user, username, utcnow())
    session.commit()
    return result


@router.post("/members/<username>/excuses", json=ExcuseIn, ok=ExcusedDayOut,
             status=201)  # fmt: skip
def excuse_day(username: str, json: ExcuseIn) -> Any:
    """Excuse a day (sick, travel): it keeps the streak and leaves the rate."""
    session = get_session()
    result = actions.excuse(session, current_user, username, json, utcnow())
    session.commit()
    return result, 201


@router.delete("/members/<username>/excuses/<day>", ok=ExcuseWithdrawn)
def withdraw_excuse(username: str, day: str) -> Any:
    """Withdraw an excuse given by mistake (``day``: YYYY-MM-DD)."""
    session = get_session()
    result = actions.withdraw_excuse(
        session, current_user, username, _day(day), utcnow()
    )
    session.commit()
    return result


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed("日期应为 YYYY-MM-DD", field="day") from None


@router.put("/members/<username>/exempt", json=ExemptIn, ok=MemberStanding)
def set_exempt(username: str, json: ExemptIn) -> Any:
    """Exempt the member from rates and rankings with a reason; null clears it."""
    session = get_session()
    result = actions.set_exempt(session, current_user, username, json, utcnow())
    session.commit()
    return result
