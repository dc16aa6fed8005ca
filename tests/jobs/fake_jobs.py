"""A test-only job table (``STUDYAPP_JOBS_REGISTRY=tests.jobs.fake_jobs:JOBS``).

``append_tick`` is deliberately NOT idempotent: it appends a row per call, so a
double run of an occurrence shows up as two rows with the same fire key.
"""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta

from sqlalchemy import Column, Integer, MetaData, String, Table, insert
from sqlalchemy.orm import Session

from studyapp.jobs.registry import Job
from studyapp.jobs.triggers import Cron, occurrence_key

metadata = MetaData()

#: One row per execution of a fake job (not per occurrence).
tick = Table(
    "test_job_tick",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("job", String(20)),
    Column("fire", String(40)),
    Column("pid", Integer),
)


def _append(session: Session, job: str, now: datetime) -> str:
    session.execute(
        insert(tick).values(job=job, fire=occurrence_key(now), pid=os.getpid())
    )
    return f"{job} {occurrence_key(now)} by {os.getpid()}"


def append_tick(session: Session, now: datetime) -> str:
    return _append(session, "tick", now)


def append_hourly(session: Session, now: datetime) -> str:
    return _append(session, "hourly", now)


#: How long ``slow_append`` holds its transaction open (a kill lands inside it).
SLOW_SECONDS = 3


def slow_append(session: Session, now: datetime) -> str:
    """Write the row, then take a while before the run commits with it."""
    done = _append(session, "slow", now)
    session.flush()
    time.sleep(SLOW_SECONDS)
    return done


def boom(session: Session, now: datetime) -> str:
    _append(session, "boom", now)  # rolled back with the failure
    raise RuntimeError("boom: the job failed on purpose")


JOBS = (
    Job("tick", f"{__name__}:append_tick", Cron(second="*/2"), "tick"),
    Job(
        "hourly",
        f"{__name__}:append_hourly",
        Cron(minute="0"),
        "hourly",
        catch_up=timedelta(hours=6),
    ),
)

#: Jobs for in-process tests of failures and retries.
FAILING = (Job("boom", f"{__name__}:boom", Cron(minute="0"), "boom"),)

#: One slow hourly job caught up at start (a scheduler killed mid-run).
SLOW = (
    Job(
        "slow",
        f"{__name__}:slow_append",
        Cron(minute="0"),
        "slow",
        catch_up=timedelta(hours=6),
    ),
)
