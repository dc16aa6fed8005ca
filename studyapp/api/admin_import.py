"""``/api/v1/admin/org/imports``: the organisation import from the web, as
JSON: a dry run of uploaded CSV/XLSX files, then applying it.

Admins only, inside their subtree (the actions check it). The generated
initial passwords come back in the apply response, this once.
"""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from pydantic import BaseModel, field_validator

from studyapp.api.kit import File, Router
from studyapp.content.payloads import UploadedFile
from studyapp.db import get_session
from studyapp.orgadmin import actions
from studyapp.orgadmin.payloads import ImportApplied, ImportIn, ImportReport
from studyapp.timeutil import utcnow

router = Router("admin_import", "admin", "管理: import units and members.")


class OrgImportForm(BaseModel):
    """``multipart/form-data``: one or more ``files`` (.csv, or .xlsx with
    sheets 组织/units and 党员/members)."""

    files: list[File]

    @field_validator("files", mode="before")
    @classmethod
    def _one_or_more(cls, value: Any) -> Any:
        return value if isinstance(value, list) else [value]


@router.post("/admin/org/imports", form=OrgImportForm, ok=ImportReport,
             errors=(400, 401, 403, 413))  # fmt: skip
def org_import_check(form: OrgImportForm) -> Any:
    """Dry run: every row (new, changed with its fields, unchanged, or its
    error as ``file[sheet]:row: message``); changes nothing. ``token`` (when
    ``ok``) applies exactly these files."""
    files = [UploadedFile(name=f.filename or "", data=f.read()) for f in form.files]
    session = get_session()
    report = actions.check_import(
        session, current_user, ImportIn(files=files), utcnow()
    )
    session.commit()  # the staged files
    return report


@router.post("/admin/org/imports/<token>/apply", ok=ImportApplied,
             errors=(400, 401, 403))  # fmt: skip
def org_import_apply(token: str) -> Any:
    """Apply a clean dry run, all or nothing (400, naming the first problem,
    when the files no longer check clean or the token is unknown)."""
    session = get_session()
    result = actions.apply_import(session, current_user, token, utcnow())
    session.commit()
    return result
