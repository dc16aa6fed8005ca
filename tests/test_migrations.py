"""Migrations: ``upgrade head`` on an empty database equals the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from studyapp.db import Base
from studyapp.migrate import upgrade
from tests.conftest import make_app


def test_upgrade_head_matches_the_models(empty_database_url, tmp_path):
    app = make_app(empty_database_url, tmp_path)
    with app.app_context():
        upgrade()
        from studyapp.db import get_engine

        with get_engine().connect() as conn:
            diff = compare_metadata(
                MigrationContext.configure(conn, opts={"compare_type": True}),
                Base.metadata,
            )
    assert diff == []


def test_upgrade_is_repeatable(empty_database_url, tmp_path):
    app = make_app(empty_database_url, tmp_path)
    with app.app_context():
        upgrade()
        upgrade()  # already at head: nothing to do, no error
