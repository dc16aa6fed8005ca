"""What an admin (and, for passwords and exemptions, a secretary) does to people.

Scope: an admin acts on people whose branch is in their admin subtree, a
secretary on people of their own branch (subtree). An unknown username and one
outside the asker's scope are the same NotFound, so ids cannot be probed. Every
change writes an audit row (never a password). Each action is
``(session, actor, [username,] [input,] now) -> result``; it flushes, the edge
commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from studyapp.audit.models import record
from studyapp.auth import membership, service
from studyapp.auth.actor import Actor
from studyapp.auth.models import RoleGrant, User
from studyapp.auth.permissions import can_manage_unit, unit_filter
from studyapp.auth.roles import Role
from studyapp.errors import Forbidden, NotFound, ValidationFailed
from studyapp.org.models import OrgUnit, UnitKind
from studyapp.org.payloads import UnitBrief
from studyapp.org.service import unit_by_code
from studyapp.people import queries
from studyapp.people.payloads import (
    PAGE_SIZE,
    ActiveIn,
    MembershipOut,
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
    RoleOnUnit,
)
from studyapp.progress.models import DailyActivity
from studyapp.progress.settlement import reopen


def search(
    session: Session, actor: Actor, query: PeopleQuery, now: datetime
) -> PeoplePage:
    """People in my scope whose name or username contains ``q``, 30 a page,
    paged in SQL (by branch code, then name)."""
    _require_role(actor, Role.SECRETARY)
    subtree = _unit(session, actor, query.unit, Role.SECRETARY) if query.unit else None
    stmt = queries.people_stmt(
        unit_filter(actor, Role.SECRETARY),
        text=(query.q or "").strip(),
        subtree=subtree,
        status=query.status,
    )
    users, total = queries.page_of(session, stmt, query.page, PAGE_SIZE)
    pages = max(1, -(-total // PAGE_SIZE))
    return PeoplePage(
        rows=[row(u) for u in users], page=query.page, pages=pages, total=total
    )


def person_detail(
    session: Session, actor: Actor, username: str, now: datetime
) -> PersonDetail:
    """One person: details, past branches, and what I may do to them."""
    user = _person(session, actor, username, Role.SECRETARY)
    history = [
        MembershipOut(
            branch=_brief(session.get(OrgUnit, p.branch_id)),
            start_day=p.start_day,
            end_day=p.end_day,
        )
        for p in membership.periods(session, user.id)
    ]
    return PersonDetail(
        person=row(user),
        branch_since=membership.joined_on(user),
        history=history,
        can_manage=can_manage_unit(actor, user.branch, Role.ADMIN),  # type: ignore[arg-type]
        can_reset_password=_may_reset(actor, user),
    )


def add_person(
    session: Session, actor: Actor, body: PersonAddIn, now: datetime
) -> PersonAdded:
    """Add a member to an open 党支部 in my admin scope; without a password one
    is generated, returned once (never stored) and must be changed at the first
    login. ValidationFailed names the field; Conflict for a taken username."""
    branch = _branch(session, actor, body.branch, field="branch")
    password = body.password or service.generate_password()
    user = service.create_user(
        session,
        username=body.username,
        name=body.name,
        unit=branch,
        password=password,
        now=now,
        must_change_password=body.password is None,
    )
    user.phone = _clean(body.phone)
    record(
        session,
        action="user.create",
        at=now,
        actor_id=actor.id,
        target=f"user:{user.username}",
        detail={"unit": branch.code, "role": Role.MEMBER.value},
    )
    session.flush()
    return PersonAdded(
        person=row(user), generated_password=None if body.password else password
    )


def edit_person(
    session: Session, actor: Actor, username: str, body: PersonEditIn, now: datetime
) -> PersonRow:
    """Change a person's name and phone (audited with before → after)."""
    user = _person(session, actor, username, Role.ADMIN)
    name, phone = body.name.strip(), _clean(body.phone)
    if not name:
        raise ValidationFailed("姓名不能为空", field="name")
    before = {"name": user.name, "phone": user.phone}
    after = {"name": name, "phone": phone}
    if before != after:
        user.name, user.phone = name, phone
        record(
            session,
            action="user.edit",
            at=now,
            actor_id=actor.id,
            target=f"user:{user.username}",
            detail={"from": before, "to": after},
        )
        session.flush()
    return row(user)


def set_active(
    session: Session, actor: Actor, username: str, body: ActiveIn, now: datetime
) -> PersonRow:
    """Deactivate (cannot log in, every login and token ends, left out of every
    rate from today, history kept) or reactivate (counts again from today)."""
    user = _person(session, actor, username, Role.ADMIN)
    if user.id == actor.id and not body.active:
        raise ValidationFailed("不能停用自己的账号", field="active")
    if user.is_active == body.active:
        return row(user)
    if body.active:
        membership.reactivate(session, user, now)
    else:
        membership.deactivate(session, user, now)
    record(
        session,
        action="user.reactivate" if body.active else "user.deactivate",
        at=now,
        actor_id=actor.id,
        target=f"user:{user.username}",
    )
    return row(user)


def move_person(
    session: Session, actor: Actor, username: str, body: MoveIn, now: datetime
) -> PersonDetail:
    """Move a member to another 党支部 from ``day`` on: days before it stay
    counted for the old branch, that day and later ones for the new one (their
    recorded days move along, and both branches' settled figures reopen). A
    role on the old branch ends with the move (audited); others stay."""
    user = _person(session, actor, username, Role.ADMIN)
    old = user.branch
    new = _branch(session, actor, body.branch, field="branch")
    if new.id == old.id:
        raise ValidationFailed(f"{user.name} 已在 {new.name}", field="branch")
    membership.move(session, user, new, body.day, now)
    # A role held on the old branch (its 支部书记) does not follow the person:
    # they would go on seeing a branch they have left. Roles on other units stay.
    ended = [g for g in user.grants if g.unit_id == old.id]
    _take_back(session, actor, user, ended, now, because="user.move")
    session.execute(
        update(DailyActivity)
        .where(DailyActivity.user_id == user.id, DailyActivity.study_day >= body.day)
        .values(branch_id=new.id)
    )
    reopen(session, old.id, body.day)
    reopen(session, new.id, body.day)
    record(
        session,
        action="user.move",
        at=now,
        actor_id=actor.id,
        target=f"user:{user.username}",
        detail={"from": old.code, "to": new.code, "day": body.day.isoformat()},
    )
    return person_detail(session, actor, username, now)


def grant_role(
    session: Session, actor: Actor, username: str, body: RoleIn, now: datetime
) -> PersonRow:
    """Grant secretary or admin on a unit of my admin scope (it covers the
    unit's subtree); a repeat changes nothing."""
    user = _person(session, actor, username, Role.ADMIN)
    unit = _unit(session, actor, body.unit, Role.ADMIN, field="unit")
    if not any((g.unit_id, g.role) == (unit.id, body.role) for g in user.grants):
        user.grants.append(RoleGrant(unit=unit, role=body.role))
        record(
            session,
            action="user.grant",
            at=now,
            actor_id=actor.id,
            target=f"user:{user.username}",
            detail={"role": body.role, "unit": unit.code},
        )
        session.flush()
    return row(user)


def revoke_role(
    session: Session, actor: Actor, username: str, body: RoleIn, now: datetime
) -> PersonRow:
    """Take back a role on a unit of my admin scope (not my own admin role)."""
    user = _person(session, actor, username, Role.ADMIN)
    unit = _unit(session, actor, body.unit, Role.ADMIN, field="unit")
    if user.id == actor.id and body.role == Role.ADMIN.value:
        raise ValidationFailed("不能撤销自己的管理员角色", field="role")
    held = [g for g in user.grants if (g.unit_id, g.role) == (unit.id, body.role)]
    _take_back(session, actor, user, held, now)
    session.flush()
    return row(user)


def _take_back(
    session: Session,
    actor: Actor,
    user: User,
    grants: list[RoleGrant],
    now: datetime,
    **why: str,
) -> None:
    """Remove ``grants`` from the user, one ``user.revoke`` audit row each."""
    for grant in grants:
        user.grants.remove(grant)
        record(
            session,
            action="user.revoke",
            at=now,
            actor_id=actor.id,
            target=f"user:{user.username}",
            detail={"role": grant.role, "unit": grant.unit.code, **why},
        )


def set_exempt(
    session: Session, actor: Actor, username: str, body: PersonExemptIn, now: datetime
) -> PersonRow:
    """Mark a member exempt from every rate and ranking with a reason, or clear
    it (empty reason); secretaries of the branch may too. Audited."""
    user = _person(session, actor, username, Role.SECRETARY)
    reason = _clean(body.reason)
    if user.exempt_reason != reason:
        record(
            session,
            action="member.exempt" if reason else "member.exempt_cleared",
            at=now,
            actor_id=actor.id,
            target=f"user:{user.username}",
            detail={"from": user.exempt_reason, "to": reason},
        )
        user.exempt_reason = reason
        session.flush()
    return row(user)


def reset_password(
    session: Session, actor: Actor, username: str, body: ResetIn, now: datetime
) -> PasswordResetDone:
    """Give a person a new password, generated (returned once, never stored) or
    typed: every login and API token of theirs ends, and they must choose their
    own at the next login. A secretary may for members of their branch, an
    admin for anyone in their subtree; nobody for someone holding a role their
    own scope does not cover."""
    user = _person(session, actor, username, Role.SECRETARY)
    if not _may_reset(actor, user):
        raise Forbidden(f"{user.name} 的角色超出您的范围，请联系上级管理员重置")
    typed = (body.password or "").strip()
    password = typed or service.generate_password()
    service.set_password(session, user, password, field="password")
    user.must_change_password = True
    record(
        session,
        action="user.reset_password",
        at=now,
        actor_id=actor.id,
        target=f"user:{user.username}",
    )
    session.flush()
    return PasswordResetDone(
        username=user.username,
        name=user.name,
        generated_password=None if typed else password,
    )


def row(user: User) -> PersonRow:
    """A person as lists show them."""
    return PersonRow(
        username=user.username,
        name=user.name,
        phone=user.phone,
        branch=_brief(user.branch),
        exempt_reason=user.exempt_reason,
        roles=[RoleOnUnit(role=g.role, unit=_brief(g.unit)) for g in user.grants],
        is_active=user.is_active,
        must_change_password=user.must_change_password,
    )


def _may_reset(actor: Actor, user: User) -> bool:
    if user.id == actor.id:
        return False  # one's own password is changed with the current one
    return can_manage_unit(actor, user.branch, Role.SECRETARY) and all(  # type: ignore[arg-type]
        can_manage_unit(actor, g.unit, Role(g.role))
        for g in user.grants  # type: ignore[arg-type]
    )


def _require_role(actor: Actor, role: Role) -> None:
    if not actor.has_role(role):
        raise Forbidden("您的角色无权访问此页面")


def _person(session: Session, actor: Actor, username: str, role: Role) -> User:
    """The user when my ``role`` scope covers their branch; else NotFound."""
    _require_role(actor, role)
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None or not can_manage_unit(actor, user.branch, role):  # type: ignore[arg-type]
        raise NotFound("没有这个人，或不在您管理的范围内")
    return user


def _unit(
    session: Session, actor: Actor, code: str, role: Role, *, field: str = "unit"
) -> OrgUnit:
    """The unit when my ``role`` scope covers it; else NotFound naming ``field``."""
    unit = unit_by_code(session, code.strip())
    if unit is None or not can_manage_unit(actor, unit, role):  # type: ignore[arg-type]
        raise NotFound(f"没有编码为 {code} 的组织，或不在您管理的范围内", field=field)
    return unit


def _branch(session: Session, actor: Actor, code: str, *, field: str) -> OrgUnit:
    """An open 党支部 in my admin scope (ValidationFailed naming ``field``)."""
    unit = _unit(session, actor, code, Role.ADMIN, field=field)
    if unit.kind != UnitKind.BRANCH.value:
        raise ValidationFailed(
            f"{unit.name} 不是党支部：党员必须属于一个党支部", field=field
        )
    if unit.closed_at is not None:
        raise ValidationFailed(f"{unit.name} 已撤销", field=field)
    return unit


def _brief(unit: OrgUnit) -> UnitBrief:
    return UnitBrief(code=unit.code, name=unit.name)


def _clean(text: str | None) -> str | None:
    return (text or "").strip()[:200] or None
