"""支部: the units a secretary or admin covers, and their members."""

from __future__ import annotations

from flask import Blueprint, abort
from flask.typing import ResponseReturnValue
from flask_login import current_user

from studyapp.auth.permissions import require_unit, scope_roots
from studyapp.auth.roles import Role
from studyapp.db import get_session
from studyapp.org import queries
from studyapp.org.service import unit_by_code
from studyapp.web import render_page, role_required

bp = Blueprint("org", __name__)


@bp.get("/branch")
@role_required(Role.SECRETARY)
def branch() -> ResponseReturnValue:
    """The branches under the units my role covers."""
    session = get_session()
    roots = scope_roots(current_user, Role.SECRETARY)
    branches = [b for root in roots for b in queries.branches_under(session, root)]
    if len(branches) == 1:
        return unit_members(branches[0].code)
    counts = queries.member_counts(session, branches)
    return render_page("org/branches.html", branches=branches, counts=counts)


@bp.get("/units/<code>")
@role_required(Role.SECRETARY)
def unit_members(code: str) -> ResponseReturnValue:
    """Members of one unit in my scope (403 outside it, 404 if unknown)."""
    session = get_session()
    unit = unit_by_code(session, code) or abort(404)
    require_unit(current_user, unit, Role.SECRETARY)
    members = queries.members_of(session, unit)
    return render_page("org/unit.html", unit=unit, members=members)
