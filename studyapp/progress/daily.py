"""Today's goal across the 党支部: who has not met it yet, and who has.

The scheduled reminder reads these (``notify.actions.send_reminders``). Only
eligible members of branches count (active, not exempt); an excused day is
never reminded.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from studyapp.auth.models import User
from studyapp.org.models import OrgUnit, UnitKind
from studyapp.progress.models import DailyActivity, ExcusedDay
from studyapp.progress.participation import eligible_user


def not_met(session: Session, day: date) -> dict[int, int]:
    """Eligible branch members who have not met ``day``'s goal and whose day is
    not excused → seconds studied that day."""
    da = DailyActivity
    stmt = (
        select(User.id, da.study_seconds)
        .join(OrgUnit, OrgUnit.id == User.branch_id)
        .outerjoin(da, (da.user_id == User.id) & (da.study_day == day))
        .outerjoin(
            ExcusedDay,
            (ExcusedDay.user_id == User.id) & (ExcusedDay.study_day == day),
        )
        .where(
            OrgUnit.kind == UnitKind.BRANCH.value,
            eligible_user(),
            or_(da.goal_met.is_(None), da.goal_met.is_(False)),
            or_(da.excused.is_(None), da.excused.is_(False)),
            ExcusedDay.id.is_(None),
        )
    )
    return {uid: secs or 0 for uid, secs in session.execute(stmt)}


def met_names(session: Session, branch_id: int, day: date) -> list[str]:
    """Names of the branch's eligible members who met ``day``'s goal, by name."""
    stmt = (
        select(User.name)
        .join(DailyActivity, DailyActivity.user_id == User.id)
        .where(
            User.branch_id == branch_id,
            eligible_user(),
            DailyActivity.study_day == day,
            DailyActivity.goal_met.is_(True),
        )
        .order_by(User.name)
    )
    return list(session.scalars(stmt))
