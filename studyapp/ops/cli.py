"""``studyapp doctor``: check a deployment, one line per check."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from studyapp.ops import doctor


@click.command("doctor")
@click.option(
    "--url",
    "urls",
    multiple=True,
    help="Also ask a running node (e.g. http://127.0.0.1:8000) whether it is ready.",
)
@click.option("--workers", type=int, default=None, help="gunicorn workers per node.")
@with_appcontext
def doctor_command(urls: tuple[str, ...], workers: int | None) -> None:
    """Check database, secret, cookies, Redis, scheduler, backups and disk."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    results = doctor.run_checks(app, urls=list(urls), workers=workers)
    for result in results:
        click.echo(result.line())
    failed = [r for r in results if r.status == doctor.FAIL]
    if failed:
        click.echo(f"{len(failed)} 项失败 / {len(failed)} failed", err=True)
        sys.exit(1)


def init_app(app: Flask) -> None:
    from studyapp.migrate import restore_command

    app.cli.add_command(doctor_command)
    app.cli.add_command(restore_command)
