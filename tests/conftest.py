"""Shared fixtures: app on a real database, client, CLI runner, session, login."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

import studyapp.models  # noqa: F401  (every table on Base.metadata)
from studyapp import create_app
from studyapp.db import Base, get_engine, get_session

pytest_plugins = ["tests.openapi_check"]

#: ``sqlite://`` (default, in memory) or a PostgreSQL URL for the same suite there.
DATABASE_URL = os.environ.get("STUDYAPP_TEST_DATABASE_URL", "sqlite://")
IS_POSTGRES = DATABASE_URL.startswith("postgresql")
PASSWORD = "correct-horse-1"


def ensure_pg_database(url: str) -> None:
    """Create the PostgreSQL test database if it does not exist."""
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database}
        )
        if not exists:
            conn.exec_driver_sql(f'CREATE DATABASE "{target.database}"')
    admin.dispose()


@pytest.fixture(scope="session")
def _pg_schema() -> str:
    """Create the PostgreSQL test database and schema once per run."""
    ensure_pg_database(DATABASE_URL)
    engine = create_engine(DATABASE_URL)
    Base.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    Base.metadata.create_all(engine)
    engine.dispose()
    return DATABASE_URL


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Any) -> str:
    """The test's database: a fresh SQLite file (WAL, real locking) or PostgreSQL."""
    if IS_POSTGRES:
        return request.getfixturevalue("_pg_schema")
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def empty_database_url(tmp_path: Any) -> str:
    """A database with no tables at all (for migrations and the demo command)."""
    if not IS_POSTGRES:
        return f"sqlite:///{tmp_path / 'migrations.db'}"
    return empty_pg_database("migrations")


def empty_pg_database(suffix: str) -> str:
    """The URL of PostgreSQL database ``<suite's database>_<suffix>`` (named after
    the suite's, so two checkouts can test side by side), created if missing and
    emptied of every table."""
    main = make_url(DATABASE_URL)
    url = main.set(database=f"{main.database}_{suffix}")
    rendered = url.render_as_string(hide_password=False)
    ensure_pg_database(rendered)
    engine = create_engine(rendered)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    return rendered


_APPS: list[Flask] = []


@pytest.fixture(autouse=True)
def _fresh_process_caches() -> Iterator[None]:
    """Each test starts with empty per-process caches (content facts, quiz
    definitions, login snapshots): its database is not the last test's."""
    from studyapp import cache
    from studyapp.login import forget_actors

    cache.forget("content")
    cache.forget("org")
    forget_actors()
    yield


@pytest.fixture(autouse=True)
def _dispose_engines() -> Iterator[None]:
    """Close every pooled connection of the apps a test created."""
    yield
    while _APPS:
        _APPS.pop().extensions["studyapp.engine"].dispose()


def make_app(database_url: str, tmp_path: Any, **overrides: Any) -> Flask:
    """A StudyApp for tests; its engine is disposed after the test."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": database_url,
        "RATELIMIT_ENABLED": False,
        "CONTENT_DIR": str(tmp_path / "content"),
        **overrides,
    }
    app = create_app(config)
    _APPS.append(app)
    return app


@pytest.fixture
def app(database_url: str, tmp_path: Any) -> Iterator[Flask]:
    app = make_app(database_url, tmp_path)
    with app.app_context():
        engine = get_engine()
        if not IS_POSTGRES:
            Base.metadata.create_all(engine)
    yield app
    with app.app_context():
        engine = get_engine()
        if IS_POSTGRES:
            tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
            with engine.begin() as conn:
                conn.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):  # type: ignore[no-untyped-def]
    return app.test_cli_runner()


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    """A Session in a pushed app context. Do not use the client while holding it:
    use ``db_session`` blocks (see STYLE §2.4) for view tests."""
    with app.app_context():
        yield get_session()


@pytest.fixture
def db(app: Flask):  # type: ignore[no-untyped-def]
    """``with db() as s:`` a short app context with a session, committed on exit."""
    from contextlib import contextmanager

    @contextmanager
    def _block() -> Iterator[Session]:
        with app.app_context():
            s = get_session()
            yield s
            s.commit()

    return _block


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|"X-CSRFToken": "([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "page has no CSRF token"
    return match.group(1) or match.group(2)


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    return csrf_from(client.get(path).get_data(as_text=True))


def login(client: FlaskClient, username: str, password: str = PASSWORD, **extra: Any):  # type: ignore[no-untyped-def]
    token = csrf_token(client)
    data = {"username": username, "password": password, "csrf_token": token, **extra}
    return client.post("/login", data=data)


@pytest.fixture
def login_as(client: FlaskClient):  # type: ignore[no-untyped-def]
    def _login(username: str, password: str = PASSWORD) -> FlaskClient:
        resp = login(client, username, password)
        assert resp.status_code == 302, resp.get_data(as_text=True)
        return client

    return _login


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing() -> Iterator[None]:
    """Argon2id with tiny cost parameters: same code path, test-suite speed."""
    from argon2 import PasswordHasher

    from studyapp.auth import service

    original = service._hasher
    service._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    service._DUMMY_HASH = service._hasher.hash("not-a-real-password")
    yield
    service._hasher = original
