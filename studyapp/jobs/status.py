"""What the 任务 page and ``jobs list`` show: each job's schedule and last run."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from studyapp.jobs import runs
from studyapp.jobs.models import FAILED, JobRun
from studyapp.jobs.registry import Job
from studyapp.jobs.triggers import next_fire

#: No run started for this long while jobs fire every few minutes: the
#: scheduler process is probably not running.
QUIET = timedelta(minutes=15)


@dataclass(frozen=True)
class JobRow:
    job: Job
    schedule: str
    next_run: datetime | None
    last: JobRun | None

    @property
    def failing(self) -> bool:
        return self.last is not None and self.last.status == FAILED


def job_rows(
    session: Session, jobs: tuple[Job, ...], config: Mapping[str, Any], now: datetime
) -> list[JobRow]:
    """One row per job, in table order (two queries in all)."""
    last = runs.latest_runs(session, [j.id for j in jobs])
    rows = []
    for job in jobs:
        trigger = job.schedule.trigger(config)
        rows.append(
            JobRow(
                job,
                job.schedule.words(config),
                next_fire(trigger, now) if trigger else None,
                last.get(job.id),
            )
        )
    return rows


def scheduler_quiet(session: Session, now: datetime) -> bool:
    """True when no run has started for QUIET (is ``jobs run`` running?)."""
    latest = runs.last_activity(session)
    return latest is None or now - latest > QUIET
