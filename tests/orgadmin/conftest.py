"""A county tree for the admin console: a global admin, an admin of one
committee (SUB), and members in branches inside and outside SUB."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from studyapp.audit.models import AuditEvent
from studyapp.auth.models import RoleGrant, User
from studyapp.auth.roles import Role
from studyapp.org.models import OrgUnit, UnitKind
from tests.conftest import csrf_token
from tests.factories import make_unit, make_user


@pytest.fixture
def county(db):  # type: ignore[no-untyped-def]
    """ROOT 县委 ⊃ SUB 镇党委 ⊃ {A 甲支部, B 乙支部}; ROOT ⊃ C 丙支部."""
    with db() as s:
        root = make_unit(s, "ROOT", kind=UnitKind.COMMITTEE, name="县委")
        sub = make_unit(s, "SUB", kind=UnitKind.COMMITTEE, parent=root, name="镇党委")
        a = make_unit(s, "A", parent=sub, name="甲支部")
        make_unit(s, "B", parent=sub, name="乙支部")
        c = make_unit(s, "C", parent=root, name="丙支部")
        make_user(s, root, "admin", role=Role.ADMIN, name="县管理员")
        make_user(s, sub, "subadmin", role=Role.ADMIN, name="镇管理员")
        make_user(s, a, "13800000001", name="王一")
        make_user(s, c, "13900000001", name="丙一")
    return None


def state(db) -> tuple[Any, ...]:  # type: ignore[no-untyped-def]
    """Everything an import could change: units, people, grants, import audits."""
    with db() as s:
        units = sorted(
            s.execute(select(OrgUnit.code, OrgUnit.name, OrgUnit.parent_id)).all()
        )
        users = sorted(
            s.execute(
                select(User.username, User.name, User.branch_id, User.exempt_reason)
            ).all()
        )
        grants = s.scalar(select(func.count(RoleGrant.id)))
        audits = s.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.action == "org.import")
        )
        return units, users, grants, audits


def xlsx(sheets: dict[str, list[list[Any]]]) -> bytes:
    """A real workbook made with openpyxl; a cell "=…" is written as a formula."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, files: list[tuple[str, bytes]]):  # type: ignore[no-untyped-def]
    """POST the files to 管理 › 导入 (the dry run)."""
    return client.post(
        "/admin/import/",
        **multipart({"csrf_token": csrf_token(client, "/admin/import/")}, files),
    )


def multipart(fields: dict[str, str], files: list[tuple[str, bytes]]) -> dict[str, Any]:
    """A multipart body in memory (the test client would spool a large one to
    a temporary file it never closes)."""
    values: Any = MultiDict(fields)
    for name, data in files:
        values.add("files", FileStorage(io.BytesIO(data), filename=name))
    boundary, body = encode_multipart(values)
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}
