"""``studyapp jobs run | list | run-once``: the scheduler process and its ops tools."""

from __future__ import annotations

import logging
import sys
from datetime import datetime

import click
from flask import current_app
from flask.cli import AppGroup

from studyapp.db import get_session
from studyapp.jobs.lock import NoLock, lock_for
from studyapp.jobs.registry import find_job, load_jobs
from studyapp.jobs.runner import FAILED, SKIPPED, execute
from studyapp.jobs.scheduler import run_process
from studyapp.jobs.status import JobRow, job_rows
from studyapp.jobs.triggers import latest_fire
from studyapp.timeutil import local, parse_local, utcnow

cli = AppGroup("jobs", help="定时任务 (the scheduler: run, list, run-once)")


def _setup_logging() -> None:
    """Log to stderr with times, unless the host already configured logging."""
    if not logging.getLogger().handlers:
        logging.basicConfig(
            level=logging.INFO,
            format="%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s",
            stream=sys.stderr,
        )
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


@cli.command("run")
@click.option(
    "--no-lock",
    is_flag=True,
    help="Skip the single-instance guard (testing; runs stay once-only).",
)
def run_command(no_lock: bool) -> None:
    """Run the scheduler (one per deployment; a second one stands by)."""
    _setup_logging()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    jobs = load_jobs(app.config)
    lock = NoLock() if no_lock else lock_for(app)
    sys.exit(run_process(app, jobs, lock))


@cli.command("list")
def list_command() -> None:
    """Every job: schedule, next run, last run and its result or error."""
    jobs = load_jobs(current_app.config)
    for row in job_rows(get_session(), jobs, current_app.config, utcnow()):
        click.echo(_describe(row))


def _describe(row: JobRow) -> str:
    job, run = row.job, row.last
    lines = [f"{job.id}  {row.schedule}  {job.title}", f"  next: {_when(row.next_run)}"]
    if run is None:
        lines.append("  last: —")
        return "\n".join(lines)
    lines.append(
        f"  last: {run.occurrence_key} {run.status} (attempts {run.attempts}, "
        f"finished {_when(run.finished_at)})"
    )
    if run.error:
        lines.append(f"  error: {run.error.splitlines()[-1]}")
    elif run.result is not None:
        lines.append(f"  result: {_text(run.result)}")
    return "\n".join(lines)


def _when(at: datetime | None) -> str:
    return local(at).strftime("%Y-%m-%d %H:%M:%S") if at else "—"


def _text(value: object, limit: int = 200) -> str:
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


@cli.command("run-once")
@click.argument("job_id")
@click.option("--at", "at", help="Run the occurrence due at this time (ISO, Shanghai).")
@click.option("--force", is_flag=True, help="Run again even if it already succeeded.")
def run_once_command(job_id: str, at: str | None, force: bool) -> None:
    """Run the occurrence of JOB_ID due now (or at --at) once, here and now."""
    _setup_logging()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    jobs = load_jobs(app.config)
    job = find_job(jobs, job_id)
    if job is None:
        known = ", ".join(j.id for j in jobs)
        raise click.ClickException(f"没有任务 {job_id}（可用：{known}）")
    trigger = job.schedule.trigger(app.config)
    if trigger is None:
        raise click.ClickException(f"任务 {job_id} 已关闭（见配置）")
    moment = parse_local(at) if at else utcnow()
    fire = latest_fire(trigger, moment)
    if fire is None:
        raise click.ClickException(f"{_when(moment)} 之前没有 {job_id} 的场次")
    outcome = execute(app, job, fire, force=force)
    if outcome.status == SKIPPED:
        click.echo(
            f"{job_id} {outcome.key}: 已运行过或正在运行，跳过（--force 可重跑）"
        )
        return
    if outcome.status == FAILED:
        click.echo(f"{job_id} {outcome.key}: 失败（第 {outcome.attempts} 次）")
        click.echo(outcome.error or "", err=True)
        sys.exit(1)
    click.echo(f"{job_id} {outcome.key}: 完成 {_text(outcome.result, 1000)}")
