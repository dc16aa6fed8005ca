"""``org import``, the members' half: check every member row, then (once nothing
is wrong anywhere) create or update the people and their roles.

A role is granted on the person's own branch; an admin listed on the root unit
is global. The units' half and the file reading are in
:mod:`studyapp.org.importer`; :func:`studyapp.org.actions.import_files` runs
both, all or nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from studyapp.auth import membership
from studyapp.auth import service as auth_service
from studyapp.auth.actor import Actor
from studyapp.auth.models import User
from studyapp.auth.permissions import is_global_admin, scope_roots
from studyapp.auth.roles import ROLE_WORDS, Role
from studyapp.org.importer import (
    Change,
    Summary,
    UnitSpec,
    apply_units,
    check_units,
    rows_of,
)
from studyapp.org.models import OrgUnit, UnitKind
from studyapp.org.tables import Row, Table
from studyapp.timeutil import study_day

#: The longest name and exemption reason the database keeps.
_LENGTH = {c: User.__table__.c[c].type.length for c in ("name", "exempt_reason")}
NOT_EXEMPT = {"", "否", "no", "false", "0", "n"}
YES_EXEMPT = {"是", "yes", "true", "1", "y"}


@dataclass
class MemberSpec:
    where: str
    username: str
    name: str
    branch: str
    role: Role
    exempt_reason: str | None
    password: str


def check_members(
    tables: list[Table],
    known: dict[str, UnitKind],
    closed: set[str],
    problems: list[str],
) -> list[MemberSpec]:
    """The member rows of the tables, checked (``known``: code → kind of every
    unit there will be; ``closed``: codes of closed units); every problem is
    appended as ``file:row: message``."""
    specs: dict[str, MemberSpec] = {}
    for row in rows_of(tables, "members"):
        spec, errors = _member(row, known)
        if row.values.get("branch", "") in closed:
            errors.append(f"所在支部 {row.values['branch']} 已撤销")
        if spec and spec.username in specs:
            errors.append(
                f"账号 {spec.username} 重复（见 {specs[spec.username].where}）"
            )
        problems.extend(f"{row.where}: {e}" for e in errors)
        if spec and not errors:
            specs[spec.username] = spec
    return list(specs.values())


def _member(
    row: Row, known: dict[str, UnitKind]
) -> tuple[MemberSpec | None, list[str]]:
    v, errors = row.values, []
    username, name, branch = (
        v.get("username", ""),
        v.get("name", ""),
        v.get("branch", ""),
    )
    role = ROLE_WORDS.get(v.get("role", "").lower() or "member")
    if not auth_service.USERNAME_RE.match(username):
        errors.append(
            f"账号“{username}”无效：用手机号或党员编号（字母、数字，3–64 位）"
        )
    if not name:
        errors.append("姓名不能为空")
    elif len(name) > _LENGTH["name"]:
        errors.append(f"姓名太长（{len(name)} 个字，最多 {_LENGTH['name']} 个）")
    if len(v.get("exempt", "")) > _LENGTH["exempt_reason"]:
        errors.append(f"免于统计的原因太长（最多 {_LENGTH['exempt_reason']} 个字）")
    if role is None:
        errors.append(f"角色“{v.get('role')}”无效：应为 党员/书记/管理员")
    if branch not in known:
        errors.append(f"所在支部 {branch or '（空）'} 不存在")
    elif (
        role is not None and role is not Role.ADMIN and known[branch] != UnitKind.BRANCH
    ):
        errors.append(f"{branch} 不是党支部：党员和书记必须属于一个党支部")
    password = v.get("password", "")
    if password and len(password) < auth_service.MIN_PASSWORD:
        errors.append(f"初始密码至少 {auth_service.MIN_PASSWORD} 位")
    if errors or role is None:
        return None, errors
    return MemberSpec(
        row.where, username, name, branch, role, _exempt(v.get("exempt", "")), password
    ), []


def _exempt(text: str) -> str | None:
    if text.lower() in NOT_EXEMPT:
        return None
    return "免于统计" if text.lower() in YES_EXEMPT else text


def apply_members(
    session: Session,
    members: list[MemberSpec],
    now: datetime,
    summary: Summary,
    step: Callable[[int], None],
) -> None:
    """Create the new members (generated passwords go into ``summary``) and
    update the others' name, branch, role and exemption; passwords stay."""
    units = {u.code: u for u in session.scalars(select(OrgUnit))}
    users = users_named(session, [m.username for m in members])
    for spec in members:
        unit, user = units[spec.branch], users.get(spec.username)
        if user is None:
            password = spec.password or auth_service.generate_password()
            auth_service.create_user(
                session,
                username=spec.username,
                name=spec.name,
                unit=unit,
                password=password,
                now=now,
                role=spec.role,
                exempt_reason=spec.exempt_reason,
                must_change_password=True,
            )
            summary.users_created += 1
            if not spec.password:
                summary.generated.append((spec.username, spec.name, password))
        elif _update_user(session, user, spec, unit, now):
            summary.users_updated += 1
        step(1)


def _update_user(
    session: Session, user: User, spec: MemberSpec, unit: OrgUnit, now: datetime
) -> bool:
    grants = {(g.unit_id, g.role) for g in user.grants}
    wanted = set() if spec.role is Role.MEMBER else {(unit.id, spec.role.value)}
    state = (user.name, user.branch_id, user.exempt_reason)
    if state == (spec.name, unit.id, spec.exempt_reason) and grants == wanted:
        return False
    if user.branch_id != unit.id:  # moved from today: past days stay behind
        membership.move(session, user, unit, study_day(now), now)
    user.name, user.exempt_reason = spec.name, spec.exempt_reason
    auth_service.set_role(session, user, spec.role)
    return True


def preview_members(
    session: Session, members: list[MemberSpec]
) -> dict[str, list[Change] | None]:
    """What applying the checked member rows would do, by row (``where``): None
    for a new person, else the fields that change (empty: unchanged)."""
    users = users_named(session, [m.username for m in members])
    out: dict[str, list[Change] | None] = {}
    for spec in members:
        user = users.get(spec.username)
        if user is None:
            out[spec.where] = None
            continue
        before = (user.name, user.branch.code, _role_of(user), user.exempt_reason or "")
        after = (spec.name, spec.branch, spec.role.value, spec.exempt_reason or "")
        out[spec.where] = [
            (f, b, a)
            for f, b, a in zip(("name", "branch", "role", "exempt"), before, after,
                               strict=True) if b != a
        ]  # fmt: skip
    return out


def users_named(session: Session, usernames: list[str]) -> dict[str, User]:
    """The existing accounts among ``usernames``, by username: only the rows an
    import names (a county holds tens of thousands), in chunks of 500."""
    wanted = sorted(set(usernames))
    found: dict[str, User] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        found.update(
            (u.username, u)
            for u in session.scalars(select(User).where(User.username.in_(chunk)))
        )
    return found


def _role_of(user: User) -> str:
    """The role as an import row says it (a grant off the own branch is named)."""
    words = [
        g.role if g.unit_id == user.branch_id else f"{g.role}@{g.unit.code}"
        for g in user.grants
    ]
    return ",".join(sorted(words)) or Role.MEMBER.value


def check_all(
    session: Session, tables: list[Table], actor: Actor | None
) -> tuple[list[UnitSpec], list[MemberSpec], list[str]]:
    """Every check of an import: the unit rows and their tree, the member rows,
    and (for an admin below the root; None is the command line) that every
    unit and person touched lies in the admin's subtree."""
    problems: list[str] = []
    units, known, closed = check_units(session, tables, problems)
    members = check_members(tables, known, closed, problems)
    if actor is not None and not is_global_admin(actor):
        _check_scope(session, actor, units, members, problems)
    return units, members, problems


def apply_all(
    session: Session,
    units: list[UnitSpec],
    members: list[MemberSpec],
    now: datetime,
    progress: Callable[[int], None] | None = None,
) -> Summary:
    """Write checked rows: units parents first, then people; flushes."""
    step = progress or (lambda _n: None)
    summary = Summary()
    apply_units(session, units, now, summary, step)
    apply_members(session, members, now, summary, step)
    session.flush()
    return summary


def _check_scope(
    session: Session,
    actor: Actor,
    units: list[UnitSpec],
    members: list[MemberSpec],
    problems: list[str],
) -> None:
    roots = scope_roots(actor, Role.ADMIN)
    in_db = {u.code: u for u in session.scalars(select(OrgUnit))}
    specs = {u.code: u for u in units}

    def covered(code: str, seen: frozenset[str] = frozenset()) -> bool:
        spec, unit = specs.get(code), in_db.get(code)
        if code in seen or (spec is None and unit is None):
            return False
        if unit is not None and not any(r.contains(unit) for r in roots):
            return False
        current = unit.parent.code if unit is not None and unit.parent else ""
        if spec is None or (unit is not None and spec.parent == current):
            return True
        return bool(spec.parent) and covered(spec.parent, seen | {code})

    for spec in units:
        if not covered(spec.code):
            problems.append(
                f"{spec.where}: 组织 {spec.code} 或其上级不在您的管理范围内"
            )
    users = users_named(session, [m.username for m in members])
    for member in members:
        user = users.get(member.username)
        if not covered(member.branch):
            problems.append(f"{member.where}: 支部 {member.branch} 不在您的管理范围内")
        elif user is not None and not any(r.contains(user.branch) for r in roots):
            problems.append(
                f"{member.where}: 账号 {member.username} 属于您管理范围以外的组织"
            )
