"""``studyapp restore FILE``: bring a backup back into an EMPTY database.

A SQLite backup (``studyapp-….db``) goes into a SQLite database with SQLite's
backup API; a ``pg_dump --format=custom`` archive (``….dump``) into PostgreSQL
with ``pg_restore --single-transaction`` (all or nothing). A database that
already has tables is refused and left untouched: restore into a new one, then
point STUDYAPP_DATABASE_URL at it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, func, inspect, select
from sqlalchemy.orm import Session

from studyapp.jobs.backup import libpq, run_pg_tool

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


class RestoreError(Exception):
    """The restore was refused or failed; nothing was changed (message says why)."""


@dataclass(frozen=True)
class Restored:
    members: int
    attempts: int
    ledger_rows: int


def backup_kind(path: Path) -> str:
    """``sqlite`` or ``postgresql`` from the file's first bytes."""
    with path.open("rb") as fh:
        head = fh.read(16)
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise RestoreError(
        f"{path}: 不是 StudyApp 的备份"
        "（SQLite 数据库或 pg_dump --format=custom 文件）。\n"
        f"{path} is neither a SQLite database nor a pg_dump custom-format archive."
    )


def existing_tables(engine: Engine) -> list[str]:
    return sorted(inspect(engine).get_table_names())


def restore(engine: Engine, source: Path, pg_restore: str = "pg_restore") -> Restored:
    """Restore ``source`` into the empty database of ``engine``; count what is back."""
    kind = backup_kind(source)
    target = engine.dialect.name
    if kind != target:
        raise RestoreError(
            f"{source} 是 {kind} 备份，不能恢复到 {target} 数据库。\n"
            f"{source} is a {kind} backup; the database is {target}."
        )
    tables = existing_tables(engine)
    if tables:
        url = engine.url.render_as_string(hide_password=True)
        shown = ", ".join(tables[:5]) + ("…" if len(tables) > 5 else "")
        raise RestoreError(
            f"数据库 {url} 不是空的（{len(tables)} 张表：{shown}），未做任何改动。"
            "请恢复到一个新建的空数据库。\n"
            f"{url} is not empty ({len(tables)} tables): restore only into an empty "
            "database."
        )
    engine.dispose()
    if kind == "sqlite":
        _restore_sqlite(source, Path(str(engine.url.database)))
    else:
        args, env = libpq(engine.url)
        command = [pg_restore, "--no-owner", "--no-privileges"]
        run_pg_tool(
            [*command, "--single-transaction", "--exit-on-error", *args, str(source)],
            env,
        )
    return counts(engine)


def _restore_sqlite(source: Path, target: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        names = {r[0] for r in src.execute("SELECT name FROM sqlite_master")}
        if "alembic_version" not in names:
            raise RestoreError(
                f"{source}: 不是 StudyApp 数据库（没有 alembic_version 表）。"
            )
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def counts(engine: Engine) -> Restored:
    """Members, quiz attempts and points-ledger rows in the database."""
    from studyapp.auth.models import User
    from studyapp.progress.models import PointsEntry
    from studyapp.quiz.models import Attempt

    with Session(engine) as session:
        return Restored(
            members=session.scalar(select(func.count(User.id))) or 0,
            attempts=session.scalar(select(func.count(Attempt.id))) or 0,
            ledger_rows=session.scalar(select(func.count(PointsEntry.id))) or 0,
        )
