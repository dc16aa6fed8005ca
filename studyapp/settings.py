"""The one place app config enters domain code.

The app factory turns the Flask config into each domain's typed settings once,
and every Session carries them in ``Session.info`` (see ``db.init_app``). Domain
code reads them through its own ``defaults(session)`` / ``for_actor(session,
actor)`` and never touches ``current_app``; a Session made outside an app gets
the built-in defaults.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from studyapp import deployment
from studyapp.auth import settings as auth
from studyapp.content import settings as content
from studyapp.org import unit_settings
from studyapp.progress import settings as progress


def session_info(app: Flask) -> dict[str, Any]:
    """Every domain's settings, keyed as each domain reads them back."""
    cfg = app.config
    return {
        progress.INFO_KEY: progress.settings_from(cfg),
        auth.INFO_KEY: auth.settings_from(cfg),
        content.INFO_KEY: content.settings_from(cfg, app.instance_path),
        deployment.INFO_KEY: deployment.Deployment.from_config(cfg),
        unit_settings.INFO_KEY: unit_settings.new_cache(),
    }
