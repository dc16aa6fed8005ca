"""``/api/v1/admin``: units (the tree, add, rename, move, close) and people (find,
add, edit, deactivate, move, roles, exemption, password reset).

The same actions as 管理 › 组织 and 管理 › 党员: an admin acts in their
subtree, a secretary may find their branch's members, reset their passwords and
mark exemptions. An unknown or out-of-scope code or username is a 404.
"""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from studyapp.api.kit import Router
from studyapp.db import get_session
from studyapp.org import actions as units
from studyapp.org.payloads import UnitIn, UnitMoveIn, UnitNode, UnitRenameIn, UnitTree
from studyapp.people import actions as people
from studyapp.people.payloads import (
    ActiveIn,
    MoveIn,
    PasswordResetDone,
    PeoplePage,
    PeopleQuery,
    PersonAdded,
    PersonAddIn,
    PersonDetail,
    PersonEditIn,
    PersonExemptIn,
    PersonRow,
    ResetIn,
    RoleIn,
)
from studyapp.timeutil import utcnow

router = Router("admin_people", "admin_people", "管理: units and people.")

READ = (400, 401, 403, 404)


def _commit(result: Any) -> Any:
    get_session().commit()
    return result


@router.get("/admin/units", ok=UnitTree, errors=(401, 403))
def admin_unit_tree() -> Any:
    """The units of my admin subtree in tree order, members counted."""
    return units.unit_tree(get_session(), current_user, utcnow())


@router.post("/admin/units", json=UnitIn, ok=UnitNode, status=201)
def admin_add_unit(json: UnitIn) -> Any:
    """Add a unit under one of mine (409: the code was used before)."""
    return _commit(units.add_unit(get_session(), current_user, json, utcnow())), 201


@router.post("/admin/units/<code>/rename", json=UnitRenameIn, ok=UnitNode)
def admin_rename_unit(code: str, json: UnitRenameIn) -> Any:
    """Give a unit a new name; its code stays."""
    return _commit(units.rename_unit(get_session(), current_user, code, json, utcnow()))


@router.post("/admin/units/<code>/move", json=UnitMoveIn, ok=UnitNode)
def admin_move_unit(code: str, json: UnitMoveIn) -> Any:
    """Move a unit with its subtree under another (never under itself)."""
    return _commit(units.move_unit(get_session(), current_user, code, json, utcnow()))


@router.post("/admin/units/<code>/close", ok=UnitNode)
def admin_close_unit(code: str) -> Any:
    """Close a unit with no active member left (409 otherwise); history stays."""
    return _commit(units.close_unit(get_session(), current_user, code, utcnow()))


@router.get("/admin/people", query=PeopleQuery, ok=PeoplePage, errors=READ)
def admin_find_people(query: PeopleQuery) -> Any:
    """People in my scope by name or username, 30 a page."""
    return people.search(get_session(), current_user, query, utcnow())


@router.post("/admin/people", json=PersonAddIn, ok=PersonAdded, status=201)
def admin_add_person(json: PersonAddIn) -> Any:
    """Add one member to a branch; a generated password is returned once."""
    return _commit(people.add_person(get_session(), current_user, json, utcnow())), 201


@router.get("/admin/people/<username>", ok=PersonDetail, errors=READ)
def admin_person_detail(username: str) -> Any:
    """One person, their past branches, and what I may do to them."""
    return people.person_detail(get_session(), current_user, username, utcnow())


@router.post("/admin/people/<username>/edit", json=PersonEditIn, ok=PersonRow)
def admin_edit_person(username: str, json: PersonEditIn) -> Any:
    """Change the name and phone."""
    s = get_session()
    return _commit(people.edit_person(s, current_user, username, json, utcnow()))


@router.post("/admin/people/<username>/active", json=ActiveIn, ok=PersonRow)
def admin_set_active(username: str, json: ActiveIn) -> Any:
    """Deactivate (logins end, out of every rate from today) or reactivate."""
    s = get_session()
    return _commit(people.set_active(s, current_user, username, json, utcnow()))


@router.post("/admin/people/<username>/move", json=MoveIn, ok=PersonDetail)
def admin_move_person(username: str, json: MoveIn) -> Any:
    """Move to another branch from ``day`` on; earlier days stay with the old one."""
    s = get_session()
    return _commit(people.move_person(s, current_user, username, json, utcnow()))


@router.post("/admin/people/<username>/roles", json=RoleIn, ok=PersonRow)
def admin_grant_role(username: str, json: RoleIn) -> Any:
    """Grant secretary or admin on a unit of my subtree."""
    s = get_session()
    return _commit(people.grant_role(s, current_user, username, json, utcnow()))


@router.post("/admin/people/<username>/roles/revoke", json=RoleIn, ok=PersonRow)
def admin_revoke_role(username: str, json: RoleIn) -> Any:
    """Take back a role on a unit of my subtree."""
    s = get_session()
    return _commit(people.revoke_role(s, current_user, username, json, utcnow()))


@router.post("/admin/people/<username>/exempt", json=PersonExemptIn, ok=PersonRow)
def admin_set_exempt(username: str, json: PersonExemptIn) -> Any:
    """Mark exempt with a reason, or clear it (empty or null)."""
    s = get_session()
    return _commit(people.set_exempt(s, current_user, username, json, utcnow()))


@router.post("/admin/people/<username>/password", json=ResetIn, ok=PasswordResetDone)
def admin_reset_password(username: str, json: ResetIn) -> Any:
    """A new password (generated and returned once, or given); every login and
    token of theirs ends and they must choose their own at the next login."""
    s = get_session()
    return _commit(people.reset_password(s, current_user, username, json, utcnow()))
