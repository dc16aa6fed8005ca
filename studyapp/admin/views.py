"""管理: units and people in the admin's scope, and the audit trail."""

from __future__ import annotations

from flask import Blueprint, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from studyapp.admin import audit_words
from studyapp.audit import actions as audit_actions
from studyapp.audit.payloads import AuditQuery
from studyapp.auth import queries as people
from studyapp.auth.permissions import is_global_admin, units_in_scope
from studyapp.auth.roles import Role
from studyapp.db import get_session
from studyapp.timeutil import utcnow
from studyapp.web import render_page, role_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/")
@role_required(Role.ADMIN)
def index() -> ResponseReturnValue:
    """The unit tree I administer, with member counts."""
    session = get_session()
    units = units_in_scope(session, current_user, Role.ADMIN)
    counts = people.member_counts(session, units)
    return render_page(
        "admin/index.html",
        units=units,
        counts=counts,
        is_global=is_global_admin(current_user),
    )


@bp.get("/audit")
@role_required(Role.ADMIN)
def audit() -> ResponseReturnValue:
    """Administrative actions, newest first, filtered (global admins see all;
    others their own); htmx swaps just the entries."""
    query = AuditQuery.model_validate(_args(*AuditQuery.model_fields))
    page = audit_actions.audit_log(get_session(), current_user, query, utcnow())
    args = query.model_dump(exclude={"page"}, exclude_none=True)
    return render_page("admin/audit.html", partial="admin/_audit_entries.html",
                       page=page, describe=audit_words.describe, args=args)  # fmt: skip


def _args(*names: str) -> dict[str, str]:
    """Query arguments that are present and not empty (a bad one is a 400
    naming it, from the model)."""
    return {n: v.strip() for n in names if (v := request.args.get(n, "")).strip()}
