"""Database wiring: declarative Base, UTC datetimes, engine and per-context Session."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Annotated, Any

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, mapped_column, sessionmaker
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every engine (SQLite drops tzinfo; we restore it)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


intpk = Annotated[int, mapped_column(primary_key=True)]

#: The largest id a row can have (PostgreSQL ``integer``). Ids from outside (a
#: URL, a query, a body) are checked against it before they reach a query: a
#: bigger one is "not found", never a driver overflow.
MAX_ID = 2**31 - 1


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}


def make_engine(url: str, *, busy_timeout: float = 10) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys and explicit BEGIN modes."""
    if not url.startswith("sqlite"):
        # A database host that drops packets instead of refusing would hang a
        # connect (and the request) until the OS gives up, minutes later: wait
        # as long as SQLite waits for a lock, then answer 503.
        given = "connect_timeout" in url
        wait = {} if given else {"connect_timeout": int(busy_timeout)}
        return create_engine(url, pool_pre_ping=True, connect_args=wait)
    kwargs: dict[str, Any] = {"connect_args": {"timeout": busy_timeout}}
    if url in ("sqlite://", "sqlite:///:memory:"):
        kwargs.update(poolclass=StaticPool)
        kwargs["connect_args"]["check_same_thread"] = False
    engine = create_engine(url, **kwargs)
    _sqlite_pragmas(engine, busy_timeout)
    return engine


def _sqlite_pragmas(engine: Engine, busy_timeout: float) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy emit BEGIN itself (pysqlite's implicit BEGIN is deferred,
        # which makes read-then-write transactions fail or lose updates).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def init_app(app: Flask, info: dict[str, Any] | None = None) -> None:
    """Create the engine and two sessionmakers: reads deferred, writes immediate.

    ``info`` becomes every Session's ``info``: the deployment's defaults that
    domain code reads without Flask (e.g. ``progress.settings.defaults``).
    """
    engine = make_engine(
        app.config["DATABASE_URL"], busy_timeout=app.config["SQLITE_BUSY_TIMEOUT"]
    )
    writer = engine.execution_options(sqlite_begin="IMMEDIATE")
    app.extensions["studyapp.engine"] = engine
    app.extensions["studyapp.sessions"] = {
        False: sessionmaker(engine, expire_on_commit=False, info=info),
        True: sessionmaker(writer, expire_on_commit=False, info=info),
    }
    app.teardown_appcontext(_close_session)


def get_engine() -> Engine:
    """The current app's engine."""
    return current_app.extensions["studyapp.engine"]


#: ``Session.info`` key of the request's client address (read by the audit trail).
CLIENT_ADDRESS = "studyapp.client_address"


def get_session() -> Session:
    """The Session of the current app context, created on first use.

    Requests with an unsafe method, CLI commands and jobs get a writing session
    (``BEGIN IMMEDIATE`` on SQLite, so writers queue instead of failing); GET
    requests get a deferred one. The edge commits; teardown closes (and so
    rolls back anything uncommitted).
    """
    if "db_session" not in g:
        write = not has_request_context() or request.method not in (
            "GET",
            "HEAD",
            "OPTIONS",
        )
        g.db_session = current_app.extensions["studyapp.sessions"][write]()
        if has_request_context():  # audit rows record where a change came from
            g.db_session.info[CLIENT_ADDRESS] = request.remote_addr
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def insert_stmt(session: Session, model: Any) -> Any:
    """An INSERT for ``model`` in the session's dialect, with ON CONFLICT support.

    SQLite and PostgreSQL both take ``.on_conflict_do_nothing(index_elements=…)``
    and ``.on_conflict_do_update(index_elements=…, set_=…)`` (``stmt.excluded``),
    so repeated or concurrent writes are decided by the unique key, not by a
    check-then-insert that races.
    """
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(model)


def insert_ignore(
    session: Session, model: Any, values: dict[str, Any], key: Sequence[str]
) -> bool:
    """Insert one row unless its unique ``key`` exists; True when it was inserted."""
    stmt = (
        insert_stmt(session, model)
        .values(**values)
        .on_conflict_do_nothing(index_elements=list(key))
        .returning(model.__table__.c[key[0]])
    )
    return session.execute(stmt).first() is not None


_AFTER_COMMIT = "studyapp.after_commit"


def after_commit(session: Session, step: Callable[[], None]) -> None:
    """Run ``step`` once the session's current transaction commits; never if it
    rolls back or the session closes first.

    For work outside the database that must follow the data it belongs to
    (e.g. copying published files into the content folder): an action
    registers it, the edge's commit sets it off.
    """
    session.info.setdefault(_AFTER_COMMIT, []).append(step)


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    for step in session.info.pop(_AFTER_COMMIT, []):
        step()


@event.listens_for(Session, "after_transaction_end")
def _drop_after_commit(session: Session, transaction: Any) -> None:
    # A savepoint ending (a preview rolled back) keeps the outer transaction's
    # steps; the outer one ending without a commit drops them.
    if transaction.parent is None:
        session.info.pop(_AFTER_COMMIT, None)
