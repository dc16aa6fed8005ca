"""``studyapp init``: write a fresh env file (mode 600) for a deployment folder."""

from __future__ import annotations

import os
import secrets
import shutil
from datetime import date
from pathlib import Path

import click

from studyapp.ops.files import open_private
from studyapp.ops.paths import sample_content_dir

PRODUCTION = """\
# StudyApp settings, written by `studyapp init` on {today}.
# Keep this file private (mode 600): it holds the secret key.
# StudyApp reads it as STUDYAPP_CONFIG_FILE, or as .env in the working folder;
# variables set in the environment win. All settings: docs/operations.md.

# production: strict checks and HTTPS-only cookies. Leave it on a server.
STUDYAPP_ENV=production

# Signs logins and forms; generated for you. The same on every app node.
# Changing it logs everybody out.
STUDYAPP_SECRET_KEY={secret}

# The SQLite database, uploads, backups and locks.
STUDYAPP_INSTANCE_PATH={instance}

# The Markdown lessons and question banks (`studyapp content publish`).
STUDYAPP_CONTENT_DIR={content}

# EDIT for PostgreSQL (needed for several app nodes), e.g.
#   postgresql+psycopg://studyapp:PASSWORD@127.0.0.1:5432/studyapp
# Empty: SQLite in the instance folder.
STUDYAPP_DATABASE_URL={database_url}

# Optional: login rate-limit counters in Redis (without it: in the database).
#STUDYAPP_REDIS_URL=redis://127.0.0.1:6379/0

# Reverse proxies in front of gunicorn that set X-Forwarded-For/-Proto:
# 1 = nginx on this machine (docs/operations.md). 0 if clients reach gunicorn
# directly. With HTTPS at nginx and 0 here, every login fails.
STUDYAPP_PROXY_COUNT=1

# HTTPS-only cookies (on in production). Only for a trial over plain http:
#STUDYAPP_COOKIE_SECURE=false

# EDIT for PostgreSQL: the nightly pg_dump backup (03:10) into BACKUP_DIR.
#STUDYAPP_PG_DUMP=pg_dump
#STUDYAPP_BACKUP_DIR={instance}/backups

# Prometheus metrics at /metrics (keep /metrics away from the internet in nginx).
#STUDYAPP_METRICS_ENABLED=true
"""

DEVELOPMENT = """\
# StudyApp on a developer machine, written by `studyapp init --development`
# (`make run` writes it). Not for a server: no secret key, plain-http cookies.
STUDYAPP_ENV=development
"""


def default_env_file(folder: Path) -> Path:
    named = os.environ.get("STUDYAPP_CONFIG_FILE")
    return Path(named) if named else folder / ".env"


def env_text(folder: Path, *, development: bool, database_url: str = "") -> str:
    """The env file for a deployment in ``folder`` (absolute paths, new secret)."""
    if development:
        return DEVELOPMENT
    return PRODUCTION.format(
        today=date.today().isoformat(),
        secret=secrets.token_urlsafe(32),
        instance=folder / "instance",
        content=folder / "content",
        database_url=database_url,
    )


@click.command("init")
@click.option(
    "--folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="The deployment folder (instance/ and content/ go here).",
)
@click.option(
    "--env-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Default: $STUDYAPP_CONFIG_FILE, else FOLDER/.env.",
)
@click.option("--database-url", default="", help="STUDYAPP_DATABASE_URL to write.")
@click.option("--development", is_flag=True, help="A developer machine (make run).")
@click.option(
    "--sample-content",
    is_flag=True,
    help="Copy StudyApp's sample lessons and banks into FOLDER/content.",
)
def init_command(
    folder: Path,
    env_file: Path | None,
    database_url: str,
    development: bool,
    sample_content: bool,
) -> None:
    """Write a fresh env file with a generated secret key (never overwrites one)."""
    folder = folder.expanduser().absolute()
    target = env_file or default_env_file(folder)
    text = env_text(folder, development=development, database_url=database_url)
    try:
        with open_private(target, exclusive=True) as fh:
            fh.write(text)
    except FileExistsError:
        raise click.ClickException(
            f"{target} 已存在，未做任何改动；要重新生成，请先把它移走。\n"
            f"{target} already exists and was left as it is."
        ) from None
    except OSError as exc:
        raise click.ClickException(f"无法写入 {target}：{exc.strerror}") from None
    click.echo(f"已写入 {target}（仅所有者可读写）。Wrote {target} (mode 600).")
    if not development:
        click.echo(
            "请检查标有 EDIT 的设置（数据库、Redis、代理）。Check the EDIT lines."
        )
    if sample_content:
        _copy_sample_content(folder / "content")


def _copy_sample_content(target: Path) -> None:
    if target.exists():
        click.echo(f"{target} 已存在，示例内容未复制。{target} exists: left as it is.")
        return
    shutil.copytree(sample_content_dir(), target)
    click.echo(f"示例内容已复制到 {target}。Sample content copied to {target}.")
