"""The JSON API (SPEC §7): one module per area, each a thin adapter over actions.

``blueprints()`` is what the app factory registers; the document at
``/api/v1/openapi.json`` is generated from the routes' own types (``api.kit``).
"""

from __future__ import annotations

from flask import Blueprint


def blueprints() -> list[Blueprint]:
    """Every API blueprint, in document order."""
    from studyapp.api import (
        account,
        admin,
        admin_import,
        admin_people,
        admin_settings,
        lessons,
        me,
        members,
        meta,
        notifications,
        quiz,
        reports,
        units,
    )

    modules = (meta, me, account, lessons, quiz, reports, units, members,
               notifications, admin, admin_people, admin_import,
               admin_settings)  # fmt: skip
    return [m.router.bp for m in modules]
