"""``studyapp user …``: create accounts and reset passwords from the shell."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from pydantic import ValidationError

from studyapp.auth import actions
from studyapp.auth.payloads import PasswordResetIn, PersonIn
from studyapp.auth.roles import ROLE_WORDS
from studyapp.db import get_session
from studyapp.errors import DomainError
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
    try:
        body = PersonIn(username=username, name=name, unit=unit_code,
                        role=ROLE_WORDS[role], exempt_reason=exempt,
                        password=password)  # fmt: skip
        done = actions.create_person(session, None, body, utcnow())
    except (DomainError, ValidationError) as exc:
        raise click.ClickException(_message(exc)) from None
    session.commit()
    click.echo(f"已创建 {done.username}（{done.name}，{done.unit.name}，{role}）")


@cli.command("reset-password")
@click.argument("username")
@click.password_option()
def reset_password_command(username: str, password: str) -> None:
    """Set a new password (the member must change it) and end all their logins."""
    session = get_session()
    try:
        body = PasswordResetIn(username=username, password=password)
        actions.reset_password(session, None, body, utcnow())
    except (DomainError, ValidationError) as exc:
        raise click.ClickException(_message(exc)) from None
    session.commit()
    click.echo(f"已重置 {username} 的密码")


def _message(exc: DomainError | ValidationError) -> str:
    """One line naming the option at fault: ``--unit: 组织编码 X 不存在``."""
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "input"
        return f"--{field}: {first['msg']}"
    return f"--{exc.field}: {exc.message}" if exc.field else exc.message
