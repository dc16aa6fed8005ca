"""Jobs: nightly online backups (keep the last BACKUP_KEEP), SQLite and PostgreSQL.

SQLite: SQLite's online backup API on its own connections (the web keeps
running; the job's session is never used, so no transaction is held).
PostgreSQL: ``pg_dump --format=custom`` (a consistent snapshot while the web
keeps writing), when PG_DUMP names the program. Each is written to a ``.part``
file and renamed, so a backup file is always complete. Idempotent: the file is
named after the occurrence (``studyapp-20261122-0300.db`` / ``.dump``) and an
existing one is kept. Each job does nothing on the other engine and says so.
``studyapp restore`` (studyapp/ops/restore.py) brings a file back.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from studyapp.timeutil import local

PREFIX = "studyapp-"
#: Backup file suffix per engine.
SUFFIX = {"sqlite": ".db", "postgresql": ".dump"}


def backup_database(session: Session, now: datetime) -> dict[str, Any] | str:
    """Copy the SQLite database into the backup folder; prune old copies."""
    url = session.get_bind().url
    if url.get_backend_name() != "sqlite":
        return "skipped: not SQLite (PostgreSQL: back up with pg_dump)"
    source = url.database
    if not source or source == ":memory:":
        return "skipped: in-memory database"
    folder = backup_folder()
    target = folder / f"{PREFIX}{local(now):%Y%m%d-%H%M}.db"
    made = not target.exists()
    if made:
        copy_sqlite(Path(source), target)
    removed = prune(folder, int(current_app.config["BACKUP_KEEP"]))
    return {
        "file": target.name,
        "written": made,
        "bytes": target.stat().st_size,
        "removed": removed,
    }


def pg_dump_database(session: Session, now: datetime) -> dict[str, Any] | str:
    """pg_dump the PostgreSQL database into the backup folder; prune old dumps."""
    url = session.get_bind().url
    if url.get_backend_name() != "postgresql":
        return "skipped: not PostgreSQL (SQLite: the backup job)"
    program = current_app.config["PG_DUMP"]
    if not program:
        return "skipped: STUDYAPP_PG_DUMP is not set"
    folder = backup_folder()
    target = folder / f"{PREFIX}{local(now):%Y%m%d-%H%M}{SUFFIX['postgresql']}"
    made = not target.exists()
    if made:
        dump_postgres(url, target, program)
    keep = int(current_app.config["BACKUP_KEEP"])
    removed = prune(folder, keep, SUFFIX["postgresql"])
    return {
        "file": target.name,
        "written": made,
        "bytes": target.stat().st_size,
        "removed": removed,
    }


def backup_folder() -> Path:
    """BACKUP_DIR, or ``backups`` in the instance folder."""
    configured = current_app.config.get("BACKUP_DIR")
    folder = (
        Path(configured) if configured else Path(current_app.instance_path) / "backups"
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def copy_sqlite(source: Path, target: Path) -> None:
    """Online backup of ``source`` into ``target`` (atomic: via a .part file)."""
    part = target.with_name(target.name + ".part")
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(part)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    os.replace(part, target)


def libpq(url: URL) -> tuple[list[str], dict[str, str]]:
    """Command-line options and environment for pg_dump/pg_restore/psql from ``url``.

    The password goes in PGPASSWORD, never on the command line (``ps`` shows it).
    """
    args = []
    if url.host:
        args += ["--host", url.host]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    env = {"PGPASSWORD": url.password} if url.password else {}
    if "sslmode" in url.query:
        env["PGSSLMODE"] = str(url.query["sslmode"])
    return args + ["--dbname", str(url.database)], env


def run_pg_tool(command: list[str], env: dict[str, str]) -> None:
    """Run pg_dump/pg_restore; RuntimeError with its last error lines on failure."""
    try:
        done = subprocess.run(
            command,
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=6 * 3600,
            check=False,
        )
    except FileNotFoundError:
        raise RuntimeError(
            f"{command[0]} not found: install the PostgreSQL client "
            "(postgresql-client) or set STUDYAPP_PG_DUMP to its full path"
        ) from None
    if done.returncode != 0:
        tail = " ".join(done.stderr.strip().splitlines()[-3:])
        raise RuntimeError(
            f"{Path(command[0]).name} failed ({done.returncode}): {tail}"
        )


def dump_postgres(url: URL, target: Path, program: str = "pg_dump") -> None:
    """``pg_dump --format=custom`` of ``url`` into ``target`` (atomic: via .part)."""
    part = target.with_name(target.name + ".part")
    args, env = libpq(url)
    command = [program, "--format=custom", "--no-owner", "--no-privileges"]
    run_pg_tool([*command, f"--file={part}", *args], env)
    os.replace(part, target)


def backup_pattern(dialect: str) -> str:
    """The glob of this engine's backups in the backup folder."""
    return f"{PREFIX}*{SUFFIX.get(dialect, '.db')}"


def prune(folder: Path, keep: int, suffix: str = ".db") -> list[str]:
    """Delete all but the newest ``keep`` backups (names sort by time)."""
    files = sorted(folder.glob(f"{PREFIX}*{suffix}"))
    old = files[: max(len(files) - max(keep, 1), 0)]
    for path in old:
        path.unlink()
    return [p.name for p in old]
