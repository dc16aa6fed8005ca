"""Who may see which report, resolved from the actor (never from a URL alone).

These rules build on ``auth.permissions`` (scope_roots / can_manage_unit):
- a secretary or admin sees every report of the units their grants cover;
- anyone may see the branch leaderboard of a unit *above or at their own
  branch* (a member's default is their branch's parent unit), and of units in
  their secretary/admin scope;
- the member ranking inside a branch: its secretaries always; its members only
  when the branch (or a unit above it) turned the member ranking on.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from studyapp.auth.actor import Actor
from studyapp.auth.models import User
from studyapp.auth.permissions import can_manage_unit, require_unit
from studyapp.auth.roles import Role
from studyapp.errors import Forbidden, NotFound
from studyapp.org import unit_settings
from studyapp.org.models import OrgUnit, UnitKind
from studyapp.org.service import unit_by_code
from studyapp.progress.settings import defaults


def require_secretary(actor: Actor) -> None:
    """Raise Forbidden unless the actor is a secretary or admin somewhere."""
    if not actor.has_role(Role.SECRETARY):
        raise Forbidden("您的角色无权访问此页面")


def require_admin(actor: Actor) -> None:
    """Raise Forbidden unless the actor is an admin somewhere."""
    if not actor.has_role(Role.ADMIN):
        raise Forbidden("只有管理员可以管理组织")


def report_unit(session: Session, actor: Actor, code: str) -> OrgUnit:
    """The unit ``code`` when the actor's secretary/admin scope covers it.

    Raises Forbidden for an actor with no secretary role, NotFound for an
    unknown code and Forbidden outside the scope.
    """
    require_secretary(actor)
    unit = unit_by_code(session, code)
    if unit is None:
        raise NotFound(f"没有编码为 {code} 的组织")
    return require_unit(actor, unit, Role.SECRETARY)


def report_branch(session: Session, actor: Actor, code: str) -> OrgUnit:
    """Like :func:`report_unit`, and the unit must be a 党支部 (else NotFound)."""
    unit = report_unit(session, actor, code)
    if unit.kind != UnitKind.BRANCH.value:
        raise NotFound(f"{unit.name} 不是党支部")
    return unit


def report_member(session: Session, actor: Actor, username: str) -> User:
    """The member ``username`` when the actor's secretary/admin scope covers the
    member's branch. Forbidden without the role; NotFound for an unknown
    username *and* for a member outside the scope, with the same message, so a
    secretary cannot learn which usernames exist in other branches."""
    require_secretary(actor)
    member = session.scalar(select(User).where(User.username == username))
    if member is None or not can_manage_unit(actor, member.branch, Role.SECRETARY):
        raise NotFound("没有这位党员")
    return member


def visible_parent(actor: Actor, unit: OrgUnit) -> OrgUnit | None:
    """The unit above ``unit`` when the actor's scope covers it (a way back up)."""
    parent = unit.parent
    if parent is None or not can_manage_unit(actor, parent):
        return None
    return parent


def default_leaderboard_unit(session: Session, actor: Actor) -> OrgUnit:
    """The unit whose branches an actor compares by default: their branch's
    parent (or the branch itself at the top of the tree)."""
    return session.get(OrgUnit, actor.branch.parent_id or actor.branch.id)


def leaderboard_unit(session: Session, actor: Actor, code: str | None) -> OrgUnit:
    """The unit whose branch leaderboard the actor asked for (see module doc)."""
    if not code:
        return default_leaderboard_unit(session, actor)
    unit = unit_by_code(session, code)
    if unit is None:
        raise NotFound(f"没有编码为 {code} 的组织")
    if unit.contains(actor.branch) or can_manage_unit(actor, unit, Role.SECRETARY):
        return unit
    raise Forbidden(f"无权查看 {unit.name} 的排行")


def can_see_member_ranking(session: Session, actor: Actor, branch: OrgUnit) -> bool:
    """Secretaries of the branch always; its members if the branch allows it."""
    if can_manage_unit(actor, branch, Role.SECRETARY):
        return True
    return actor.branch_id == branch.id and member_ranking_on(session, branch)


def member_ranking_on(session: Session, branch: OrgUnit) -> bool:
    """Whether the branch's members see its ranking: the nearest unit up the
    tree that sets it decides, else the deployment's default (off)."""
    found = unit_settings.effective(session, branch.path).get("member_ranking")
    return bool(found) if found is not None else defaults(session).member_ranking
