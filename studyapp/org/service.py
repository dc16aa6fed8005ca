"""Changes to the unit tree and to members' standing in it. Flush, never commit."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from studyapp.audit.models import record
from studyapp.errors import ValidationFailed
from studyapp.org.models import ALLOWED_PARENTS, OrgUnit, UnitKind

if TYPE_CHECKING:  # org sits below auth: the type only, never the import
    from studyapp.auth.models import User


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


def set_exempt(
    session: Session, member: User, reason: str | None, *, by: User, now: datetime
) -> bool:
    """Mark a member exempt from rates and rankings with a reason, or clear it
    (empty reason). Audited; returns whether anything changed. The caller
    checked that ``by`` may manage the member's branch.
    """
    reason = (reason or "").strip()[:200] or None
    if member.exempt_reason == reason:
        return False
    record(
        session,
        action="member.exempt" if reason else "member.exempt_cleared",
        at=now,
        actor_id=by.id,
        target=f"user:{member.username}",
        detail={"from": member.exempt_reason, "to": reason},
    )
    member.exempt_reason = reason
    session.flush()
    return True


def set_member_ranking(
    session: Session, branch: OrgUnit, on: bool, *, by: User, now: datetime
) -> None:
    """Let the branch's members see the ranking inside it, or stop it (audited)."""
    if branch.show_member_ranking == on:
        return
    branch.show_member_ranking = on
    record(
        session,
        action="unit.member_ranking",
        at=now,
        actor_id=by.id,
        target=f"unit:{branch.code}",
        detail={"on": on},
    )
    session.flush()
