"""支部 reports: dashboard sections, quiz results, print view, exports, leaderboard.

Every handler resolves the unit from the current user's scope (reports.access),
never from the URL alone; fragments and exports go through the same check.
"""

from __future__ import annotations

from flask import Blueprint, Response, request, url_for
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from studyapp.auth.permissions import can_manage_unit
from studyapp.auth.roles import Role
from studyapp.db import get_session
from studyapp.org.models import OrgUnit
from studyapp.progress.leaderboard import branch_standings, member_ranking
from studyapp.reports import access, sections
from studyapp.reports.export import to_csv, to_xlsx
from studyapp.timeutil import study_day, utcnow
from studyapp.web import render_page, role_required

bp = Blueprint("reports", __name__)

SECTION_NAMES = "today,members,quizzes,items,trends,ranking,branches"
MIMETYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


class RankingCard:
    """The home-page card leading members to the branch leaderboard (no query)."""

    template = "reports/_home_card.html"


@bp.record_once
def _add_home_card(state: BlueprintSetupState) -> None:
    state.app.extensions.setdefault("studyapp.home_cards", []).append(RankingCard)


def render_section(unit: OrgUnit, sec: sections.Section) -> Response:
    """A dashboard section: the whole page, or the section alone for htmx."""
    parent = unit.parent
    if parent is not None and not can_manage_unit(current_user, parent):
        parent = None
    tabs = [
        (name, sections.section_titles()[name],
         url_for("reports.section", code=unit.code, name=name))
        for name in sections.sections_for(unit)
    ]  # fmt: skip
    return render_page(
        "reports/section.html", partial=sec.template, unit=unit, section=sec,
        tabs=tabs, parent=parent, **sec.context,
    )  # fmt: skip


@bp.get(f"/units/<code>/<any({SECTION_NAMES}):name>")
@role_required(Role.SECRETARY)
def section(code: str, name: str) -> ResponseReturnValue:
    """One dashboard section of a unit in my scope (a fragment for htmx)."""
    session = get_session()
    unit = access.report_unit(session, current_user, code)
    return render_section(
        unit, sections.build(name, session, unit, request.args, utcnow())
    )


@bp.get("/units/<code>/quizzes/<int:occurrence_id>")
@role_required(Role.SECRETARY)
def quiz_results(code: str, occurrence_id: int) -> ResponseReturnValue:
    """Who took one quiz occurrence, their scores and the pass rate."""
    session = get_session()
    unit = access.report_branch(session, current_user, code)
    args = {"occurrence": str(occurrence_id)}
    return render_section(unit, sections.build("quiz", session, unit, args, utcnow()))


@bp.get("/units/<code>/print")
@role_required(Role.SECRETARY)
def print_view(code: str) -> ResponseReturnValue:
    """Every table of the unit on one plain page, for printing."""
    session, now = get_session(), utcnow()
    unit = access.report_unit(session, current_user, code)
    names = sections.sections_for(unit)
    built = [sections.build(n, session, unit, request.args, now) for n in names]
    return render_page("reports/print.html", unit=unit, sections=built, now=now)


@bp.get("/units/<code>/export/<name>.<any(xlsx,csv):fmt>")
@role_required(Role.SECRETARY)
def export(code: str, name: str, fmt: str) -> ResponseReturnValue:
    """One table as XLSX or CSV (the same rows as on the page)."""
    session = get_session()
    unit = access.report_unit(session, current_user, code)
    table = sections.build(name, session, unit, request.args, utcnow()).table
    data = to_xlsx(table) if fmt == "xlsx" else to_csv(table)
    resp = Response(data, mimetype=MIMETYPES[fmt])
    resp.headers["Content-Disposition"] = f'attachment; filename="{table.name}.{fmt}"'
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.get("/leaderboard")
@login_required
def leaderboard() -> ResponseReturnValue:
    """Branch leaderboard of a unit I may compare in (my branch highlighted), and
    my branch's member ranking where it is on."""
    session, today = get_session(), study_day(utcnow())
    unit = access.leaderboard_unit(session, current_user, request.args.get("unit"))
    period = sections.period_arg(request.args)
    branch = session.get(OrgUnit, current_user.branch.id)
    members = (
        member_ranking(session, branch.id, period, today)
        if access.can_see_member_ranking(current_user, branch)
        else None
    )
    return render_page(
        "reports/leaderboard.html",
        partial="reports/_leaderboard.html",
        unit=unit,
        period=period,
        rows=branch_standings(session, unit, period, today),
        members=members,
        labels=sections.period_labels(),
        title=_("支部排行"),
    )
