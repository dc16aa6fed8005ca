"""Member pages of the bottom navigation that belong to no single domain."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from studyapp import assets
from studyapp.db import get_session
from studyapp.main import actions
from studyapp.progress import actions as progress
from studyapp.progress import charts
from studyapp.timeutil import local, utcnow
from studyapp.web import render_page

bp = Blueprint("main", __name__)

#: Lessons the service worker keeps for reading without a network.
OFFLINE_LESSONS = 12


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


@bp.get("/sw.js")
def service_worker() -> ResponseReturnValue:
    """The service worker (at the root, so its scope is the whole app)."""
    urls, version = assets.shell()
    body = render_template(
        "main/sw.js", version=version, assets=urls, keep=OFFLINE_LESSONS,
        offline_url=url_for("main.offline"),
        static_prefix=f"{current_app.static_url_path}/",
        lesson_pattern="^" + url_for("content.lesson", slug="x")[:-1] + "[^/]+$",
    )  # fmt: skip
    resp = Response(body, mimetype="text/javascript")
    resp.headers["Cache-Control"] = "no-cache"
    return resp


@bp.get("/offline")
def offline() -> ResponseReturnValue:
    """What the service worker shows for a page it cannot fetch or keep."""
    return render_template("main/offline.html")


def _chart(page):  # type: ignore[no-untyped-def]
    t = page.today
    return charts.bar_chart(
        [d.minutes for d in page.days],
        [d.day.strftime("%m-%d") for d in page.days],
        goal=t.target_minutes if t.time_tracking else None,
        highlight=[d.goal_met for d in page.days],
    )
