"""支部 reports: dashboard sections, quiz results, print view, exports, leaderboard.

Each handler parses its arguments, calls one action of ``reports.actions``
(the JSON API calls the same ones), and renders; the actions resolve the unit
from the actor's scope, so fragments and exports go through the same check.
"""

from __future__ import annotations

from flask import Blueprint, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from studyapp.auth.roles import Role
from studyapp.db import get_session
from studyapp.report_pages import export_file, render_report, section_of
from studyapp.reports import actions, tables
from studyapp.reports.payloads import LeaderboardQuery, SectionQuery
from studyapp.timeutil import utcnow
from studyapp.web import render_page, role_required

bp = Blueprint("reports", __name__)

SECTION_NAMES = "today,members,quizzes,items,trends,ranking,branches"


def _query() -> SectionQuery:
    return SectionQuery.model_validate(request.args.to_dict())


@bp.get(f"/units/<code>/<any({SECTION_NAMES}):name>")
@role_required(Role.SECRETARY)
def section(code: str, name: str) -> ResponseReturnValue:
    """One dashboard section of a unit in my scope (a fragment for htmx)."""
    session, query = get_session(), _query()
    report = actions.section(session, current_user, code, name, query, utcnow())
    return render_report(report)


@bp.get("/units/<code>/quizzes/<int:occurrence_id>")
@role_required(Role.SECRETARY)
def quiz_results(code: str, occurrence_id: int) -> ResponseReturnValue:
    """Who took one quiz occurrence, their scores and the pass rate."""
    report = actions.quiz_results(
        get_session(), current_user, code, occurrence_id, utcnow()
    )
    return render_report(report)


@bp.get("/units/<code>/print")
@role_required(Role.SECRETARY)
def print_view(code: str) -> ResponseReturnValue:
    """Every table of the unit on one plain page, for printing."""
    page = actions.print_report(get_session(), current_user, code, _query(), utcnow())
    return render_page("reports/print.html", unit=page.unit, now=page.generated_at,
                       sections=[section_of(r) for r in page.sections])  # fmt: skip


@bp.get("/units/<code>/export/<name>.<any(xlsx,csv):fmt>")
@role_required(Role.SECRETARY)
def export(code: str, name: str, fmt: str) -> ResponseReturnValue:
    """One table as XLSX or CSV: the section's own rows, from the same action."""
    session, query = get_session(), _query()
    report = actions.section(session, current_user, code, name, query, utcnow())
    return export_file(report, fmt)


@bp.get("/leaderboard")
@login_required
def leaderboard() -> ResponseReturnValue:
    """Branch leaderboard of a unit I may compare in (my branch highlighted), and
    my branch's member ranking where it is on."""
    query = LeaderboardQuery.model_validate(request.args.to_dict())
    board = actions.leaderboard(get_session(), current_user, query, utcnow())
    return render_page("reports/leaderboard.html", partial="reports/_leaderboard.html",
                       board=board, labels=tables.period_labels(_),
                       title=_("支部排行"))  # fmt: skip
