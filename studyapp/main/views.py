"""Member pages of the bottom navigation that belong to no single domain."""

from __future__ import annotations

from flask import Blueprint, current_app
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from studyapp.auth.roles import Role
from studyapp.timeutil import local, utcnow
from studyapp.web import render_page

bp = Blueprint("main", __name__)


@bp.get("/")
@login_required
def home() -> ResponseReturnValue:
    """首页: greeting, today's date and the way into today's study."""
    return render_page(
        "main/home.html",
        today=local(utcnow()),
        goal_minutes=current_app.config["DAILY_GOAL_MINUTES"],
    )


@bp.get("/quizzes")
@login_required
def quizzes() -> ResponseReturnValue:
    """答题: quizzes open to me now."""
    return render_page("main/quizzes.html")


@bp.get("/me")
@login_required
def me() -> ResponseReturnValue:
    """我的: account, roles, language, password and logout."""
    roles = [(Role(g.role), g.unit) for g in current_user.grants]
    return render_page(
        "main/me.html", roles=roles, languages=current_app.config["LANGUAGES"]
    )
