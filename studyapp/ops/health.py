"""``/healthz`` (the process answers) and ``/readyz`` (database reachable, at head).

For load balancers and monitors: no login, no CSRF, no rate limit, and no
session cookie (nothing here touches the session).
"""

from __future__ import annotations

from functools import cache

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Blueprint, Flask, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from studyapp.db import get_engine
from studyapp.ops.paths import migrations_dir

bp = Blueprint("ops", __name__)


@cache
def head_revisions() -> tuple[str, ...]:
    """The migration heads this code expects (read once per process)."""
    return tuple(sorted(ScriptDirectory(str(migrations_dir())).get_heads()))


def database_revisions(engine: Engine) -> tuple[str, ...]:
    """The revisions the database is at (empty: never migrated). Raises on no DB."""
    with engine.connect() as conn:
        return tuple(sorted(MigrationContext.configure(conn).get_current_heads()))


def schema_state(engine: Engine) -> tuple[bool, str]:
    """(ready, what): reachable and at head, or why not."""
    try:
        current = database_revisions(engine)
    except SQLAlchemyError as exc:
        return False, f"database unreachable: {type(exc.orig or exc).__name__}"
    heads = head_revisions()
    if current == heads:
        return True, f"at head {','.join(heads)}"
    if not current:
        return False, "not migrated: run `studyapp db upgrade`"
    return (
        False,
        f"at {','.join(current)}, head is {','.join(heads)}: run `studyapp db upgrade`",
    )


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """The process is up (no database access)."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz() -> ResponseReturnValue:
    """Ready for traffic: the database answers and its schema is at head."""
    ready, what = schema_state(get_engine())
    return jsonify(status="ok" if ready else "unavailable", database=what), (
        200 if ready else 503
    )


def init_app(app: Flask) -> None:
    from studyapp.extensions import csrf, limiter

    csrf.exempt(bp)
    limiter.exempt(bp)
    app.register_blueprint(bp)
