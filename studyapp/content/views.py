"""学习: lesson list and lesson pages for members."""

from __future__ import annotations

from flask import Blueprint
from flask.typing import ResponseReturnValue
from flask_login import login_required

from studyapp.web import render_page

bp = Blueprint("content", __name__)


@bp.get("/lessons")
@login_required
def lessons() -> ResponseReturnValue:
    """Published lessons, newest first."""
    return render_page("content/lessons.html", lessons=[])
