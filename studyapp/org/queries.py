"""Read-only queries over units (and, for now, their member counts)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from studyapp.auth.models import User
from studyapp.org.models import OrgUnit, UnitKind


def member_counts(session: Session, units: list[OrgUnit]) -> dict[int, tuple[int, int]]:
    """For each unit id: (active members, of whom exempt), counting its subtree.

    One grouped query; each unit's counts are added to all of its ancestors.
    (About people, so it belongs to ``auth``; it stays here while the admin
    pages, converted separately, still import it from here.)
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


def branches_under(session: Session, unit: OrgUnit) -> list[OrgUnit]:
    """The 党支部 in ``unit``'s subtree (itself included), ordered by code."""
    stmt = (
        select(OrgUnit)
        .where(
            OrgUnit.path.startswith(unit.path, autoescape=True),
            OrgUnit.kind == UnitKind.BRANCH.value,
        )
        .order_by(OrgUnit.code)
    )
    return list(session.scalars(stmt))
