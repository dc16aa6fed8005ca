"""任务: the scheduler's jobs and runs (global admins); a branch's group robot.

The 任务 pages are for global admins only: the jobs are deployment-wide, and a
run's summary or error can name any branch. The robot form is for whoever's
secretary scope covers the branch (``require_unit``), with CSRF like every form.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from studyapp.auth.permissions import is_global_admin
from studyapp.auth.roles import Role
from studyapp.db import get_session
from studyapp.errors import Forbidden, ValidationFailed
from studyapp.jobs import actions
from studyapp.jobs.forms import RobotForm
from studyapp.notify import actions as notify
from studyapp.notify.payloads import RobotIn
from studyapp.timeutil import utcnow
from studyapp.web import render_page, role_required

bp = Blueprint("jobs", __name__)


def _global_admin() -> None:
    # The actions check this too; here it answers in the UI's language.
    if not is_global_admin(current_user):
        raise Forbidden(_("任务页面只对全局管理员开放"))


@bp.get("/admin/jobs")
@role_required(Role.ADMIN)
def index() -> ResponseReturnValue:
    """Every job: schedule, next run, last run with its result or error."""
    _global_admin()
    jobs = actions.job_list(get_session(), current_user, utcnow(), current_app.config)
    return render_page("jobs/index.html", jobs=jobs)


@bp.get("/admin/jobs/<job_id>")
@role_required(Role.ADMIN)
def job_runs(job_id: str) -> ResponseReturnValue:
    """One job's recent runs, latest first, with results and errors."""
    _global_admin()
    history = actions.job_runs(get_session(), current_user, job_id, utcnow(),
                               current_app.config)  # fmt: skip
    return render_page("jobs/runs.html", history=history)


@bp.get("/branch/<code>/webhook")
@role_required(Role.SECRETARY)
def webhook(code: str) -> ResponseReturnValue:
    """The branch's group-robot settings."""
    robot = notify.robot(get_session(), current_user, code, utcnow())
    form = RobotForm(data={"webhook_url": robot.url, "webhook_kind": robot.kind,
                           "webhook_show_names": robot.show_names})  # fmt: skip
    return render_page("jobs/robot.html", unit=robot, form=form)


@bp.post("/branch/<code>/webhook")
@role_required(Role.SECRETARY)
def webhook_submit(code: str) -> ResponseReturnValue:
    """Save (or remove, with an empty address) the branch's group robot."""
    session, form = get_session(), RobotForm()
    robot = notify.robot(session, current_user, code, utcnow())
    if form.validate_on_submit():
        body = RobotIn(url=form.webhook_url.data or None, kind=form.webhook_kind.data,
                       show_names=form.webhook_show_names.data)  # fmt: skip
        try:
            robot = notify.save_robot(session, current_user, code, body, utcnow())
        except ValidationFailed as exc:
            form.webhook_url.errors = [exc.message]
        else:
            session.commit()
            saved = _("群机器人设置已保存") if robot.url else _("已停用群机器人")
            flash(saved, "success")
            return redirect(url_for("jobs.webhook", code=code))
    return render_page("jobs/robot.html", unit=robot, form=form, status=422)
