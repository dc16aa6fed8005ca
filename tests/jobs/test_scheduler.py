"""The scheduler in-process: a slow robot never holds up the other jobs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import select

from studyapp.db import get_session
from studyapp.jobs.models import SUCCEEDED, JobRun
from studyapp.jobs.registry import JOBS, Job, find_job
from studyapp.jobs.scheduler import JobScheduler, make_scheduler
from studyapp.jobs.triggers import Cron
from studyapp.org.models import OrgUnit
from studyapp.timeutil import utcnow
from tests.jobs.conftest import wait_for

FIRE = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
TICK = Job("tick", "tests.jobs.fake_jobs:append_tick", Cron(second="*"), "tick")

pytestmark = pytest.mark.slow


def _runs(app, job_id: str) -> list[JobRun]:  # type: ignore[no-untyped-def]
    with app.app_context():
        stmt = select(JobRun).where(JobRun.job_id == job_id)
        return list(get_session().scalars(stmt))


def test_a_hanging_robot_never_holds_up_the_other_jobs(
    jobs_app, world, db, robot_factory
):
    robot = robot_factory("hang")
    robot.hang_seconds = 5  # each try times out after 1 s; three tries
    jobs_app.config["WEBHOOK_BACKOFF_SECONDS"] = 0.5  # ~3.5 s of retrying
    with db() as s:
        unit = s.scalar(select(OrgUnit).where(OrgUnit.code == "A"))
        unit.webhook_url, unit.webhook_kind = robot.url, "wecom"
    runner = JobScheduler(
        jobs_app, (TICK,), make_scheduler(jobs_app, BackgroundScheduler)
    )
    runner.add_jobs()
    runner.scheduler.start()
    try:
        runner.submit(find_job(JOBS, "reminders"), FIRE, utcnow())
        wait_for(
            lambda: [
                r
                for r in _runs(jobs_app, "reminders")
                if "webhooks" in (r.result or {})
            ],
            what="the reminders run and its robot step",
        )
    finally:
        runner.scheduler.shutdown(wait=True)
    [run] = _runs(jobs_app, "reminders")
    assert run.status == SUCCEEDED
    assert run.result["webhooks"]["A"].startswith("failed after 3 tries")
    first, last = robot.times[0], robot.times[-1]
    during = [
        r
        for r in _runs(jobs_app, "tick")
        if first <= r.started_at.timestamp() <= last and r.status == SUCCEEDED
    ]
    # Ticks kept running (and committing) while the robot was being retried:
    # another worker thread, and no database transaction held during HTTP.
    assert during
