"""Dated branch membership: moving a member, deactivating and reactivating.

The current stretch is ``User.branch_id`` since ``User.branch_since`` (None:
since the account was created); each stretch that ends becomes a
``MembershipPeriod`` row, so reports keep counting a member for the days they
really were in a branch (see ``progress.participation``). Flush, never commit.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from studyapp.auth.models import MembershipPeriod, User
from studyapp.auth.service import revoke_all_sessions
from studyapp.errors import ValidationFailed
from studyapp.org.models import OrgUnit
from studyapp.timeutil import study_day


def joined_on(user: User) -> date:
    """The Asia/Shanghai day the user joined their current branch."""
    return user.branch_since or study_day(user.created_at)


def end_stretch(session: Session, user: User, day: date, now: datetime) -> None:
    """Close the current stretch the day before ``day`` (nothing when it would
    be empty: a move on the day one joined leaves no past behind)."""
    start = joined_on(user)
    if day > start:
        session.add(
            MembershipPeriod(
                user_id=user.id,
                branch_id=user.branch_id,
                start_day=start,
                end_day=day,
                created_at=now,
            )
        )


def move(
    session: Session, user: User, branch: OrgUnit, day: date, now: datetime
) -> None:
    """Put the user in ``branch`` from ``day`` on (ValidationFailed naming
    ``day`` for a future day or one before they joined their current branch)."""
    if day > study_day(now):
        raise ValidationFailed("调动日期不能晚于今天", field="day")
    if day < joined_on(user):
        raise ValidationFailed(
            f"调动日期不能早于加入现支部的日期 {joined_on(user).isoformat()}",
            field="day",
        )
    end_stretch(session, user, day, now)
    user.branch, user.branch_since = branch, day
    session.flush()


def deactivate(session: Session, user: User, now: datetime) -> None:
    """The user can no longer log in (every login and token ends) and leaves
    every rate from today; their past days still count."""
    end_stretch(session, user, study_day(now), now)
    user.is_active = False
    revoke_all_sessions(session, user.id)
    session.flush()


def reactivate(session: Session, user: User, now: datetime) -> None:
    """The user may log in again and counts in their branch from today."""
    user.is_active = True
    user.branch_since = study_day(now)
    session.flush()


def periods(session: Session, user_id: int) -> list[MembershipPeriod]:
    """The user's past stretches, oldest first."""
    stmt = (
        select(MembershipPeriod)
        .where(MembershipPeriod.user_id == user_id)
        .order_by(MembershipPeriod.start_day, MembershipPeriod.id)
    )
    return list(session.scalars(stmt))


def branch_on(session: Session, user: User, day: date) -> int:
    """The id of the branch the user belonged to on ``day`` (their current one
    when no past stretch covers it)."""
    past = session.scalar(
        select(MembershipPeriod.branch_id).where(
            MembershipPeriod.user_id == user.id,
            MembershipPeriod.start_day <= day,
            MembershipPeriod.end_day > day,
        )
    )
    return past or user.branch_id
