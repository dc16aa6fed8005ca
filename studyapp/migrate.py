"""``studyapp db …`` (Alembic migrations) and ``studyapp backup``."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click
from alembic import command
from alembic.config import Config
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from studyapp.db import get_engine

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"

cli = AppGroup("db", help="数据库迁移 (database migrations, Alembic)")


def alembic_config() -> Config:
    """Alembic config for the current app's database (no alembic.ini needed)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option(
        "file_template",
        "%%(year)d%%(month).2d%%(day).2d_%%(hour).2d%%(minute).2d_%%(rev)s_%%(slug)s",
    )
    cfg.attributes["engine"] = get_engine()
    return cfg


def upgrade(revision: str = "head") -> None:
    """Bring the database schema to ``revision``."""
    command.upgrade(alembic_config(), revision)


@cli.command("upgrade")
@click.argument("revision", default="head")
def upgrade_command(revision: str) -> None:
    """Upgrade the database to REVISION (default: head)."""
    upgrade(revision)
    click.echo(f"数据库已升级到 {revision}")


@cli.command("downgrade")
@click.argument("revision")
def downgrade_command(revision: str) -> None:
    """Downgrade the database to REVISION."""
    command.downgrade(alembic_config(), revision)


@cli.command("current")
def current_command() -> None:
    """Show the current revision."""
    command.current(alembic_config(), verbose=True)


@cli.command("revision")
@click.option("-m", "--message", required=True)
def revision_command(message: str) -> None:
    """Autogenerate a new migration (review it by hand before committing)."""
    command.revision(alembic_config(), message=message, autogenerate=True)


@click.command("backup")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path) -> None:
    """Copy the SQLite database to PATH while the app runs (online backup)."""
    engine = get_engine()
    if engine.dialect.name != "sqlite":
        raise click.ClickException("backup 只用于 SQLite；PostgreSQL 请用 pg_dump")
    source = engine.url.database
    if not source:
        raise click.ClickException("内存数据库无法备份")
    path.parent.mkdir(parents=True, exist_ok=True)
    src, dst = sqlite3.connect(source), sqlite3.connect(path)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    click.echo(f"已备份 {source} → {path}")
    current_app.logger.info("backup written to %s", path)
