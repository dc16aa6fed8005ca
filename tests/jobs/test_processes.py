"""Real ``studyapp jobs run`` processes against one database (SQLite file, or
PostgreSQL when the suite runs there), with the fake job table: a tick every
2 seconds that appends a row per execution, so a double run would show."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from studyapp.jobs.models import SUCCEEDED, JobRun
from studyapp.jobs.triggers import Cron, latest_fire, occurrence_key
from studyapp.timeutil import utcnow
from tests.jobs import fake_jobs
from tests.jobs.conftest import wait_for

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(sys.executable).parent / "studyapp"


class Scheduler:
    """One ``studyapp jobs run`` process with its log file."""

    def __init__(
        self,
        url: str,
        log: Path,
        *args: str,
        registry: str = "tests.jobs.fake_jobs:JOBS",
    ) -> None:
        env = {
            **os.environ,
            "STUDYAPP_DATABASE_URL": url,
            "STUDYAPP_ENV": "testing",
            "STUDYAPP_SECRET_KEY": "test-secret",
            "STUDYAPP_JOBS_REGISTRY": registry,
            "STUDYAPP_JOBS_STANDBY_RETRY_SECONDS": "0.5",
            "PYTHONPATH": str(ROOT),
        }
        self.log = log
        with log.open("w") as out:
            self.proc = subprocess.Popen(
                [str(SCRIPT), "jobs", "run", *args],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    @property
    def pid(self) -> int:
        return self.proc.pid

    def text(self) -> str:
        return self.log.read_text()

    def stop(self) -> int:
        """SIGTERM, then the exit status (graceful shutdown)."""
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=60)


@pytest.fixture
def start(process_db, tmp_path) -> Iterator:  # type: ignore[no-untyped-def]
    started: list[Scheduler] = []

    def _start(name: str, *args: str, **kw: str) -> Scheduler:
        proc = Scheduler(process_db, tmp_path / f"{name}.log", *args, **kw)
        started.append(proc)
        return proc

    yield _start
    for proc in started:
        if proc.proc.poll() is None:
            proc.proc.kill()
            proc.proc.wait(timeout=30)


@pytest.fixture
def db_rows(process_db):  # type: ignore[no-untyped-def]
    engine = create_engine(process_db)

    def rows(job: str = "tick") -> list[tuple[str, int]]:
        t = fake_jobs.tick
        with engine.connect() as conn:
            stmt = select(t.c.fire, t.c.pid).where(t.c.job == job).order_by(t.c.id)
            return [(fire, pid) for fire, pid in conn.execute(stmt)]

    rows.engine = engine  # type: ignore[attr-defined]
    yield rows
    engine.dispose()


def no_double_runs(rows: list[tuple[str, int]]) -> bool:
    fires = [fire for fire, _ in rows]
    return len(fires) == len(set(fires))


def test_two_schedulers_without_the_lock_still_run_each_occurrence_once(start, db_rows):
    a, b = start("a", "--no-lock"), start("b", "--no-lock")
    wait_for(lambda: len(db_rows()) >= 5, 60, "five ticks")
    assert (a.stop(), b.stop()) == (0, 0)
    ticks = db_rows()
    assert no_double_runs(ticks), ticks
    hourly = db_rows("hourly")  # both processes caught it up; one ran it
    assert hourly and no_double_runs(hourly), hourly
    with Session(db_rows.engine) as s:
        runs = s.scalars(select(JobRun).where(JobRun.job_id == "tick")).all()
    assert sorted(r.occurrence_key for r in runs) == sorted(f for f, _ in ticks)
    assert {r.status for r in runs} == {SUCCEEDED}
    assert "scheduler: stopped" in a.text() and "scheduler: stopped" in b.text()


def test_a_standby_waits_and_takes_over_when_the_leader_is_killed(start, db_rows):
    leader = start("leader")
    wait_for(lambda: leader.pid in {p for _, p in db_rows()}, 60, "the leader")
    standby = start("standby")
    wait_for(lambda: "standing by" in standby.text(), 60, "the standby")
    assert "scheduler: leader" in leader.text()
    leader.proc.kill()  # SIGKILL: no cleanup; the OS / PostgreSQL drop the lock
    leader.proc.wait(timeout=30)
    wait_for(lambda: standby.pid in {p for _, p in db_rows()}, 60, "the takeover")
    assert "scheduler: leader" in standby.text()
    assert standby.stop() == 0
    assert "lock released" in standby.text()
    ticks = db_rows()
    assert no_double_runs(ticks), ticks
    pids = [p for _, p in ticks]
    assert pids[0] == leader.pid and pids[-1] == standby.pid


def test_after_three_hours_down_the_missed_hourly_runs_are_caught_up_once(
    start, db_rows
):
    top = latest_fire(Cron(minute="0").trigger({}), utcnow())
    with Session(db_rows.engine) as s:  # the last run was 3 hours before `top`
        for hours in (3, 4, 5):
            at = top - timedelta(hours=hours)
            s.add(
                JobRun(job_id="hourly", occurrence_key=occurrence_key(at),
                       scheduled_at=at, status=SUCCEEDED, started_at=at,
                       finished_at=at)
            )  # fmt: skip
        s.commit()
    proc = start("restarted")
    wait_for(lambda: db_rows("hourly"), 60, "the catch-up")
    assert proc.stop() == 0
    keys = [fire for fire, _ in db_rows("hourly")]
    missed = {occurrence_key(top - timedelta(hours=h)) for h in (1, 2)}
    assert keys[0] == occurrence_key(top) and not missed & set(keys)
    # (a second key can only be the next hour, if the test crossed it)
    assert keys[1:] in ([], [occurrence_key(top + timedelta(hours=1))])
