"""StudyApp: a mobile-first study platform for party branches."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Create and configure the StudyApp Flask application."""
    from studyapp import config, db, extensions, models, web  # noqa: F401

    app = Flask(__name__, instance_relative_config=True)
    config.load(app, test_config)
    from studyapp import settings

    db.init_app(app, info=settings.session_info(app))
    extensions.init_app(app)
    web.init_app(app)

    from studyapp import api
    from studyapp.admin import content as admin_content
    from studyapp.admin import imports as admin_import
    from studyapp.admin import people as admin_people
    from studyapp.admin import settings as admin_settings
    from studyapp.admin import units as admin_units
    from studyapp.admin import views as admin_views
    from studyapp.auth import views as auth_views
    from studyapp.content import views as content_views
    from studyapp.jobs import views as jobs_views
    from studyapp.main import views as main_views
    from studyapp.notify import views as notify_views
    from studyapp.org import views as org_views
    from studyapp.progress import views as progress_views
    from studyapp.quiz import views as quiz_views
    from studyapp.reports import views as reports_views

    blueprints = (
        auth_views.bp,
        main_views.bp,
        content_views.bp,
        progress_views.bp,
        quiz_views.bp,
        org_views.bp,
        reports_views.bp,
        notify_views.bp,
        admin_views.bp,
        admin_content.bp,
        admin_units.bp,
        admin_people.bp,
        admin_import.bp,
        admin_settings.bp,
        jobs_views.bp,
        *api.blueprints(),
    )
    for bp in blueprints:
        app.register_blueprint(bp)

    from studyapp import demo, migrate
    from studyapp.auth import cli as auth_cli
    from studyapp.content import cli as content_cli
    from studyapp.jobs import cli as jobs_cli
    from studyapp.org import cli as org_cli
    from studyapp.progress import cli as progress_cli
    from studyapp.reports import cli as reports_cli

    for group in (
        migrate.cli,
        org_cli.cli,
        auth_cli.cli,
        content_cli.cli,
        progress_cli.cli,
        reports_cli.cli,
        jobs_cli.cli,
    ):
        app.cli.add_command(group)
    app.cli.add_command(demo.demo_command)
    app.cli.add_command(migrate.backup_command)

    from studyapp import ops

    ops.init_app(app)  # health, request log, metrics, doctor, restore (studyapp/ops)
    return app
