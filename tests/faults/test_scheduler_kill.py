"""A real ``studyapp jobs run`` killed (SIGKILL) while a job is inside its
transaction, then started again: the occurrence runs to completion exactly
once, and its JobRun row tells the story (two attempts, succeeded)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from studyapp.jobs.models import JobRun
from studyapp.jobs.runs import RUNNING
from tests.jobs.conftest import wait_for

pytestmark = pytest.mark.slow

SLOW = "tests.jobs.fake_jobs:SLOW"


def _runs(engine) -> list[JobRun]:  # type: ignore[no-untyped-def]
    with Session(engine) as s:
        return list(s.scalars(select(JobRun).where(JobRun.job_id == "slow")))


def test_a_scheduler_killed_mid_job_completes_the_job_once_after_a_restart(
    start, db_rows
):
    first = start("first", registry=SLOW)
    wait_for(lambda: "attempt 1 started" in first.text(), 60, "the slow job")
    first.proc.kill()  # SIGKILL inside the job's transaction
    first.proc.wait(timeout=30)
    assert db_rows("slow") == []  # its uncommitted work went with it
    (killed,) = _runs(db_rows.engine)
    assert (killed.status, killed.attempts) == (RUNNING, 1)

    # Restarted well inside JOBS_STALE_MINUTES (60): the run's process is
    # gone, so the new leader takes it over at once instead of skipping it.
    second = start("second", registry=SLOW)
    wait_for(lambda: any(r.status == "succeeded" for r in _runs(db_rows.engine)),
             30, "the run to finish")  # fmt: skip
    assert second.stop() == 0
    rows = db_rows("slow")
    assert [pid for _, pid in rows] == [second.pid]  # its effect, once
    (run,) = _runs(db_rows.engine)
    assert (run.status, run.attempts) == ("succeeded", 2)
    assert run.occurrence_key == rows[0][0]
    assert "attempt 2 started" in second.text()
