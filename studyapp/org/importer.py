"""``org import``: validate every row of every file, then apply all or nothing."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from studyapp.auth import service as auth_service
from studyapp.auth.models import User
from studyapp.auth.roles import ROLE_WORDS, Role
from studyapp.errors import ImportFailed
from studyapp.org import service as org_service
from studyapp.org.models import ALLOWED_PARENTS, OrgUnit, UnitKind
from studyapp.org.tables import Row, Table, TableError, read_tables

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
KIND_WORDS = {
    "committee": UnitKind.COMMITTEE,
    "党委": UnitKind.COMMITTEE,
    "general_branch": UnitKind.GENERAL_BRANCH,
    "党总支": UnitKind.GENERAL_BRANCH,
    "branch": UnitKind.BRANCH,
    "党支部": UnitKind.BRANCH,
    "支部": UnitKind.BRANCH,
    "group": UnitKind.GROUP,
    "党小组": UnitKind.GROUP,
}
NOT_EXEMPT = {"", "否", "no", "false", "0", "n"}
YES_EXEMPT = {"是", "yes", "true", "1", "y"}


@dataclass
class UnitSpec:
    where: str
    code: str
    name: str
    kind: UnitKind
    parent: str


@dataclass
class MemberSpec:
    where: str
    username: str
    name: str
    branch: str
    role: Role
    exempt_reason: str | None
    password: str


@dataclass
class Summary:
    units_created: int = 0
    units_updated: int = 0
    users_created: int = 0
    users_updated: int = 0
    #: (username, name, password) for accounts created with a generated password.
    generated: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(
            (
                self.units_created,
                self.units_updated,
                self.users_created,
                self.users_updated,
            )
        )


def load_files(paths: Iterable[Path]) -> list[Table]:
    """Read every file; unreadable files raise ImportFailed naming them."""
    tables, problems = [], []
    for path in paths:
        try:
            tables.extend(read_tables(path))
        except TableError as exc:
            problems.append(str(exc))
        except OSError as exc:
            problems.append(f"{path}:1: 无法打开文件：{exc.strerror}")
    if problems:
        raise ImportFailed(problems)
    return tables


def import_files(
    session: Session,
    paths: Iterable[Path],
    *,
    now: datetime,
    progress: Callable[[int], None] | None = None,
) -> Summary:
    """Import units and members from CSV/XLSX files, all or nothing.

    Every bad row is collected as ``file:row: message`` and raised together as
    ImportFailed before anything is written. Re-importing the same files
    changes nothing. Existing users keep their passwords.
    """
    tables = load_files(paths)
    units, members = _validate(session, tables)
    summary = Summary()
    step = progress or (lambda _n: None)
    _apply_units(session, units, now, summary, step)
    _apply_members(session, members, now, summary, step)
    session.flush()
    return summary


def count_rows(tables: list[Table]) -> int:
    return sum(len(t.rows) for t in tables)


def _validate(
    session: Session, tables: list[Table]
) -> tuple[list[UnitSpec], list[MemberSpec]]:
    problems: list[str] = []
    units = _parse_units(tables, problems)
    known = {u.code: u.kind for u in units}
    for unit in session.scalars(select(OrgUnit)):
        known.setdefault(unit.code, unit.kind_enum)
    _check_tree(session, units, known, problems)
    members = _parse_members(tables, known, problems)
    if problems:
        raise ImportFailed(problems)
    return units, members


def _parse_units(tables: list[Table], problems: list[str]) -> list[UnitSpec]:
    specs: dict[str, UnitSpec] = {}
    for row in _rows(tables, "units"):
        v = row.values
        code, name = v.get("code", ""), v.get("name", "")
        kind = KIND_WORDS.get(v.get("kind", "").lower())
        errors = []
        if not CODE_RE.match(code):
            errors.append(f"组织编码“{code}”无效：只能用字母、数字和 - _ .")
        if not name:
            errors.append("组织名称不能为空")
        if kind is None:
            errors.append(
                f"类型“{v.get('kind', '')}”无效：应为 党委/党总支/党支部/党小组"
            )
        if code in specs:
            errors.append(f"组织编码 {code} 重复（见 {specs[code].where}）")
        problems.extend(f"{row.where}: {e}" for e in errors)
        if not errors and kind is not None:
            specs[code] = UnitSpec(row.where, code, name, kind, v.get("parent", ""))
    return list(specs.values())


def _check_tree(
    session: Session,
    units: list[UnitSpec],
    known: dict[str, UnitKind],
    problems: list[str],
) -> None:
    parents = {u.code: u.parent for u in units}
    for unit in session.scalars(select(OrgUnit)):
        if unit.code not in parents:
            parents[unit.code] = unit.parent.code if unit.parent else ""
    for spec in units:
        if spec.parent and spec.parent not in known:
            problems.append(f"{spec.where}: 上级编码 {spec.parent} 不存在")
            continue
        parent_kind = known[spec.parent] if spec.parent else None
        if parent_kind not in ALLOWED_PARENTS[spec.kind]:
            where = (
                f"{spec.parent}（{org_service.kind_name(parent_kind)}）之下"
                if spec.parent and parent_kind
                else "顶层"
            )
            problems.append(
                f"{spec.where}: {org_service.kind_name(spec.kind)}不能设在{where}"
            )
        elif _has_cycle(spec.code, parents):
            problems.append(f"{spec.where}: 上级关系形成了循环")


def _has_cycle(code: str, parents: dict[str, str]) -> bool:
    seen, current = {code}, parents.get(code, "")
    while current:
        if current in seen:
            return True
        seen.add(current)
        current = parents.get(current, "")
    return False


def _parse_members(
    tables: list[Table], known: dict[str, UnitKind], problems: list[str]
) -> list[MemberSpec]:
    specs: dict[str, MemberSpec] = {}
    for row in _rows(tables, "members"):
        spec, errors = _member(row, known)
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


def _rows(tables: list[Table], kind: str) -> Iterable[Row]:
    for table in tables:
        if table.kind == kind:
            yield from table.rows


def _apply_units(session, units, now, summary, step) -> None:  # type: ignore[no-untyped-def]
    by_code = {u.code: u for u in session.scalars(select(OrgUnit))}
    pending = list(units)
    while pending:  # parents before children; cycles were rejected above
        ready = [u for u in pending if not u.parent or u.parent in by_code]
        for spec in ready:
            parent = by_code.get(spec.parent) if spec.parent else None
            unit = by_code.get(spec.code)
            if unit is None:
                by_code[spec.code] = org_service.create_unit(
                    session,
                    code=spec.code,
                    name=spec.name,
                    kind=spec.kind,
                    parent=parent,
                    now=now,
                )
                summary.units_created += 1
            elif (unit.name, unit.kind, unit.parent) != (
                spec.name,
                spec.kind.value,
                parent,
            ):
                unit.name, unit.kind = spec.name, spec.kind.value
                if unit.parent is not parent:
                    org_service.move_unit(session, unit, parent)
                summary.units_updated += 1
            step(1)
        pending = [u for u in pending if u not in ready]


def _apply_members(session, members, now, summary, step) -> None:  # type: ignore[no-untyped-def]
    units = {u.code: u for u in session.scalars(select(OrgUnit))}
    users = {u.username: u for u in session.scalars(select(User))}
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
        elif _update_user(session, user, spec, unit):
            summary.users_updated += 1
        step(1)


def _update_user(session: Session, user: User, spec: MemberSpec, unit: OrgUnit) -> bool:
    grants = {(g.unit_id, g.role) for g in user.grants}
    wanted = set() if spec.role is Role.MEMBER else {(unit.id, spec.role.value)}
    state = (user.name, user.branch_id, user.exempt_reason)
    if state == (spec.name, unit.id, spec.exempt_reason) and grants == wanted:
        return False
    user.name, user.branch, user.exempt_reason = spec.name, unit, spec.exempt_reason
    auth_service.set_role(session, user, spec.role)
    return True
