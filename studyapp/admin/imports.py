"""管理 › 导入: units and members from CSV/XLSX, from the web.

Upload → a dry run that shows every row (new, changed, unchanged, or its
error) → apply. Each handler parses the form, calls one action of
``orgadmin.actions`` (the JSON API calls the same ones; the command line runs
the same checks), commits if it changed something, and renders.
"""

from __future__ import annotations

import base64

from flask import Blueprint, Response
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import RequestEntityTooLarge

from studyapp.admin.forms import ApplyImportForm, ImportForm
from studyapp.auth.roles import Role
from studyapp.content.payloads import UploadedFile
from studyapp.db import get_session
from studyapp.errors import ValidationFailed
from studyapp.orgadmin import actions
from studyapp.orgadmin.payloads import ImportIn, ImportRejected, ImportReport
from studyapp.orgadmin.template import passwords_csv
from studyapp.timeutil import utcnow
from studyapp.web import render_page, role_required

bp = Blueprint("admin_import", __name__, url_prefix="/admin/import")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: ``attachment`` named 导入模板.xlsx (RFC 5987), with a plain fallback.
TEMPLATE = (
    "attachment; filename=studyapp-import.xlsx; "
    "filename*=UTF-8''%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx"
)


@bp.get("/")
@role_required(Role.ADMIN)
def index() -> ResponseReturnValue:
    """The upload form, the template and how to fill it."""
    return render_page("admin/import.html", form=ImportForm())


@bp.get("/template.xlsx")
@role_required(Role.ADMIN)
def template() -> ResponseReturnValue:
    """The XLSX template with my units filled in and a 说明 sheet."""
    data = actions.import_template(get_session(), current_user, utcnow())
    return Response(data, mimetype=XLSX, headers={"Content-Disposition": TEMPLATE})


@bp.post("/")
@role_required(Role.ADMIN)
def check() -> ResponseReturnValue:
    """The dry run of the uploaded files (staged when nothing is wrong)."""
    form = ImportForm()
    if not form.validate_on_submit():
        return render_page("admin/import.html", form=form, status=400)
    files = [_read(f) for f in form.files.data or [] if f.filename]
    if not files:
        form.files.errors = [_("请选择要导入的文件")]
        return render_page("admin/import.html", form=form, status=400)
    session = get_session()
    report = actions.check_import(
        session, current_user, ImportIn(files=files), utcnow()
    )
    session.commit()  # the staged files, for the apply
    return _report_page(report)


def _read(storage: FileStorage) -> UploadedFile:
    with storage.stream:  # a large upload is a temporary file: close it now
        return UploadedFile(name=storage.filename or "", data=storage.read())


def _report_page(report: ImportReport) -> ResponseReturnValue:
    return render_page("admin/import_report.html", report=report,
                       apply=ApplyImportForm(token=report.token or ""),
                       status=200 if report.ok else 422)  # fmt: skip


@bp.post("/apply")
@role_required(Role.ADMIN)
def apply() -> ResponseReturnValue:
    """Apply a clean dry run, all or nothing; the one page that shows the
    generated initial passwords (and holds them as a file to download)."""
    form, session = ApplyImportForm(), get_session()
    token = form.token.data if form.validate_on_submit() else ""
    try:
        done = actions.apply_import(session, current_user, token or "", utcnow())
    except ImportRejected as rejected:  # the data changed since the dry run
        return _report_page(rejected.report)
    except ValidationFailed as exc:  # expired, already applied, or no token
        return _upload_again(exc.message, 400)
    session.commit()
    file = base64.b64encode(passwords_csv(done.passwords)).decode()
    return render_page("admin/import_done.html", done=done, passwords_file=file)


def _upload_again(message: str, status: int) -> ResponseReturnValue:
    form = ImportForm(formdata=None)  # the request body may be unreadable (413)
    form.files.errors = [message]
    return render_page("admin/import.html", form=form, status=status)


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(_exc: RequestEntityTooLarge) -> ResponseReturnValue:
    return _upload_again(_("文件太大：一次上传最多 20 MB，导入文件最多 5 MB"), 413)
