"""Claim, finish and read JobRun rows. Flush, never commit (the runner commits).

The claim is an INSERT that the unique (job_id, occurrence_key) constraint makes
exclusive; taking over an existing row (a retry, a crashed run) is a
compare-and-set UPDATE on its status and attempt count, so two processes can
never both win.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from studyapp.jobs.models import FAILED, RUNNING, SUCCEEDED, JobRun

WORKER = f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True)
class Policy:
    """How often a failing occurrence is tried, and when a run counts as crashed."""

    max_attempts: int = 3
    retry_seconds: float = 60
    stale_after: timedelta = timedelta(minutes=60)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Policy:
        return cls(
            max_attempts=int(config["JOBS_MAX_ATTEMPTS"]),
            retry_seconds=float(config["JOBS_RETRY_SECONDS"]),
            stale_after=timedelta(minutes=float(config["JOBS_STALE_MINUTES"])),
        )

    def retry_at(self, run: JobRun) -> datetime | None:
        """When a failed run may be tried again; None when attempts are used up.

        The wait doubles with each attempt: retry_seconds, 2×, 4×…
        """
        if run.attempts >= self.max_attempts or run.finished_at is None:
            return None
        wait = self.retry_seconds * 2 ** (run.attempts - 1)
        return run.finished_at + timedelta(seconds=wait)


def find(session: Session, job_id: str, key: str) -> JobRun | None:
    stmt = select(JobRun).where(JobRun.job_id == job_id, JobRun.occurrence_key == key)
    return session.scalar(stmt)


def claim(
    session: Session,
    job_id: str,
    key: str,
    scheduled_at: datetime,
    now: datetime,
    policy: Policy,
    *,
    force: bool = False,
) -> JobRun | None:
    """Claim the occurrence for this process, or None when it is not ours to run.

    Ours: no run yet; a failed run whose retry is due (attempts left); a run
    left ``running`` longer than ``stale_after``, or sooner when its process
    is gone from this host (it died mid-job); with
    ``force``, also a finished run (``run-once --force``: the domain functions
    are idempotent). Never a run in progress elsewhere.
    """
    run = find(session, job_id, key)
    if run is None:
        return _insert(session, job_id, key, scheduled_at, now)
    if not _takeable(session, run, now, policy, force):
        return None
    taken = session.execute(
        update(JobRun)
        .where(
            JobRun.id == run.id,
            JobRun.status == run.status,
            JobRun.attempts == run.attempts,
        )
        .values(
            status=RUNNING,
            attempts=run.attempts + 1,
            started_at=now,
            finished_at=None,
            worker=WORKER,
        )
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        return None
    session.refresh(run)
    return run


def _insert(
    session: Session, job_id: str, key: str, scheduled_at: datetime, now: datetime
) -> JobRun | None:
    run = JobRun(
        job_id=job_id,
        occurrence_key=key,
        scheduled_at=scheduled_at,
        status=RUNNING,
        attempts=1,
        started_at=now,
        worker=WORKER,
    )
    try:
        with session.begin_nested():
            session.add(run)
    except IntegrityError:  # another process inserted it first
        return None
    return run


def _takeable(
    session: Session, run: JobRun, now: datetime, policy: Policy, force: bool
) -> bool:
    if run.status == RUNNING:
        if run.started_at + policy.stale_after > now and not _process_gone(run.worker):
            return False
        if run.attempts >= policy.max_attempts and not force:
            _abandon(session, run, now)
            return False
        return True
    if force:
        return True
    if run.status == FAILED:
        due = policy.retry_at(run)
        return due is not None and due <= now
    return False


def _process_gone(worker: str | None) -> bool:
    """The run's process is known to be dead: it ran on this host and no
    process has its pid any more (a scheduler killed mid-job and restarted).
    Another host's process, or a live pid, is waited for (``stale_after``)."""
    host, _, pid = (worker or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # alive, under another user
        return False
    return False


def _abandon(session: Session, run: JobRun, now: datetime) -> None:
    """A crashed last attempt: mark it failed so it shows up as such."""
    run.status, run.finished_at = FAILED, now
    run.error = (run.error or "") + "\n进程中断，已达最多尝试次数（process died）"
    session.flush()


def succeed(session: Session, run: JobRun, result: Any, now: datetime) -> None:
    """Mark the run succeeded with the job's summary (same transaction as its work)."""
    run.status, run.finished_at, run.result, run.error = SUCCEEDED, now, result, None
    session.flush()


def fail(session: Session, run_id: int, error: str, now: datetime) -> JobRun:
    """Mark the run failed with its error (after the work was rolled back)."""
    run = session.get(JobRun, run_id, populate_existing=True)
    assert run is not None
    run.status, run.finished_at, run.error = FAILED, now, error
    session.flush()
    return run


def add_to_result(session: Session, run_id: int, extra: dict[str, Any]) -> None:
    """Merge ``extra`` into the run's summary (outcomes of a ``then`` step)."""
    run = session.get(JobRun, run_id, populate_existing=True)
    if run is None:
        return
    base = run.result if isinstance(run.result, dict) else {"summary": run.result}
    run.result = {**base, **extra}
    session.flush()


def latest_runs(session: Session, job_ids: list[str]) -> dict[str, JobRun]:
    """Each job's latest occurrence that has a run (by scheduled time)."""
    latest = (
        select(JobRun.job_id, func.max(JobRun.scheduled_at).label("at"))
        .where(JobRun.job_id.in_(job_ids))
        .group_by(JobRun.job_id)
        .subquery()
    )
    stmt = select(JobRun).join(
        latest,
        (JobRun.job_id == latest.c.job_id) & (JobRun.scheduled_at == latest.c.at),
    )
    return {run.job_id: run for run in session.scalars(stmt)}


def history(session: Session, job_id: str, limit: int = 50) -> list[JobRun]:
    """The job's runs, latest occurrence first."""
    stmt = (
        select(JobRun)
        .where(JobRun.job_id == job_id)
        .order_by(JobRun.scheduled_at.desc(), JobRun.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


def last_activity(session: Session) -> datetime | None:
    """When any run last started (the scheduler is alive if this is recent)."""
    return session.scalar(select(func.max(JobRun.started_at)))


def prune_runs(session: Session, now: datetime) -> str:
    """Job: delete runs scheduled more than JOBS_KEEP_DAYS ago (idempotent)."""
    keep = int(current_app.config["JOBS_KEEP_DAYS"])
    result = session.execute(
        delete(JobRun).where(JobRun.scheduled_at < now - timedelta(days=keep))
    )
    return f"deleted {result.rowcount or 0} runs older than {keep} days"
