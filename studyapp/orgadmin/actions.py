"""管理后台 actions: the web import (dry run, apply, template) and the unit
settings (管理 › 设置). Each is ``(session, actor, input, now) -> result``;
it flushes, the edge commits. Only admins, and only inside their subtree.

The import is the one ``studyapp org import`` runs (``auth.importer.check_all``
and ``apply_all``): the dry run stages the files, applying reads them back and
checks them again against the database as it is then, so a failed apply
changes nothing.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import PurePath
from typing import Any

from sqlalchemy.orm import Session

from studyapp.audit.models import record
from studyapp.auth import importer as members_importer
from studyapp.auth.actor import Actor
from studyapp.auth.permissions import units_in_scope
from studyapp.auth.roles import Role
from studyapp.errors import Forbidden, ImportFailed, NotFound, ValidationFailed
from studyapp.org import importer, unit_settings, uploads
from studyapp.org.service import unit_by_code
from studyapp.org.tables import Table
from studyapp.orgadmin import settings, template
from studyapp.orgadmin.payloads import (
    FieldChange,
    ImportApplied,
    ImportCounts,
    ImportIn,
    ImportRejected,
    ImportReport,
    ImportRow,
    InitialPassword,
    UnitRef,
    UnitSettingsIn,
    UnitSettingsOut,
)

SUFFIXES = (".csv", ".xlsx", ".xlsm")
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\\\:*?\"<>|]")


def _require_admin(actor: Actor, why: str = "只有管理员可以导入组织和党员") -> None:
    if not actor.has_role(Role.ADMIN):
        raise Forbidden(why)


def check_import(
    session: Session, actor: Actor, body: ImportIn, now: datetime
) -> ImportReport:
    """The dry run: what importing the files would do, row by row, changing
    nothing. When nothing is wrong the files are staged and ``token`` applies
    them (for a day)."""
    _require_admin(actor)
    files = [(_file_name(f.name), f.data) for f in body.files]
    report = _dry_run(session, actor, files)
    if not report.ok:
        return report
    token = uploads.stage(session, actor.id, files, now)
    return report.model_copy(update={"token": token})


def apply_import(
    session: Session, actor: Actor, token: str, now: datetime
) -> ImportApplied:
    """Import the staged files, all or nothing; audited. ImportRejected (with
    the new report) when they no longer check clean."""
    _require_admin(actor)
    files = uploads.take(session, actor.id, token, now)
    tables = importer.load_uploads(files)
    units, members, problems = members_importer.check_all(session, tables, actor)
    if problems:
        raise ImportRejected(_report([n for n, _ in files], tables, session, actor))
    summary = members_importer.apply_all(session, units, members, now)
    record(
        session, action="org.import", at=now, actor_id=actor.id,
        target=",".join(n for n, _ in files), detail={**summary.counts(), "via": "web"},
    )  # fmt: skip
    return ImportApplied(
        **summary.counts(),
        passwords=[InitialPassword(username=u, name=n, password=p)
                   for u, n, p in summary.generated],
    )  # fmt: skip


def import_template(session: Session, actor: Actor, now: datetime) -> bytes:
    """The XLSX template, with the units of my subtree filled in."""
    _require_admin(actor)
    units = units_in_scope(session, actor, Role.ADMIN)
    return template.template_xlsx(
        (u.code, u.name, u.kind, u.parent.code if u.parent else "") for u in units
    )


def _file_name(name: str) -> str:
    """The uploaded file's own name, safe to show (no folders, no controls)."""
    base = PurePath(name.replace("\\", "/")).name
    return _UNSAFE.sub("_", base)[-100:] or "upload.csv"


def _dry_run(
    session: Session, actor: Actor, files: list[tuple[str, bytes]]
) -> ImportReport:
    names = [n for n, _ in files]
    wrong = [f"{n}:1: 只能上传 .csv 或 .xlsx 文件" for n in names
             if PurePath(n).suffix.lower() not in SUFFIXES]  # fmt: skip
    try:
        tables = importer.load_uploads(files) if not wrong else []
    except ImportFailed as exc:
        wrong = exc.problems
    if wrong:
        none = ImportCounts(new=0, changed=0, unchanged=0, error=0)
        return ImportReport(ok=False, token=None, files=names, rows=[],
                            errors=wrong, counts=none)  # fmt: skip
    return _report(names, tables, session, actor)


def _report(
    names: list[str], tables: list[Table], session: Session, actor: Actor
) -> ImportReport:
    units, members, problems = members_importer.check_all(session, tables, actor)
    preview = {**importer.preview_units(session, units),
               **members_importer.preview_members(session, members)}  # fmt: skip
    by_row: dict[str, list[str]] = {}
    for problem in problems:
        by_row.setdefault(problem.split(": ", 1)[0], []).append(problem)
    rows = [_row(t, r.where, r.values, preview, by_row) for t in tables for r in t.rows]
    count = {s: sum(1 for r in rows if r.status == s)
             for s in ("new", "changed", "unchanged", "error")}  # fmt: skip
    return ImportReport(ok=not problems, token=None, files=names, rows=rows,
                        errors=problems, counts=ImportCounts(**count))  # fmt: skip


def _row(
    table: Table,
    where: str,
    values: dict[str, str],
    preview: dict[str, list[importer.Change] | None],
    by_row: dict[str, list[str]],
) -> ImportRow:
    key = values.get("code" if table.kind == "units" else "username", "")
    errors = by_row.get(where, [])
    changes = preview.get(where, [])
    status = (
        "error" if errors or where not in preview
        else "new" if changes is None else "changed" if changes else "unchanged"
    )  # fmt: skip
    return ImportRow(
        where=where, table=table.kind, key=key, name=values.get("name", ""),  # type: ignore[arg-type]
        status=status, errors=errors,  # type: ignore[arg-type]
        changes=[FieldChange(field=f, before=b, after=a) for f, b, a in changes or []],
    )  # fmt: skip


def unit_settings_page(
    session: Session, actor: Actor, code: str | None, now: datetime
) -> UnitSettingsOut:
    """The settings of a unit in my admin subtree (my first unit when no
    code is given); NotFound for a unit outside it, as for an unknown one."""
    _require_admin(actor, "只有管理员可以修改设置")
    units = units_in_scope(session, actor, Role.ADMIN)
    unit = next((u for u in units if u.code == code), None) if code else units[0]
    if unit is None:
        raise NotFound(f"没有编码为 {code} 的组织")
    return UnitSettingsOut(
        unit=UnitRef(code=unit.code, name=unit.name),
        settings=settings.settings_of(session, unit),
        units=[UnitRef(code=u.code, name=u.name) for u in units],
    )


def save_unit_settings(
    session: Session, actor: Actor, code: str, body: UnitSettingsIn, now: datetime
) -> UnitSettingsOut:
    """Set or clear a unit's own settings (its subtree follows unless a unit
    nearer to the members sets its own). Audited with each before → after;
    ValidationFailed naming the key for an unknown key or a value out of range."""
    page = unit_settings_page(session, actor, code, now)
    unit = unit_by_code(session, page.unit.code)
    assert unit is not None
    values: dict[str, Any] = {**body.set, **{k: "inherit" for k in body.inherit}}
    for key in values:
        if key not in unit_settings.KEYS:
            raise ValidationFailed(f"没有名为 {key} 的设置", field=key)
    changes: dict[str, list[Any]] = {}

    def changed(key: str, before: Any, after: Any) -> None:
        changes[key] = [before, after]

    unit_settings.save(session, unit.id, values, by=actor.id, now=now, changed=changed)
    if changes:
        record(session, action="unit.settings", at=now, actor_id=actor.id,
               target=f"unit:{unit.code}", detail=changes)  # fmt: skip
    return unit_settings_page(session, actor, code, now)
