"""Changes to the unit tree. Flush, never commit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from studyapp.errors import ValidationFailed
from studyapp.org.models import ALLOWED_PARENTS, OrgUnit, UnitKind


def check_parent(kind: UnitKind, parent_kind: UnitKind | None) -> None:
    """Raise ValidationFailed when a unit of ``kind`` may not sit under the parent."""
    if parent_kind not in ALLOWED_PARENTS[kind]:
        where = "顶层" if parent_kind is None else _KIND_NAMES[parent_kind] + "之下"
        raise ValidationFailed(f"{_KIND_NAMES[kind]}不能设在{where}", field="parent")


_KIND_NAMES = {
    UnitKind.COMMITTEE: "党委",
    UnitKind.GENERAL_BRANCH: "党总支",
    UnitKind.BRANCH: "党支部",
    UnitKind.GROUP: "党小组",
}


def kind_name(kind: str) -> str:
    """Chinese name of a unit kind."""
    return _KIND_NAMES[UnitKind(kind)]


def create_unit(
    session: Session,
    *,
    code: str,
    name: str,
    kind: UnitKind,
    parent: OrgUnit | None,
    now: datetime,
) -> OrgUnit:
    """Add a unit under ``parent`` (None for a root) and set its path."""
    check_parent(kind, parent.kind_enum if parent else None)
    unit = OrgUnit(code=code, name=name, kind=kind.value, parent=parent, created_at=now)
    session.add(unit)
    session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    return unit


def move_unit(session: Session, unit: OrgUnit, parent: OrgUnit | None) -> None:
    """Re-parent a unit and rewrite the paths of its whole subtree."""
    if parent is not None and unit.contains(parent):
        raise ValidationFailed(f"{unit.code} 不能移到自己的下级之下", field="parent")
    check_parent(unit.kind_enum, parent.kind_enum if parent else None)
    old = unit.path
    new = f"{parent.path if parent else '/'}{unit.id}/"
    unit.parent = parent
    if old == new:
        return
    below = session.scalars(
        select(OrgUnit).where(OrgUnit.path.startswith(old, autoescape=True))
    )
    for node in below:
        node.path = new + node.path[len(old) :]


def unit_by_code(session: Session, code: str) -> OrgUnit | None:
    """The unit with this code, or None."""
    return session.scalar(select(OrgUnit).where(OrgUnit.code == code))
