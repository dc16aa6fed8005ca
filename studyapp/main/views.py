"""Member pages of the bottom navigation that belong to no single domain."""

from __future__ import annotations

from flask import Blueprint, current_app
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from studyapp.db import get_session
from studyapp.main import actions
from studyapp.progress import actions as progress
from studyapp.progress import charts
from studyapp.timeutil import local, utcnow
from studyapp.web import render_page

bp = Blueprint("main", __name__)


@bp.get("/")
@login_required
def home() -> ResponseReturnValue:
    """首页: today's goal, streak, points, book and what to do next."""
    now = utcnow()
    page = actions.home(get_session(), current_user, now)
    return render_page("main/home.html", home=page, today=page.today,
                       today_date=local(now))  # fmt: skip


@bp.get("/me")
@login_required
def me() -> ResponseReturnValue:
    """我的: 30 days of study, points, best streak, account and language."""
    page = progress.history(get_session(), current_user, utcnow())
    return render_page("main/me.html", page=page, chart=_chart(page),
                       languages=current_app.config["LANGUAGES"])  # fmt: skip


def _chart(page):  # type: ignore[no-untyped-def]
    t = page.today
    return charts.bar_chart(
        [d.minutes for d in page.days],
        [d.day.strftime("%m-%d") for d in page.days],
        goal=t.target_minutes if t.time_tracking else None,
        highlight=[d.goal_met for d in page.days],
    )
