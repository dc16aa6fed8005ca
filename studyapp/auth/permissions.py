"""Scope checks: which units an actor may see or manage. Actions call these, always.

They take the request's :class:`~studyapp.auth.actor.Actor` (its grants carry
their units); an ORM ``User`` has the same shape and works too.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from studyapp.auth.actor import Actor, UnitRef
from studyapp.auth.roles import Role
from studyapp.errors import Forbidden
from studyapp.org.models import OrgUnit


def scope_roots(user: Actor, role: Role) -> list[UnitRef]:
    """Units whose subtrees the user holds at least ``role`` on (overlaps removed)."""
    units = [g.unit for g in user.grants if Role(g.role).covers(role)]
    units.sort(key=lambda u: len(u.path))
    roots: list[UnitRef] = []
    for unit in units:
        if not any(root.contains(unit) for root in roots):
            roots.append(unit)
    return roots


def can_manage_unit(user: Actor, unit: OrgUnit, role: Role = Role.SECRETARY) -> bool:
    """True when one of the user's grants of at least ``role`` covers ``unit``."""
    return any(root.contains(unit) for root in scope_roots(user, role))


def require_unit(user: Actor, unit: OrgUnit, role: Role = Role.SECRETARY) -> OrgUnit:
    """Return ``unit`` when the user's scope covers it, else raise Forbidden."""
    if not can_manage_unit(user, unit, role):
        raise Forbidden(f"无权查看或管理 {unit.name}")
    return unit


def is_global_admin(user: Actor) -> bool:
    """An admin granted on a root unit sees and manages everything."""
    return any(
        g.unit.parent_id is None and Role(g.role) is Role.ADMIN for g in user.grants
    )


def unit_filter(user: Actor, role: Role = Role.SECRETARY) -> ColumnElement[bool]:
    """SQL condition on OrgUnit selecting the units in the user's scope."""
    roots = scope_roots(user, role)
    if not roots:
        return OrgUnit.id.is_(None)
    return or_(*(OrgUnit.path.startswith(r.path, autoescape=True) for r in roots))


def units_in_scope(
    session: Session, user: Actor, role: Role = Role.SECRETARY
) -> list[OrgUnit]:
    """Every unit the user may manage with ``role``, ordered by tree path."""
    stmt = select(OrgUnit).where(unit_filter(user, role)).order_by(OrgUnit.path)
    return list(session.scalars(stmt))
