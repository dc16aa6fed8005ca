"""Read-only queries over people (members of units)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from studyapp.auth.models import User
from studyapp.org.models import OrgUnit


def member_counts(session: Session, units: list[OrgUnit]) -> dict[int, tuple[int, int]]:
    """For each unit id: (active members, of whom exempt), counting its subtree.

    One grouped query; each unit's counts are added to all of its ancestors.
    """
    stmt = (
        select(OrgUnit.path, func.count(User.id), func.count(User.exempt_reason))
        .join(User, User.branch_id == OrgUnit.id)
        .where(User.is_active)
        .group_by(OrgUnit.id, OrgUnit.path)
    )
    wanted = {u.id for u in units}
    counts = dict.fromkeys(wanted, (0, 0))
    for path, total, exempt in session.execute(stmt):
        for ancestor in (int(x) for x in path.strip("/").split("/")):
            if ancestor in wanted:
                t, e = counts[ancestor]
                counts[ancestor] = (t + total, e + exempt)
    return counts
