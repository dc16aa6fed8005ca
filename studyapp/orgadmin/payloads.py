"""Typed inputs and results of the web import and the unit settings."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from studyapp.content.payloads import UploadedFile
from studyapp.errors import ValidationFailed


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)


class ImportIn(Model):
    """CSV files (one table each) or XLSX workbooks (sheets 组织/党员)."""

    files: list[UploadedFile] = Field(min_length=1, max_length=10)


class FieldChange(Model):
    """A field an import row changes (name, kind, parent, branch, role, exempt)."""

    field: str
    before: str
    after: str


class ImportRow(Model):
    """One row of an import file and what applying it would do."""

    #: ``file[sheet]:row`` as a spreadsheet user counts (header = row 1).
    where: str
    table: Literal["units", "members"]
    #: The unit code or the username.
    key: str
    name: str
    status: Literal["new", "changed", "unchanged", "error"]
    changes: list[FieldChange] = []
    #: Each problem of this row as ``file[sheet]:row: message``.
    errors: list[str] = []


class ImportCounts(Model):
    new: int
    changed: int
    unchanged: int
    error: int


class ImportReport(Model):
    """The dry run: every row, and every problem. ``ok`` (no problem at all):
    ``token`` applies exactly these files."""

    ok: bool
    token: str | None
    files: list[str]
    rows: list[ImportRow]
    #: Every problem as ``file[sheet]:row: message`` (rows' and whole files').
    errors: list[str]
    counts: ImportCounts


class InitialPassword(Model):
    username: str
    name: str
    password: str


class ImportApplied(Model):
    """What the import changed. ``passwords``: the generated initial passwords,
    given this once and stored nowhere (members must change them at login)."""

    units_created: int
    units_updated: int
    users_created: int
    users_updated: int
    passwords: list[InitialPassword]


class ImportRejected(ValidationFailed):
    """Applying found problems (the data changed since the dry run): nothing
    was imported; carries the new report."""

    def __init__(self, report: ImportReport) -> None:
        more = f"（共 {len(report.errors)} 个问题）" if len(report.errors) > 1 else ""
        super().__init__(f"{report.errors[0]}{more}，未导入任何内容", field="token")
        self.report = report
