"""Secretary actions that touch several domains: excusing a member's day.

(Exemptions live in ``org.service.set_exempt``; nudges in ``notify.service``.)
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from studyapp.audit.models import record
from studyapp.auth.models import User
from studyapp.progress.days import cancel_excuse, excuse_day
from studyapp.progress.models import ExcusedDay
from studyapp.progress.settings import ProgressSettings
from studyapp.progress.settlement import reopen


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
