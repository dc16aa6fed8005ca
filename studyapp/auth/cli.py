"""``studyapp user …``: create accounts and reset passwords from the shell."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from studyapp.audit.models import record
from studyapp.auth import service
from studyapp.auth.models import User
from studyapp.auth.roles import ROLE_WORDS
from studyapp.db import get_session
from studyapp.errors import DomainError
from studyapp.org.service import unit_by_code
from studyapp.timeutil import utcnow

cli = AppGroup("user", help="账号 (user accounts)")


@cli.command("create")
@click.argument("username")
@click.option("--name", required=True, help="姓名")
@click.option("--unit", "unit_code", required=True, help="所在支部编码 (unit code)")
@click.option("--role", default="member", type=click.Choice(sorted(ROLE_WORDS)))
@click.option("--exempt", default=None, help="免于统计的原因")
@click.password_option(help="Prompted (twice) when omitted.")
def create_command(
    username: str,
    name: str,
    unit_code: str,
    role: str,
    exempt: str | None,
    password: str,
) -> None:
    """Create one account with a role on its own unit."""
    session = get_session()
    unit = unit_by_code(session, unit_code)
    if unit is None:
        raise click.ClickException(f"--unit: 组织编码 {unit_code} 不存在")
    try:
        user = service.create_user(
            session,
            username=username,
            name=name,
            unit=unit,
            password=password,
            now=utcnow(),
            role=ROLE_WORDS[role],
            exempt_reason=exempt,
        )
    except DomainError as exc:
        raise click.ClickException(f"--{exc.field or 'input'}: {exc.message}") from None
    record(session, action="user.create", at=utcnow(), target=f"user:{user.username}")
    session.commit()
    click.echo(f"已创建 {user.username}（{user.name}，{unit.name}，{role}）")


@cli.command("reset-password")
@click.argument("username")
@click.password_option()
def reset_password_command(username: str, password: str) -> None:
    """Set a new password (the member must change it) and end all their logins."""
    session = get_session()
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(f"账号 {username} 不存在")
    try:
        service.set_password(session, user, password)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    user.must_change_password = True
    record(
        session, action="user.reset_password", at=utcnow(), target=f"user:{username}"
    )
    session.commit()
    click.echo(f"已重置 {username} 的密码")
