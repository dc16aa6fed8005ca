"""管理 › 内容: upload, check, preview and publish content; withdraw and restore.

Each handler parses the form, calls one action of ``content.actions`` (the JSON
API and the command line call the same ones), commits if it changed something,
and renders.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from studyapp.admin.forms import PublishForm, StatusForm, UploadForm
from studyapp.auth.permissions import is_global_admin
from studyapp.auth.roles import Role
from studyapp.content import actions
from studyapp.content.payloads import CheckFailed, UploadedFile, UploadIn, UploadReport
from studyapp.db import get_session
from studyapp.errors import Forbidden, ValidationFailed
from studyapp.timeutil import utcnow
from studyapp.web import render_page, role_required, send_download

bp = Blueprint("admin_content", __name__, url_prefix="/admin/content")


@bp.before_request
@role_required(Role.ADMIN)
def _global_admins_only() -> None:
    # The actions check this too; here it answers in the UI's language.
    if not is_global_admin(current_user):
        raise Forbidden(_("只有全局管理员可以管理学习内容"))


@bp.get("/")
def index() -> ResponseReturnValue:
    """Published lessons, banks and quizzes with revision and status."""
    overview = actions.content_overview(get_session(), current_user, utcnow())
    return render_page("admin/content.html", overview=overview, form=StatusForm(),
                       upload=UploadForm())  # fmt: skip


@bp.post("/upload")
def upload() -> ResponseReturnValue:
    """Stage the upload, check it with the whole tree, and preview the changes."""
    form = UploadForm()
    if not form.validate_on_submit():
        return render_page("admin/upload.html", upload=form, status=422)
    files = [UploadedFile(name=f.filename, data=f.read())
             for f in form.files.data or () if f.filename]  # fmt: skip
    body = UploadIn(files=files, kind=form.kind.data, bank=form.bank.data,
                    title=form.title.data, lesson=form.lesson.data)  # fmt: skip
    try:
        report = actions.check_upload(get_session(), current_user, body, utcnow())
    except ValidationFailed as exc:  # a bad or hostile file: nothing was kept
        form.files.errors = [exc.message]
        return render_page("admin/upload.html", upload=form, status=400)
    return _report_page(report)


def _report_page(report: UploadReport) -> ResponseReturnValue:
    return render_page("admin/preview.html", report=report,
                       publish=PublishForm(token=report.token),
                       status=200 if report.ok else 422)  # fmt: skip


@bp.post("/publish")
def publish() -> ResponseReturnValue:
    """Publish the staged upload together with the content folder, or nothing."""
    form = PublishForm()
    if not form.validate_on_submit():
        return redirect(url_for("admin_content.index"))
    session = get_session()
    try:
        done = actions.publish_upload(session, current_user, form.token.data, utcnow())
    except CheckFailed as failed:  # the folder changed since the preview
        return _report_page(failed.report)  # type: ignore[arg-type]
    session.commit()
    for line in done.changes.lines:
        flash(line, "success")
    return redirect(url_for("admin_content.index"))


@bp.get("/files/<name>")
def bank_file(name: str) -> ResponseReturnValue:
    """The question-bank template, a filled sample workbook, or a sample paper."""
    found = actions.bank_download(get_session(), current_user, name, utcnow())
    return send_download(found.filename, found.data)


@bp.get("/banks/<slug>.xlsx")
def export_bank(slug: str) -> ResponseReturnValue:
    """A published bank as the template workbook (converts back to the same bank)."""
    found = actions.export_bank(get_session(), current_user, slug, utcnow())
    return send_download(found.filename, found.data)


@bp.post("/<kind>/<slug>/<action>")
def set_status(kind: str, slug: str, action: str) -> ResponseReturnValue:
    """Withdraw an item from members, or restore it."""
    form = StatusForm()
    change = {"withdraw": actions.withdraw, "restore": actions.restore}.get(action)
    if not form.validate_on_submit() or change is None:
        return redirect(url_for("admin_content.index"))
    session = get_session()
    item = change(session, current_user, kind, slug, utcnow())
    session.commit()
    message = _("已撤下：%(t)s") if action == "withdraw" else _("已恢复：%(t)s")
    flash(message % {"t": item.title}, "success")
    return redirect(url_for("admin_content.index"))
