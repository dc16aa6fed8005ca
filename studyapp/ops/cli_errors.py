"""Turn an exception that escaped a command into one or two lines saying what to do."""

from __future__ import annotations

from collections.abc import Sequence

from alembic.util.exc import CommandError
from flask import Flask
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from studyapp.config import ConfigError

UPGRADE = (
    "数据库还没有建表或版本落后：请先运行 `studyapp db upgrade`。\n"
    "The database is not migrated: run `studyapp db upgrade`."
)
#: DB error texts (SQLite) and SQLSTATEs (PostgreSQL) meaning "schema behind".
MISSING_SCHEMA = ("no such table", "no such column", "has no column named")
MISSING_SCHEMA_CODES = {"42P01", "42703"}  # undefined_table, undefined_column
HINT = "(STUDYAPP_TRACEBACK=1 shows the traceback)"


def explain(exc: BaseException, apps: Sequence[Flask] = ()) -> str:
    """The message for ``exc``: known causes name the fix, others one line + hint."""
    if isinstance(exc, ConfigError):
        return str(exc)
    if isinstance(exc, DBAPIError):
        return _database(exc, _database_url(apps))
    if isinstance(exc, CommandError):
        return f"数据库迁移失败：{exc}\nMigration failed: {exc}"
    if isinstance(exc, OSError) and exc.filename:
        return (
            f"无法访问 {exc.filename}（{exc.strerror}）：检查路径和权限。\n"
            f"Cannot access {exc.filename} ({exc.strerror}): check the path and "
            "its permissions."
        )
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"出错了 Error: {type(exc).__name__}: {first}\n{HINT}"


def _database(exc: DBAPIError, url: str) -> str:
    text = str(exc.orig).lower()
    code = getattr(exc.orig, "sqlstate", None)
    if code in MISSING_SCHEMA_CODES or any(m in text for m in MISSING_SCHEMA):
        return UPGRADE
    if "unable to open database file" in text or "readonly database" in text:
        return (
            f"无法打开或写入 SQLite 数据库 {url}：检查文件和目录的权限，"
            "或设置 STUDYAPP_DATABASE_URL。\n"
            f"Cannot open or write the SQLite database {url}: check the "
            "permissions of the file and its folder."
        )
    if exc.connection_invalidated or "connect" in text:
        return (
            f"无法连接数据库 {url}：检查 STUDYAPP_DATABASE_URL，"
            "以及数据库服务是否在运行。\n"
            f"Cannot connect to the database {url}: check STUDYAPP_DATABASE_URL "
            "and that the server is running."
        )
    first = str(exc.orig).strip().splitlines()[0]
    return f"数据库错误 Database error: {first}\n{HINT}"


def _database_url(apps: Sequence[Flask]) -> str:
    if not apps:
        return "(STUDYAPP_DATABASE_URL)"
    url = make_url(apps[-1].config["DATABASE_URL"])
    return url.render_as_string(hide_password=True)
