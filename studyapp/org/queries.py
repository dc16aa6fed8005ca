"""Read-only queries over units."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from studyapp.org.models import OrgUnit, UnitKind


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


def open_children(session: Session, unit: OrgUnit) -> list[OrgUnit]:
    """The units directly under ``unit`` that are not closed."""
    stmt = select(OrgUnit).where(
        OrgUnit.parent_id == unit.id, OrgUnit.closed_at.is_(None)
    )
    return list(session.scalars(stmt))
