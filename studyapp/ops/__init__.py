"""Operations: health and readiness routes, request logs, metrics, doctor, env file."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Wire the operations features into ``app`` (after the extensions)."""
    from studyapp.ops import cli, health, metrics, paths, reqlog

    health.init_app(app)
    reqlog.init_app(app)
    metrics.init_app(app)
    cli.init_app(app)
    missing = paths.missing_catalogs(list(app.config["LANGUAGES"]))
    if missing:
        app.logger.warning(
            "no compiled translations for %s: those users see Chinese "
            "(pybabel compile -d studyapp/translations)",
            ", ".join(missing),
        )
