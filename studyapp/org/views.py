"""支部: the secretary's dashboard, a member's page, and the actions on members.

Every handler resolves the unit or member from the current user's scope
(``require_unit`` via reports.access); a URL never widens it.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from studyapp.auth.models import User
from studyapp.auth.permissions import scope_roots
from studyapp.auth.roles import Role
from studyapp.db import get_session
from studyapp.errors import ValidationFailed
from studyapp.notify.service import nudged_today, send_nudge
from studyapp.org import queries, service
from studyapp.org.forms import ExcuseForm, ExemptForm
from studyapp.org.models import UnitKind
from studyapp.progress import charts
from studyapp.progress import queries as progress_queries
from studyapp.progress.settings import defaults
from studyapp.reports import access, actions, sections
from studyapp.reports.queries import day_status
from studyapp.reports.views import render_section
from studyapp.timeutil import month_key, study_day, utcnow
from studyapp.web import is_htmx, render_page, role_required

bp = Blueprint("org", __name__)


@bp.get("/branch")
@role_required(Role.SECRETARY)
def branch() -> ResponseReturnValue:
    """The 支部 tab: my branch's dashboard, or the units my role covers."""
    session = get_session()
    roots = scope_roots(current_user, Role.SECRETARY)
    if len(roots) == 1 and roots[0].kind == UnitKind.BRANCH.value:
        return unit_dashboard(roots[0].code)
    branches = [b for root in roots for b in queries.branches_under(session, root)]
    counts = queries.member_counts(session, branches)
    return render_page(
        "org/branches.html", roots=roots, branches=branches, counts=counts
    )


@bp.get("/units/<code>", endpoint="unit_members")
@role_required(Role.SECRETARY)
def unit_dashboard(code: str) -> ResponseReturnValue:
    """A unit's dashboard: today for a branch, all branches for a higher unit."""
    session = get_session()
    unit = access.report_unit(session, current_user, code)
    first = sections.sections_for(unit)[0]
    return render_section(
        unit, sections.build(first, session, unit, request.args, utcnow())
    )


@bp.post("/units/<code>/member-ranking")
@role_required(Role.SECRETARY)
def toggle_member_ranking(code: str) -> ResponseReturnValue:
    """Let this branch's members see its member ranking (or stop it)."""
    session = get_session()
    unit = access.report_branch(session, current_user, code)
    on = request.form.get("on") == "1"
    service.set_member_ranking(session, unit, on, by=current_user, now=utcnow())
    session.commit()
    flash(_("已允许党员查看本支部排行") if on else _("已关闭党员排行"), "success")
    return redirect(url_for("reports.section", code=code, name="ranking"))


def _member(username: str) -> User:
    """A member whose branch my secretary/admin scope covers (404, 403)."""
    return access.report_member(get_session(), current_user, username)


@bp.get("/members/<username>")
@role_required(Role.SECRETARY)
def member(username: str) -> ResponseReturnValue:
    """A member's last 30 days, streak and book, with excuse and exempt forms."""
    m = _member(username)
    return _member_page(m, ExcuseForm(day=study_day(utcnow())), ExemptForm())


def _member_page(m: User, excuse: ExcuseForm, exempt: ExemptForm, status: int = 200):  # type: ignore[no-untyped-def]
    session, today = get_session(), study_day(utcnow())
    settings = defaults(get_session())
    days = progress_queries.history(session, m.id, today)
    chart = charts.bar_chart(
        [getattr(d, "study_seconds", 0) // 60 for d in days],
        [getattr(d, "study_day", d).strftime("%m-%d") for d in days],
        goal=settings.goal_minutes if settings.tracking else None,
        highlight=[bool(getattr(d, "goal_met", False)) for d in days],
    )
    return render_page(
        "org/member.html",
        status=status,
        member=m,
        chart=chart,
        goal_days=sum(1 for d in days if getattr(d, "goal_met", False)),
        summary=progress_queries.today_summary(
            session, m.id, today, settings.goal_minutes
        ),
        book=progress_queries.month_book(session, m.id, month_key(today)),
        nudged=m.id in nudged_today(session, [m.id], utcnow()),
        excuse_form=excuse,
        exempt_form=exempt,
        excused=progress_queries.excused_days(session, m.id),
    )


@bp.post("/members/<username>/nudge")
@role_required(Role.SECRETARY)
def nudge(username: str) -> ResponseReturnValue:
    """Send a private, friendly reminder (once a day); the row for htmx."""
    m, session, now = _member(username), get_session(), utcnow()
    send_nudge(session, current_user, m, now)
    session.commit()
    if not is_htmx():
        flash(_("已提醒 %(name)s", name=m.name), "success")
        return redirect(url_for("org.unit_members", code=m.branch.code))
    rows = day_status(session, m.branch, study_day(now))
    row = next(r for r in rows if r.user_id == m.id)
    return render_page("reports/_member_row.html", row=row, nudged={m.id})


@bp.post("/members/<username>/excuse")
@role_required(Role.SECRETARY)
def excuse(username: str) -> ResponseReturnValue:
    """Excuse one of the member's days (sick, travel): it keeps the streak."""
    m, session, form = _member(username), get_session(), ExcuseForm()
    if not form.validate_on_submit():
        return _member_page(m, form, ExemptForm(), status=422)
    settings = defaults(get_session())
    try:
        actions.excuse(
            session,
            m,
            form.day.data,
            reason=form.reason.data,
            by=current_user,
            now=utcnow(),
            settings=settings,
        )
    except ValidationFailed as exc:
        getattr(form, exc.field or "reason").errors.append(exc.message)
        return _member_page(m, form, ExemptForm(), status=422)
    session.commit()
    flash(
        _("已为 %(name)s 登记 %(day)s 请假", name=m.name, day=form.day.data), "success"
    )
    return redirect(url_for("org.member", username=username))


@bp.post("/members/<username>/excuse/<day>/withdraw")
@role_required(Role.SECRETARY)
def withdraw_excuse(username: str, day: str) -> ResponseReturnValue:
    """Withdraw an excuse given by mistake."""
    m, session = _member(username), get_session()
    try:
        when = date.fromisoformat(day)
    except ValueError:
        abort(404)
    settings = defaults(get_session())
    actions.withdraw_excuse(
        session, m, when, by=current_user, now=utcnow(), settings=settings
    )
    session.commit()
    flash(_("已撤销 %(name)s %(day)s 的请假", name=m.name, day=day), "success")
    return redirect(url_for("org.member", username=username))


@bp.post("/members/<username>/exempt")
@role_required(Role.SECRETARY)
def exempt(username: str) -> ResponseReturnValue:
    """Mark the member exempt with a reason, or clear it (empty reason)."""
    m, session, form = _member(username), get_session(), ExemptForm()
    if not form.validate_on_submit():
        return _member_page(m, ExcuseForm(), form, status=422)
    service.set_exempt(session, m, form.reason.data, by=current_user, now=utcnow())
    session.commit()
    flash(_("已设为免于统计") if m.is_exempt else _("已恢复参与统计"), "success")
    return redirect(url_for("org.member", username=username))
