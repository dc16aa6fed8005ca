"""Excused days (by a secretary) and 补学 make-ups (by the member)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from studyapp.auth.models import User
from studyapp.errors import Conflict, ValidationFailed
from studyapp.progress import queries
from studyapp.progress.models import ExcusedDay, MakeUp
from studyapp.progress.service import user_refresh
from studyapp.progress.settings import ProgressSettings
from studyapp.timeutil import study_day


def excuse_day(
    session: Session,
    member: User,
    day: date,
    *,
    reason: str,
    by: User,
    now: datetime,
    settings: ProgressSettings,
) -> ExcusedDay:
    """Excuse a member's day (it keeps the streak); the caller checked scope.

    Raises ValidationFailed for a future day or an empty reason; repeating it
    updates the reason.
    """
    if day > study_day(now):
        raise ValidationFailed("不能为将来的日子请假", field="day")
    if not reason.strip():
        raise ValidationFailed("请写明原因（如病假、出差）", field="reason")
    row = session.scalar(
        select(ExcusedDay).where(
            ExcusedDay.user_id == member.id, ExcusedDay.study_day == day
        )
    )
    if row is None:
        row = ExcusedDay(user_id=member.id, study_day=day, reason="", at=now)
        session.add(row)
    row.reason, row.by_user_id, row.at = reason.strip()[:200], by.id, now
    session.flush()
    user_refresh(session, member, day, settings)
    return row


def cancel_excuse(
    session: Session, member: User, day: date, *, settings: ProgressSettings
) -> bool:
    """Withdraw an excuse given by mistake; False when the day was not excused."""
    row = session.scalar(
        select(ExcusedDay).where(
            ExcusedDay.user_id == member.id, ExcusedDay.study_day == day
        )
    )
    if row is None:
        return False
    session.delete(row)
    session.flush()
    user_refresh(session, member, day, settings)
    return True


def start_makeup(session: Session, member: User, day: date, *, now: datetime) -> MakeUp:
    """Start 补学 for a missed day: study time goes to that day until its goal is met.

    Only yesterday or the day before, only once per day, one at a time; raises
    Conflict otherwise.
    """
    allowed = queries.makeup_options(
        session, member.id, study_day(now), study_day(member.created_at)
    )
    if queries.active_makeup(session, member.id) is not None or day not in allowed:
        raise Conflict(
            "这一天不能补学（只能补前两天中未完成的一天，每天只能补一次）", field="day"
        )
    row = MakeUp(user_id=member.id, study_day=day, started_at=now)
    session.add(row)
    session.flush()
    return row
