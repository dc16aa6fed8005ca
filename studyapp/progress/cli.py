"""``studyapp progress rebuild``: recompute days, streaks, totals from the ledgers."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

from studyapp.auth.models import User
from studyapp.db import get_session
from studyapp.org.unit_settings import effective
from studyapp.progress.rebuild import rebuild_user
from studyapp.progress.settings import defaults, overlay

cli = AppGroup("progress", help="学习进度 (study progress)")


@cli.command("rebuild")
@click.option("--user", "username", help="Only this account (default: everyone).")
def rebuild_command(username: str | None) -> None:
    """Rebuild DailyActivity and UserStats; report members whose numbers drifted."""
    session = get_session()
    settings = defaults(session)
    stmt = select(User).order_by(User.id)
    if username:
        stmt = stmt.where(User.username == username)
    users = list(session.scalars(stmt))
    if username and not users:
        raise click.ClickException(f"账号 {username} 不存在")
    drifted = []
    with click.progressbar(users, label="重算中", file=sys.stderr) as bar:
        for user in bar:
            mine = overlay(settings, effective(session, user.branch.path))
            if rebuild_user(session, user, mine):
                drifted.append(user.username)
    session.commit()
    click.echo(f"已重算 {len(users)} 名党员；数字有出入并已更正：{len(drifted)} 名")
    for name in drifted[:50]:
        click.echo(f"  {name}")
