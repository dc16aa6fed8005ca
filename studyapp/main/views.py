"""Member pages of the bottom navigation that belong to no single domain."""

from __future__ import annotations

from flask import Blueprint, current_app
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from studyapp.auth.roles import Role
from studyapp.db import get_session
from studyapp.progress import charts
from studyapp.progress import queries as progress_queries
from studyapp.timeutil import local, month_key, study_day, utcnow
from studyapp.web import render_page

bp = Blueprint("main", __name__)


def home_cards() -> list[object]:
    """Cards other domains add to the home page (quizzes, reviews)."""
    return [card() for card in current_app.extensions.get("studyapp.home_cards", [])]


@bp.get("/")
@login_required
def home() -> ResponseReturnValue:
    """首页: today's goal, streak, points, book and what to do next."""
    session = get_session()
    now = utcnow()
    today = study_day(now)
    settings = current_app.extensions["studyapp.progress_settings"]
    makeup = progress_queries.active_makeup(session, current_user.id)
    return render_page(
        "main/home.html",
        today_date=local(now),
        today=progress_queries.today_summary(
            session, current_user.id, today, settings.goal_minutes
        ),
        tracking=settings.tracking,
        book=progress_queries.month_book(session, current_user.id, month_key(today)),
        makeup=makeup,
        makeup_days=[]
        if makeup
        else progress_queries.makeup_options(
            session, current_user.id, today, study_day(current_user.created_at)
        ),
        cards=home_cards(),
    )


@bp.get("/me")
@login_required
def me() -> ResponseReturnValue:
    """我的: 30 days of study, points, best streak, account and language."""
    session = get_session()
    today = study_day(utcnow())
    settings = current_app.extensions["studyapp.progress_settings"]
    days = progress_queries.history(session, current_user.id, today)
    minutes = [getattr(d, "study_seconds", 0) // 60 for d in days]
    chart = charts.bar_chart(
        minutes,
        [getattr(d, "study_day", d).strftime("%m-%d") for d in days],
        goal=settings.goal_minutes if settings.tracking else None,
        highlight=[bool(getattr(d, "goal_met", False)) for d in days],
    )
    summary = progress_queries.today_summary(
        session, current_user.id, today, settings.goal_minutes
    )
    return render_page(
        "main/me.html",
        roles=[(Role(g.role), g.unit) for g in current_user.grants],
        languages=current_app.config["LANGUAGES"],
        chart=chart,
        goal_days=sum(1 for d in days if getattr(d, "goal_met", False)),
        summary=summary,
        points=progress_queries.points_history(session, current_user.id),
    )
