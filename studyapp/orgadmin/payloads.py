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


class UnitRef(Model):
    code: str
    name: str


class SettingOut(Model):
    """One setting as it applies to a unit's members."""

    #: goal_minutes | tracking | member_ranking | reminder_hour |
    #: cap.lesson_finished | cap.study_minutes | cap.daily_quiz | cap.review_right
    key: str
    #: What members of the unit get (reminder_hour null: no reminder).
    value: int | bool | None
    #: ``unit``: set here; ``inherited``: set by ``source`` above; ``default``:
    #: the deployment's default (environment variables).
    origin: Literal["unit", "inherited", "default"]
    source: UnitRef | None
    #: The deployment's default.
    default: int | bool | None


class UnitSettingsOut(Model):
    unit: UnitRef
    settings: list[SettingOut]
    #: The units whose settings I may change (my subtree), tree order.
    units: list[UnitRef]


class UnitSettingsIn(Model):
    """Changes to a unit's own settings; keys not named stay as they are."""

    #: key → value to set here (reminder_hour null: no reminder).
    set: dict[str, int | bool | None] = Field(default_factory=dict, max_length=20)
    #: Keys to stop setting here (the unit above, or the default, applies).
    inherit: list[str] = Field(default_factory=list, max_length=20)
