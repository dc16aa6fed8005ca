"""``studyapp reports settle``: bring the branch-day rollup up to yesterday."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from studyapp.db import get_session
from studyapp.progress.settlement import settle
from studyapp.timeutil import study_day, utcnow

cli = AppGroup("reports", help="支部统计 (branch reports)")


@cli.command("settle")
@click.option(
    "--rebuild",
    is_flag=True,
    help="Recompute every branch from scratch (after progress rebuild or import).",
)
def settle_command(rebuild: bool) -> None:
    """Settle branch figures through yesterday (idempotent; the nightly job)."""
    session = get_session()
    now = utcnow()
    summary = settle(session, now, study_day(now), rebuild=rebuild)
    session.commit()
    click.echo(str(summary))
