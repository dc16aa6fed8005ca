"""``org import``, the units' half: read the files, check every unit row and the
tree they make, then (once nothing is wrong anywhere) create or update units.

The members' half is :mod:`studyapp.auth.importer`; the workflow that runs
both, all or nothing, is :func:`studyapp.org.actions.import_files`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from studyapp.errors import ImportFailed
from studyapp.org import service as org_service
from studyapp.org.models import ALLOWED_PARENTS, OrgUnit, UnitKind
from studyapp.org.tables import Row, Table, TableError, read_bytes, read_tables

#: The longest unit name the database keeps.
NAME_MAX = OrgUnit.__table__.c.name.type.length
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


@dataclass
class UnitSpec:
    where: str
    code: str
    name: str
    kind: UnitKind
    parent: str


@dataclass
class Summary:
    units_created: int = 0
    units_updated: int = 0
    users_created: int = 0
    users_updated: int = 0
    #: (username, name, password) for accounts created with a generated password.
    generated: list[tuple[str, str, str]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """What changed, for the audit trail."""
        return {
            "units_created": self.units_created,
            "units_updated": self.units_updated,
            "users_created": self.users_created,
            "users_updated": self.users_updated,
        }

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


def load_uploads(files: Iterable[tuple[str, bytes]]) -> list[Table]:
    """Read uploaded ``(name, data)`` files, as ``load_files`` reads paths."""
    tables, problems = [], []
    for name, data in files:
        try:
            tables.extend(read_bytes(name, data))
        except TableError as exc:
            problems.append(str(exc))
    if problems:
        raise ImportFailed(problems)
    return tables


def count_rows(tables: list[Table]) -> int:
    return sum(len(t.rows) for t in tables)


def check_units(
    session: Session, tables: list[Table], problems: list[str]
) -> tuple[list[UnitSpec], dict[str, UnitKind], set[str]]:
    """The unit rows of the tables, checked against each other and the tree in
    the database; every problem is appended as ``file:row: message``. Also
    returns code → kind of every unit known after the import, and the codes of
    closed units (for members: nobody is put in a closed branch)."""
    units = _parse_units(tables, problems)
    known = {u.code: u.kind for u in units}
    closed = set()
    for unit in session.scalars(select(OrgUnit)):
        known.setdefault(unit.code, unit.kind_enum)
        if unit.closed_at is not None:
            closed.add(unit.code)
    for spec in units:  # a closed unit's code is never used again
        if spec.code in closed:
            problems.append(f"{spec.where}: 组织 {spec.code} 已撤销，编码不能再用")
        elif spec.parent in closed:
            problems.append(f"{spec.where}: 上级组织 {spec.parent} 已撤销")
    _check_tree(session, units, known, problems)
    return units, known, closed


def _parse_units(tables: list[Table], problems: list[str]) -> list[UnitSpec]:
    specs: dict[str, UnitSpec] = {}
    for row in rows_of(tables, "units"):
        v = row.values
        code, name = v.get("code", ""), v.get("name", "")
        kind = KIND_WORDS.get(v.get("kind", "").lower())
        errors = []
        if not CODE_RE.match(code):
            errors.append(f"组织编码“{code}”无效：只能用字母、数字和 - _ .")
        if not name:
            errors.append("组织名称不能为空")
        elif len(name) > NAME_MAX:
            errors.append(f"组织名称太长（{len(name)} 个字，最多 {NAME_MAX} 个）")
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


def rows_of(tables: list[Table], kind: str) -> Iterable[Row]:
    """Every row of the tables holding ``kind`` (units or members)."""
    for table in tables:
        if table.kind == kind:
            yield from table.rows


def apply_units(
    session: Session,
    units: list[UnitSpec],
    now: datetime,
    summary: Summary,
    step: Callable[[int], None],
) -> None:
    """Create or update the checked units, parents before children."""
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


#: A field's change in a dry run: (field, before, after).
Change = tuple[str, str, str]


def preview_units(
    session: Session, units: list[UnitSpec]
) -> dict[str, list[Change] | None]:
    """What applying the checked unit rows would do, by row (``where``): None
    for a new unit, else the fields that change (empty: unchanged)."""
    by_code = {u.code: u for u in session.scalars(select(OrgUnit))}
    out: dict[str, list[Change] | None] = {}
    for spec in units:
        unit = by_code.get(spec.code)
        if unit is None:
            out[spec.where] = None
            continue
        before = (unit.name, org_service.kind_name(unit.kind),
                  unit.parent.code if unit.parent else "")  # fmt: skip
        after = (spec.name, org_service.kind_name(spec.kind), spec.parent)
        out[spec.where] = [
            (f, b, a) for f, b, a in zip(("name", "kind", "parent"), before, after,
                                         strict=True) if b != a
        ]  # fmt: skip
    return out
