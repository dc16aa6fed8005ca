"""``/api/v1/admin/units/{code}/settings``: what a unit sets for its subtree
(daily goal, study-time tracking, member rankings, reminder hour, points caps).

Admins only, for units of their subtree (another unit is a 404, as an unknown
one). The actions check it; these routes parse, call one action, commit.
"""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from studyapp.api.kit import Router
from studyapp.db import get_session
from studyapp.orgadmin import actions
from studyapp.orgadmin.payloads import UnitSettingsIn, UnitSettingsOut
from studyapp.timeutil import utcnow

router = Router("admin_settings", "admin", "管理: unit settings.")


@router.get("/admin/units/<code>/settings", ok=UnitSettingsOut, errors=(401, 403, 404))
def unit_settings(code: str) -> Any:
    """Each setting for the unit's members: value, where it comes from
    (``unit``, ``inherited`` from ``source``, or ``default``) and the default."""
    return actions.unit_settings_page(get_session(), current_user, code, utcnow())


@router.put("/admin/units/<code>/settings", json=UnitSettingsIn, ok=UnitSettingsOut,
            errors=(400, 401, 403, 404))  # fmt: skip
def save_unit_settings(code: str, json: UnitSettingsIn) -> Any:
    """Set (``set``) or stop setting (``inherit``) the unit's own values;
    audited. 400 naming the key for an unknown key or a value out of range."""
    session = get_session()
    result = actions.save_unit_settings(session, current_user, code, json, utcnow())
    session.commit()
    return result
