"""管理 › 测验: quiz definitions with their occurrences; close one early or extend
it; the results of an occurrence (by member and branch), its XLSX export and a
printable 成绩单 per member.

Each handler parses the form or query, calls one action of ``quiz.actions`` (the
JSON API in ``api/admin_quizzes.py`` calls the same ones), commits if it changed
something, and renders.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from studyapp.admin.forms import CloseForm, ExtendForm
from studyapp.auth.roles import Role
from studyapp.db import get_session
from studyapp.errors import ValidationFailed
from studyapp.quiz import actions
from studyapp.quiz.payloads import ExtendIn, OccurrencePageQuery, ResultsQuery
from studyapp.timeutil import APP_TZ, utcnow
from studyapp.web import render_page, role_required, send_download

bp = Blueprint("admin_quizzes", __name__, url_prefix="/admin/quizzes")


@bp.before_request
@role_required(Role.ADMIN)
def _admins_only() -> None:
    """Admins only; each action narrows to the admin's subtree."""


@bp.get("/")
def index() -> ResponseReturnValue:
    """Every quiz I can see with its latest occurrences and their figures."""
    listing = actions.quiz_admin_list(get_session(), current_user, utcnow())
    return render_page("admin/quizzes.html", listing=listing, close=CloseForm())


@bp.get("/<slug>")
def quiz(slug: str) -> ResponseReturnValue:
    """One quiz with a page of its occurrences, and the forms to run them."""
    query = OccurrencePageQuery(page=request.args.get("page", 1, type=int))
    page = actions.quiz_admin_page(get_session(), current_user, slug, query, utcnow())
    return render_page("admin/quiz.html", page=page, close=CloseForm(),
                       extend=ExtendForm())  # fmt: skip


@bp.post("/occurrences/<int:occurrence_id>/close")
def close(occurrence_id: int) -> ResponseReturnValue:
    """Close an occurrence now (open answer sheets are handed in)."""
    if not CloseForm().validate_on_submit():
        return redirect(url_for("admin_quizzes.index"))
    session = get_session()
    done = actions.close_occurrence(session, current_user, occurrence_id, utcnow())
    session.commit()
    flash(_("已关闭：%(t)s", t=done.occurrence.title), "success")
    return redirect(url_for("admin_quizzes.quiz", slug=done.quiz_id))


@bp.post("/occurrences/<int:occurrence_id>/extend")
def extend(occurrence_id: int) -> ResponseReturnValue:
    """Move an occurrence's closing time later (Beijing time in the form)."""
    form = ExtendForm()
    if not form.validate_on_submit():
        raise ValidationFailed(_("请填写新的截止时间"), field="closes_at")
    body = ExtendIn(closes_at=form.closes_at.data.replace(tzinfo=APP_TZ))
    session = get_session()
    done = actions.extend_occurrence(session, current_user, occurrence_id, body,
                                     utcnow())  # fmt: skip
    session.commit()
    flash(_("已延长：%(t)s", t=done.occurrence.title), "success")
    return redirect(url_for("admin_quizzes.quiz", slug=done.quiz_id))


@bp.get("/occurrences/<int:occurrence_id>/results")
def results(occurrence_id: int) -> ResponseReturnValue:
    """Scores of my members, pass rate per branch, the weakest questions."""
    query = ResultsQuery.model_validate(_args(*ResultsQuery.model_fields))
    found = actions.occurrence_results(get_session(), current_user, occurrence_id,
                                       query, utcnow())  # fmt: skip
    return render_page("admin/quiz_results.html", results=found, query=query)


@bp.get("/occurrences/<int:occurrence_id>/results.xlsx")
def results_xlsx(occurrence_id: int) -> ResponseReturnValue:
    """Every member's score (all pages) as a spreadsheet."""
    found = actions.results_export(get_session(), current_user, occurrence_id,
                                   utcnow())  # fmt: skip
    return send_download(found.filename, found.data)


@bp.get("/occurrences/<int:occurrence_id>/members/<username>")
def score_sheet(occurrence_id: int, username: str) -> ResponseReturnValue:
    """A printable 成绩单 of one member."""
    sheet = actions.score_sheet(get_session(), current_user, occurrence_id, username,
                                utcnow())  # fmt: skip
    return render_page("admin/score_sheet.html", sheet=sheet)


@bp.get("/occurrences/<int:occurrence_id>/branches/<code>")
def branch_sheet(occurrence_id: int, code: str) -> ResponseReturnValue:
    """A printable 成绩单 of one branch (every member, one page)."""
    sheet = actions.branch_sheet(get_session(), current_user, occurrence_id, code,
                                 utcnow())  # fmt: skip
    return render_page("admin/branch_sheet.html", sheet=sheet)


def _args(*names: str) -> dict[str, str]:
    return {n: v.strip() for n in names if (v := request.args.get(n, "")).strip()}
