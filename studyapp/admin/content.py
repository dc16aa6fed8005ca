"""管理 › 内容: upload, check, preview and publish content; withdraw and restore."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from studyapp.admin.forms import PublishForm, StatusForm, UploadForm
from studyapp.audit.models import record
from studyapp.auth.permissions import is_global_admin
from studyapp.auth.roles import Role
from studyapp.content import publishing, queries, service, uploads
from studyapp.db import get_session
from studyapp.errors import Forbidden
from studyapp.timeutil import utcnow
from studyapp.web import render_page, role_required

bp = Blueprint("admin_content", __name__, url_prefix="/admin/content")


@bp.before_request
@role_required(Role.ADMIN)
def _global_admins_only() -> None:
    # Content is shared by the whole organisation: only a root admin publishes it.
    if not is_global_admin(current_user):
        raise Forbidden(_("只有全局管理员可以管理学习内容"))


def _dirs() -> tuple[Path, Path]:
    content = Path(current_app.config["CONTENT_DIR"])
    return content, Path(current_app.instance_path) / "uploads"


@bp.get("/")
def index() -> ResponseReturnValue:
    """Published lessons, banks and quizzes with revision and status."""
    overview = queries.content_overview(get_session())
    return render_page(
        "admin/content.html",
        now=utcnow(),
        form=StatusForm(),
        upload=UploadForm(),
        **overview,
    )


@bp.post("/upload")
def upload() -> ResponseReturnValue:
    """Stage the upload, check it with the whole tree, and preview the changes."""
    form = UploadForm()
    if not form.validate_on_submit():
        return render_page("admin/upload.html", upload=form, status=422)
    content_dir, staging = _dirs()
    token, stage = uploads.new_stage(staging)
    files = [(f.filename or "", f.read()) for f in form.files.data if f.filename]
    staged = uploads.stage_files(stage, content_dir, files, form.kind.data)
    return _check_and_preview(token, stage, staged)


def _check_and_preview(
    token: str, stage: Path, staged: list[str]
) -> ResponseReturnValue:
    content_dir, _staging = _dirs()
    session = get_session()
    with uploads.merged_tree(content_dir, stage) as root:
        report = uploads.check_merged(root)
        summary = None
        if report.ok:
            summary = publishing.publish_report(
                session, report, content_root=root, scope=[root], now=utcnow()
            )
            session.rollback()  # a preview: nothing is kept
    return render_page(
        "admin/preview.html",
        report=report,
        summary=summary,
        staged=staged,
        publish=PublishForm(token=token),
        status=200 if report.ok else 422,
    )


@bp.post("/publish")
def publish() -> ResponseReturnValue:
    """Publish the staged upload together with the content folder, or nothing."""
    form = PublishForm()
    if not form.validate_on_submit():
        return redirect(url_for("admin_content.index"))
    content_dir, staging = _dirs()
    stage = uploads.stage_dir(staging, form.token.data)
    session = get_session()
    now = utcnow()
    with uploads.merged_tree(content_dir, stage) as root:
        report = uploads.check_merged(root)
        if not report.ok:
            return _check_and_preview(form.token.data, stage, [])
        summary = publishing.publish_report(
            session, report, content_root=root, scope=[root], now=now
        )
    record(
        session,
        action="content.publish",
        at=now,
        actor_id=current_user.id,
        target="web-upload",
        detail={"changes": len(summary.changes)},
    )
    session.commit()
    uploads.apply_stage(stage, content_dir)
    for line in summary.lines():
        flash(line, "success")
    return redirect(url_for("admin_content.index"))


@bp.post("/<kind>/<slug>/<action>")
def set_status(kind: str, slug: str, action: str) -> ResponseReturnValue:
    """Withdraw an item from members, or restore it."""
    form = StatusForm()
    if not form.validate_on_submit() or action not in ("withdraw", "restore"):
        return redirect(url_for("admin_content.index"))
    session = get_session()
    now = utcnow()
    title = service.set_status(
        session, kind, slug, withdrawn=action == "withdraw", now=now
    )
    record(
        session,
        action=f"content.{action}",
        at=now,
        actor_id=current_user.id,
        target=f"{kind}:{slug}",
    )
    session.commit()
    message = _("已撤下：%(t)s") if action == "withdraw" else _("已恢复：%(t)s")
    flash(message % {"t": title}, "success")
    return redirect(url_for("admin_content.index"))
