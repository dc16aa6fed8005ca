"""``studyapp db …`` (Alembic migrations), ``studyapp backup`` and ``restore``."""

from __future__ import annotations

from pathlib import Path

import click
from alembic import command
from alembic.config import Config
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from studyapp.db import get_engine
from studyapp.jobs.backup import copy_sqlite, dump_postgres
from studyapp.ops.paths import migrations_dir

cli = AppGroup("db", help="数据库迁移 (database migrations, Alembic)")


def alembic_config() -> Config:
    """Alembic config for the current app's database (no alembic.ini needed)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
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
    """Back the database up to PATH while the app runs (SQLite copy or pg_dump)."""
    engine = get_engine()
    path.parent.mkdir(parents=True, exist_ok=True)
    if engine.dialect.name == "postgresql":
        program = current_app.config["PG_DUMP"] or "pg_dump"
        try:
            dump_postgres(engine.url, path, program)
        except RuntimeError as exc:
            raise click.ClickException(str(exc)) from None
        source = engine.url.render_as_string(hide_password=True)
    else:
        source = engine.url.database
        if not source or source == ":memory:":
            raise click.ClickException("内存数据库无法备份")
        copy_sqlite(Path(source), path)
    click.echo(f"已备份 {source} → {path}")
    current_app.logger.info("backup written to %s", path)


@click.command("restore")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_command(path: Path) -> None:
    """Restore a backup file into the configured database, which must be empty."""
    from studyapp.ops.health import schema_state
    from studyapp.ops.restore import RestoreError, restore

    engine = get_engine()
    pg_restore = _pg_restore(current_app.config["PG_DUMP"])
    try:
        restored = restore(engine, path, pg_restore)
    except (RestoreError, RuntimeError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"已恢复 {path}：党员 {restored.members}，答卷 {restored.attempts}，"
        f"积分记录 {restored.ledger_rows}。"
    )
    ready, what = schema_state(engine)
    if not ready:
        click.echo(f"数据库版本：{what}")


def _pg_restore(pg_dump: str) -> str:
    """pg_restore beside the configured pg_dump (same PostgreSQL version)."""
    if pg_dump and "/" in pg_dump:
        return str(Path(pg_dump).with_name("pg_restore"))
    return "pg_restore"
