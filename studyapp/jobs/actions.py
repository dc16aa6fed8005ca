"""What a global admin reads about the scheduler: every job and one job's runs.

``(session, actor, [input,] now, config) -> result``. The jobs are
deployment-wide and a run's summary can name any branch, so only a global
admin reads them. ``config`` is the app's config mapping: the job table and
the schedules' settings come from it (the scheduler reads the same).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from studyapp.auth.actor import Actor
from studyapp.auth.permissions import is_global_admin
from studyapp.errors import Forbidden, NotFound
from studyapp.jobs import runs, status
from studyapp.jobs.payloads import JobHistory, JobList, JobOut, JobRunOut
from studyapp.jobs.registry import find_job, load_jobs


def _global_admin(actor: Actor) -> None:
    if not is_global_admin(actor):  # type: ignore[arg-type]
        raise Forbidden("任务页面只对全局管理员开放")


def job_list(
    session: Session, actor: Actor, now: datetime, config: Mapping[str, Any]
) -> JobList:
    """Every job in table order: schedule, next run, last run (two queries)."""
    _global_admin(actor)
    rows = status.job_rows(session, load_jobs(config), config, now)
    return JobList(
        jobs=[_job(r) for r in rows],
        scheduler_quiet=status.scheduler_quiet(session, now),
    )


def job_runs(
    session: Session,
    actor: Actor,
    job_id: str,
    now: datetime,
    config: Mapping[str, Any],
) -> JobHistory:
    """One job and its latest runs, latest occurrence first; NotFound."""
    _global_admin(actor)
    job = find_job(load_jobs(config), job_id)
    if job is None:
        raise NotFound("没有这个任务")
    row = status.job_rows(session, (job,), config, now)[0]
    history = runs.history(session, job.id)
    return JobHistory(
        job=_job(row), runs=[JobRunOut.model_validate(r) for r in history]
    )


def _job(row: status.JobRow) -> JobOut:
    return JobOut(
        id=row.job.id,
        title=row.job.title or row.job.id,
        schedule=row.schedule,
        next_run=row.next_run,
        last=JobRunOut.model_validate(row.last) if row.last else None,
        failing=row.failing,
    )
