"""管理: units and people in the admin's scope, and the audit trail."""

from __future__ import annotations

from flask import Blueprint
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from studyapp.audit.models import AuditEvent
from studyapp.auth.permissions import is_global_admin, units_in_scope
from studyapp.auth.roles import Role
from studyapp.db import get_session
from studyapp.org import queries
from studyapp.web import render_page, role_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/")
@role_required(Role.ADMIN)
def index() -> ResponseReturnValue:
    """The unit tree I administer, with member counts."""
    session = get_session()
    units = units_in_scope(session, current_user, Role.ADMIN)
    counts = queries.member_counts(session, units)
    return render_page(
        "admin/index.html",
        units=units,
        counts=counts,
        is_global=is_global_admin(current_user),
    )


@bp.get("/audit")
@role_required(Role.ADMIN)
def audit() -> ResponseReturnValue:
    """The latest administrative actions (global admins see all; others their own)."""
    session = get_session()
    stmt = select(AuditEvent).order_by(AuditEvent.at.desc()).limit(200)
    if not is_global_admin(current_user):
        stmt = stmt.where(AuditEvent.actor_id == current_user.id)
    return render_page("admin/audit.html", events=list(session.scalars(stmt)))
