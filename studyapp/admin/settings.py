"""管理 › 设置: what a unit sets for its subtree (daily goal, study-time
tracking, member rankings, reminder hour, points caps).

Each handler parses, calls one action of ``orgadmin.actions`` (the JSON API
calls the same ones), commits if it changed something, and renders.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from studyapp.admin.audit_words import SETTING_LABELS
from studyapp.admin.forms import SettingsForm, settings_input
from studyapp.auth.roles import Role
from studyapp.db import get_session
from studyapp.errors import ValidationFailed
from studyapp.orgadmin import actions
from studyapp.timeutil import utcnow
from studyapp.web import render_page, role_required

bp = Blueprint("admin_settings", __name__, url_prefix="/admin/settings")


@bp.get("/")
@role_required(Role.ADMIN)
def index() -> ResponseReturnValue:
    """The settings of one unit of my subtree (``?unit=CODE``; my own first)."""
    code = request.args.get("unit", "").strip()[:64] or None
    page = actions.unit_settings_page(get_session(), current_user, code, utcnow())
    return render_page("admin/settings.html", page=page, form=SettingsForm(),
                       labels=SETTING_LABELS)  # fmt: skip


@bp.post("/<code>")
@role_required(Role.ADMIN)
def save(code: str) -> ResponseReturnValue:
    """Save the unit's own settings; an empty field follows the unit above."""
    form, session = SettingsForm(), get_session()
    if not form.validate_on_submit():
        return redirect(url_for("admin_settings.index", unit=code))
    try:
        actions.save_unit_settings(session, current_user, code,
                                   settings_input(request.form), utcnow())  # fmt: skip
    except ValidationFailed as exc:
        page = actions.unit_settings_page(session, current_user, code, utcnow())
        return render_page("admin/settings.html", page=page, form=form,
                           labels=SETTING_LABELS, error=exc, status=400)  # fmt: skip
    session.commit()
    flash(_("设置已保存"), "success")
    return redirect(url_for("admin_settings.index", unit=code))
