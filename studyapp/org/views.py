"""支部: the units my role covers, a unit's dashboard, a member's page, and the
actions on members.

Each handler parses the form, calls one action (``org.actions`` for changes,
``reports.actions`` for what is shown, ``notify.actions`` for nudges; the JSON
API calls the same ones), commits if it changed something, and renders. The
actions resolve the unit or member from the actor's scope.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from studyapp.auth.roles import Role
from studyapp.db import get_session
from studyapp.errors import ValidationFailed
from studyapp.notify import actions as notify
from studyapp.org import actions
from studyapp.org.forms import ExcuseForm, ExemptForm
from studyapp.org.payloads import ExcuseIn, ExemptIn, MemberRankingIn
from studyapp.progress import charts
from studyapp.report_pages import render_report
from studyapp.reports import actions as reports
from studyapp.reports.payloads import MemberReport
from studyapp.timeutil import study_day, utcnow
from studyapp.web import is_htmx, render_page, role_required

bp = Blueprint("org", __name__)


@bp.get("/branch")
@role_required(Role.SECRETARY)
def branch() -> ResponseReturnValue:
    """The 支部 tab: my branch's dashboard, or the units my role covers."""
    only = actions.only_branch(current_user)
    if only:
        return unit_members(only)
    units = actions.my_units(get_session(), current_user, utcnow())
    return render_page("org/branches.html", units=units)


@bp.get("/units/<code>")
@role_required(Role.SECRETARY)
def unit_members(code: str) -> ResponseReturnValue:
    """A unit's dashboard: today for a branch, all branches for a higher unit."""
    return render_report(reports.dashboard(get_session(), current_user, code, utcnow()))


@bp.post("/units/<code>/member-ranking")
@role_required(Role.SECRETARY)
def toggle_member_ranking(code: str) -> ResponseReturnValue:
    """Let this branch's members see its member ranking (or stop it)."""
    session, body = get_session(), MemberRankingIn(on=request.form.get("on") == "1")
    done = actions.set_member_ranking(session, current_user, code, body, utcnow())
    session.commit()
    flash(_("已允许党员查看本支部排行") if done.on else _("已关闭党员排行"), "success")
    return redirect(url_for("reports.section", code=code, name="ranking"))


@bp.get("/members/<username>")
@role_required(Role.SECRETARY)
def member(username: str) -> ResponseReturnValue:
    """A member's last 30 days, streak and book, with excuse and exempt forms."""
    return _member_page(username, ExcuseForm(day=study_day(utcnow())), ExemptForm())


def _member_page(username: str, excuse: ExcuseForm, exempt: ExemptForm,
                 status: int = 200) -> ResponseReturnValue:  # fmt: skip
    page = reports.member(get_session(), current_user, username, utcnow())
    return render_page("org/member.html", status=status, member=page,
                       chart=_chart(page), excuse_form=excuse,
                       exempt_form=exempt)  # fmt: skip


def _chart(page: MemberReport):  # type: ignore[no-untyped-def]
    t = page.today
    return charts.bar_chart(
        [d.minutes for d in page.days],
        [d.day.strftime("%m-%d") for d in page.days],
        goal=t.target_minutes if t.time_tracking else None,
        highlight=[d.goal_met for d in page.days],
    )


@bp.post("/members/<username>/nudge")
@role_required(Role.SECRETARY)
def nudge(username: str) -> ResponseReturnValue:
    """Send a private, friendly reminder (once a day); the row for htmx."""
    session = get_session()
    done = notify.nudge(session, current_user, username, utcnow())
    session.commit()
    if is_htmx():
        return render_page("reports/_member_row.html", row=done.row)
    flash(_("已提醒 %(name)s", name=done.row.name), "success")
    return redirect(url_for("org.unit_members", code=done.branch))


@bp.post("/members/<username>/excuse")
@role_required(Role.SECRETARY)
def excuse(username: str) -> ResponseReturnValue:
    """Excuse one of the member's days (sick, travel): it keeps the streak."""
    form, session = ExcuseForm(), get_session()
    if not form.validate_on_submit():
        return _member_page(username, form, ExemptForm(), status=422)
    body = ExcuseIn(day=form.day.data, reason=form.reason.data)
    try:
        done = actions.excuse(session, current_user, username, body, utcnow())
    except ValidationFailed as exc:
        getattr(form, exc.field or "reason").errors.append(exc.message)
        return _member_page(username, form, ExemptForm(), status=422)
    session.commit()
    flash(_("已为 %(name)s 登记 %(day)s 请假", name=done.name, day=done.day), "success")
    return redirect(url_for("org.member", username=username))


@bp.post("/members/<username>/excuse/<day>/withdraw")
@role_required(Role.SECRETARY)
def withdraw_excuse(username: str, day: str) -> ResponseReturnValue:
    """Withdraw an excuse given by mistake."""
    try:
        when = date.fromisoformat(day)
    except ValueError:
        abort(404)
    session = get_session()
    done = actions.withdraw_excuse(session, current_user, username, when, utcnow())
    session.commit()
    flash(_("已撤销 %(name)s %(day)s 的请假", name=done.name, day=day), "success")
    return redirect(url_for("org.member", username=username))


@bp.post("/members/<username>/exempt")
@role_required(Role.SECRETARY)
def exempt(username: str) -> ResponseReturnValue:
    """Mark the member exempt with a reason, or clear it (empty reason)."""
    form, session = ExemptForm(), get_session()
    if not form.validate_on_submit():
        return _member_page(username, ExcuseForm(), form, status=422)
    body = ExemptIn(reason=form.reason.data)
    done = actions.set_exempt(session, current_user, username, body, utcnow())
    session.commit()
    flash(_("已设为免于统计") if done.exempt else _("已恢复参与统计"), "success")
    return redirect(url_for("org.member", username=username))
