"""The single-instance guard of ``studyapp jobs run``: one leader, any standbys.

- SQLite: an exclusive ``fcntl.flock`` on a lock file (by default the database
  file's path plus ``.jobs-lock``, so in the instance folder). The kernel drops
  it when the process dies, however it dies.
- PostgreSQL: a session-level ``pg_try_advisory_lock`` held on a dedicated
  connection (its own engine, no pool). PostgreSQL drops it when that session
  ends, e.g. when the leader's host dies and its connection is closed.
  Transaction-mode pgbouncer cannot hold session locks (PITFALLS #12): point
  ``STUDYAPP_JOBS_LOCK_DATABASE_URL`` at PostgreSQL directly (or a session-mode
  pool). :meth:`AdvisoryLock.healthy` checks ``pg_locks`` for our own backend,
  so a pooler that loses the lock is noticed instead of trusted.
"""

from __future__ import annotations

import fcntl
import logging
import os
from pathlib import Path
from typing import Protocol

from flask import Flask
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

log = logging.getLogger("studyapp.jobs")

#: The advisory lock key: "STUDYJOB" as a positive bigint.
LOCK_KEY = int.from_bytes(b"STUDYJOB", "big")

_HELD = text(
    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' "
    "AND pid = pg_backend_pid() AND granted AND objsubid = 1 "
    "AND ((classid::bigint << 32) | objid::bigint) = :key)"
)


class InstanceLock(Protocol):
    description: str

    def acquire(self) -> bool: ...

    def healthy(self) -> bool: ...

    def release(self) -> None: ...


class FileLock:
    """``flock`` on a file; held while the file descriptor is open."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.description = f"lock file {path}"
        self._fd: int | None = None

    def acquire(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return True

    def healthy(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


class AdvisoryLock:
    """``pg_try_advisory_lock`` on a dedicated autocommit connection."""

    def __init__(self, url: str) -> None:
        self.engine = create_engine(url, poolclass=NullPool)
        self.description = f"PostgreSQL advisory lock {LOCK_KEY}"
        self._conn: Connection | None = None

    def acquire(self) -> bool:
        try:
            conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        except SQLAlchemyError as exc:
            log.warning("scheduler lock: cannot connect: %s", exc.__class__.__name__)
            return False
        try:
            got = conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": LOCK_KEY})
        except SQLAlchemyError:
            conn.close()
            return False
        if not got:
            conn.close()
            return False
        self._conn = conn
        return True

    def healthy(self) -> bool:
        """The dedicated session is alive and really holds the lock."""
        if self._conn is None:
            return False
        try:
            return bool(self._conn.scalar(_HELD, {"key": LOCK_KEY}))
        except SQLAlchemyError:
            return False

    def release(self) -> None:
        if self._conn is not None:
            try:
                self._conn.scalar(
                    text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK_KEY}
                )
                self._conn.close()
            except SQLAlchemyError:
                pass
            self._conn = None
        self.engine.dispose()


class NoLock:
    """``jobs run --no-lock``: no guard (JobRun still runs each occurrence once)."""

    description = "no lock"

    def acquire(self) -> bool:
        return True

    def healthy(self) -> bool:
        return True

    def release(self) -> None:
        pass


def lock_for(app: Flask) -> InstanceLock:
    """The guard that fits the app's database."""
    cfg = app.config
    url = cfg["DATABASE_URL"]
    if url.startswith("postgresql"):
        return AdvisoryLock(cfg["JOBS_LOCK_DATABASE_URL"] or url)
    if cfg["JOBS_LOCK_FILE"]:
        return FileLock(Path(cfg["JOBS_LOCK_FILE"]))
    database = app.extensions["studyapp.engine"].url.database
    if not database or database == ":memory:":
        return FileLock(Path(app.instance_path) / "jobs.lock")
    return FileLock(Path(database + ".jobs-lock"))
