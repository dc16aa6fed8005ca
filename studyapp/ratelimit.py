"""Login rate limits and the database store their counters live in.

Only failed logins count (a branch meeting of 30 members behind one Wi-Fi all
get in). Failures are counted per username + client address
(``LOGIN_FAILURE_LIMIT``), so guesses from other addresses never lock a member
out, and per address with a higher ceiling (``LOGIN_ADDRESS_FAILURE_LIMIT``).
The web form and ``POST /api/v1/auth/token`` share the counters.

The counters are kept where every worker and node sees them: in Redis when
``REDIS_URL`` is set, else in the ``rate_limit`` table of the app's database
(``studyapp-db://``, the :class:`DatabaseStorage` below), never in one
process's memory.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app, g, has_request_context, request
from flask.wrappers import Response
from flask_limiter.util import get_remote_address
from limits.storage import Storage
from sqlalchemy import Integer, String, case, delete, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from studyapp.db import Base, get_engine

STORAGE_URI = "studyapp-db://"
#: A purge of expired counters runs on about one write in this many.
PURGE_ONE_IN = 200


class RateLimitCounter(Base):
    """One rate-limit counter (fixed window): a key, its hits, when it resets."""

    __tablename__ = "rate_limit"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[datetime]


def _now() -> datetime:
    return datetime.now(UTC)


class DatabaseStorage(Storage):
    """A ``limits`` storage in the app's own database (SQLite or PostgreSQL).

    Each write is one ``INSERT … ON CONFLICT DO UPDATE`` in its own short
    transaction, so concurrent workers never lose a hit. The engine is the
    current app's: the limiter only counts inside requests.
    """

    STORAGE_SCHEME = ["studyapp-db"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False,
                 **options: Any) -> None:  # fmt: skip
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        _release_request_transaction()
        now = _now()
        table = RateLimitCounter.__table__
        expired = table.c.expires_at <= now
        engine = get_engine().execution_options(sqlite_begin="IMMEDIATE")
        with engine.begin() as conn:
            stmt = _insert(conn).values(
                key=key, count=amount, expires_at=now + timedelta(seconds=expiry)
            )
            stmt = stmt.on_conflict_do_update(
                index_elements=["key"],
                set_={
                    "count": case((expired, amount), else_=table.c.count + amount),
                    "expires_at": case(
                        (expired, stmt.excluded.expires_at), else_=table.c.expires_at
                    ),
                },
            ).returning(table.c.count)
            count = conn.execute(stmt).scalar_one()
            if random.randrange(PURGE_ONE_IN) == 0:
                conn.execute(delete(table).where(expired))
        return int(count)

    def _row(self, key: str) -> tuple[int, datetime] | None:
        table = RateLimitCounter.__table__
        query = select(table.c.count, table.c.expires_at).where(
            table.c.key == key, table.c.expires_at > _now()
        )
        with get_engine().connect() as conn:
            row = conn.execute(query).first()
        return (int(row[0]), row[1]) if row else None

    def get(self, key: str) -> int:
        row = self._row(key)
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row[1].timestamp() if row else time.time()

    def check(self) -> bool:
        try:
            with get_engine().connect() as conn:
                conn.execute(select(1))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with get_engine().begin() as conn:
            return conn.execute(delete(RateLimitCounter.__table__)).rowcount

    def clear(self, key: str) -> None:
        table = RateLimitCounter.__table__
        with get_engine().begin() as conn:
            conn.execute(delete(table).where(table.c.key == key))


def _insert(conn: Any) -> Any:
    """An INSERT with ON CONFLICT for the connection's dialect."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(RateLimitCounter)


def _release_request_transaction() -> None:
    """End the request's own open transaction before counting a failure.

    Failures are counted after the view has answered; what it left uncommitted
    would be rolled back at teardown anyway. Ending it now frees SQLite's write
    lock (a POST's session begins IMMEDIATE), which the counter needs.
    """
    if has_request_context():
        session = g.get("db_session")
        if session is not None and session.in_transaction():
            session.rollback()


def storage_uri(redis_url: str) -> str:
    """Redis when configured (shared by every node), else the app's database."""
    return redis_url or STORAGE_URI


def failed(response: Response) -> bool:
    """A login that did not succeed: wrong password or unusable form (web 422,
    API 401). Successful logins never count."""
    return response.status_code in (401, 422)


def _username() -> str:
    if request.is_json:
        data = request.get_json(silent=True)
        name = data.get("username", "") if isinstance(data, dict) else ""
    else:
        name = request.form.get("username", "")
    return str(name).strip().lower()[:100]


def username_address_key() -> str:
    """Failures for this username from this address."""
    return f"{_username()}@{get_remote_address()}"


def login_limits(limiter: Any) -> tuple[Callable[[Any], Any], ...]:
    """The two login limits as decorators, shared by the web form and the API."""
    return (
        limiter.shared_limit(
            lambda: current_app.config["LOGIN_FAILURE_LIMIT"],
            scope="login-user",
            key_func=username_address_key,
            deduct_when=failed,
        ),
        limiter.shared_limit(
            lambda: current_app.config["LOGIN_ADDRESS_FAILURE_LIMIT"],
            scope="login-address",
            key_func=get_remote_address,
            deduct_when=failed,
        ),
    )


def wait_minutes(limiter: Any) -> int:
    """Whole minutes until the breached limit lets this client try again (≥ 1)."""
    limit = limiter.current_limit
    seconds = limit.reset_at - time.time() if limit is not None else 60
    # reset_at is rounded up to whole seconds: a 15-minute window says 15.
    return max(1, math.ceil((seconds - 2) / 60))
