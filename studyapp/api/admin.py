"""``/api/v1/admin``: content (overview, upload and check, publish, withdraw and
restore), the audit log and the scheduler's jobs.

Only admins: content and jobs for global admins, the audit log for any admin
(their own actions unless global). The actions check it; these routes parse,
call one action, commit, return its typed result.
"""

from __future__ import annotations

from typing import Any, Literal

from flask import current_app
from flask_login import current_user
from pydantic import BaseModel, field_validator

from studyapp.api.kit import File, Router
from studyapp.audit import actions as audit
from studyapp.audit.payloads import AuditPage, AuditQuery
from studyapp.content import actions as content
from studyapp.content.payloads import (
    ContentOverview,
    ItemStatus,
    Published,
    UploadedFile,
    UploadIn,
    UploadReport,
)
from studyapp.db import get_session
from studyapp.jobs import actions as jobs
from studyapp.jobs.payloads import JobHistory, JobList
from studyapp.timeutil import utcnow

router = Router("admin", "admin", "管理: content, audit log, scheduled jobs.")

READ = (401, 403)
ONE = (401, 403, 404)
WRITE = (400, 401, 403, 404, 409)


class ContentUploadForm(BaseModel):
    """``multipart/form-data``: one or more ``files`` (.md, .xlsx, .docx, or .zip
    with lessons/ and quizzes/), where a single .md goes (``kind``), and for an
    Excel or Word bank its ``bank`` id, ``title`` and default ``lesson``."""

    files: list[File]
    kind: Literal["lessons", "quizzes"] = "quizzes"
    bank: str | None = None
    title: str | None = None
    lesson: str | None = None

    @field_validator("files", mode="before")
    @classmethod
    def _one_or_more(cls, value: Any) -> Any:
        return value if isinstance(value, list) else [value]


@router.get("/admin/content", ok=ContentOverview, errors=READ)
def content_overview() -> Any:
    """Every lesson, bank and quiz with its revision and state."""
    return content.content_overview(get_session(), current_user, utcnow())


@router.post("/admin/content/uploads", form=ContentUploadForm, ok=UploadReport,
             errors=(400, 401, 403))  # fmt: skip
def upload(form: ContentUploadForm) -> Any:
    """Stage and check an upload with the whole content folder: every problem
    as path:line, or (``ok``) a preview of what publishing it changes."""
    files = [UploadedFile(name=f.filename or "", data=f.read()) for f in form.files]
    body = UploadIn(files=files, kind=form.kind, bank=form.bank, title=form.title,
                    lesson=form.lesson)  # fmt: skip
    return content.check_upload(get_session(), current_user, body, utcnow())


@router.post("/admin/content/uploads/<token>/publish", ok=Published, errors=WRITE)
def publish(token: str) -> Any:
    """Publish a checked upload with the content folder, or nothing (400 when
    it has expired or no longer checks clean, naming the first error)."""
    session = get_session()
    result = content.publish_upload(session, current_user, token, utcnow())
    session.commit()
    return result


@router.post("/admin/content/<kind>/<slug>/withdraw", ok=ItemStatus, errors=WRITE)
def withdraw(kind: str, slug: str) -> Any:
    """Hide a lesson, bank or quiz from members (``kind``: lesson|bank|quiz)."""
    session = get_session()
    result = content.withdraw(session, current_user, kind, slug, utcnow())
    session.commit()
    return result


@router.post("/admin/content/<kind>/<slug>/restore", ok=ItemStatus, errors=WRITE)
def restore(kind: str, slug: str) -> Any:
    """Show a withdrawn item to members again (409 for a retired one)."""
    session = get_session()
    result = content.restore(session, current_user, kind, slug, utcnow())
    session.commit()
    return result


@router.get("/admin/audit", query=AuditQuery, ok=AuditPage, errors=(400, 401, 403))
def audit_log(query: AuditQuery) -> Any:
    """Administrative actions, newest first, 50 a page; filters: action (a verb
    or its domain), actor (username), target (any part), since/until (days)."""
    return audit.audit_log(get_session(), current_user, query, utcnow())


@router.get("/admin/jobs", ok=JobList, errors=READ)
def job_list() -> Any:
    """Every scheduled job: schedule, next run, last run and its outcome."""
    return jobs.job_list(get_session(), current_user, utcnow(), current_app.config)


@router.get("/admin/jobs/<job_id>", ok=JobHistory, errors=ONE)
def job_runs(job_id: str) -> Any:
    """One job and its latest runs with results and errors."""
    return jobs.job_runs(
        get_session(), current_user, job_id, utcnow(), current_app.config
    )
