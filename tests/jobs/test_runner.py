"""The runner: each occurrence once, bounded retries, crashed runs reclaimed,
catch-up coalesced, and the CLI around it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from studyapp.db import get_session
from studyapp.jobs import runs
from studyapp.jobs.models import FAILED, RUNNING, SUCCEEDED, JobRun
from studyapp.jobs.registry import find_job
from studyapp.jobs.runner import SKIPPED, execute
from studyapp.jobs.scheduler import catch_up_due
from studyapp.timeutil import utcnow
from tests.jobs import fake_jobs
from tests.jobs.conftest import count, ticks

#: A top-of-hour firing: 2026-11-22 10:00 in Shanghai.
T = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
HOURLY = find_job(fake_jobs.JOBS, "hourly")
BOOM = fake_jobs.FAILING[0]


def run_row(app, job_id: str, key: str) -> JobRun:  # type: ignore[no-untyped-def]
    with app.app_context():
        run = runs.find(get_session(), job_id, key)
        assert run is not None
        return run


def test_an_occurrence_runs_once_however_often_it_is_started(jobs_app):
    first = execute(jobs_app, HOURLY, T)
    second = execute(jobs_app, HOURLY, T)
    assert (first.status, second.status) == ("succeeded", SKIPPED)
    assert ticks(jobs_app) == [("hourly", "2026-11-22T10:00", ticks(jobs_app)[0][2])]
    run = run_row(jobs_app, "hourly", "2026-11-22T10:00")
    assert (run.status, run.attempts, run.scheduled_at) == (SUCCEEDED, 1, T)
    assert run.result.startswith("hourly 2026-11-22T10:00")


def test_force_runs_a_finished_occurrence_again(jobs_app):
    # The fake job is not idempotent, so the second row proves it really ran;
    # real jobs are idempotent (test_idempotency), so a forced rerun is safe.
    execute(jobs_app, HOURLY, T)
    again = execute(jobs_app, HOURLY, T, force=True)
    assert again.status == "succeeded" and again.attempts == 2
    assert len(ticks(jobs_app)) == 2


def test_a_failing_run_is_retried_a_bounded_number_of_times_then_stays_failed(
    jobs_app,
):
    jobs_app.config["JOBS_RETRY_SECONDS"] = 0
    outcomes = [execute(jobs_app, BOOM, T) for _ in range(4)]
    assert [o.status for o in outcomes] == ["failed"] * 3 + [SKIPPED]
    assert [o.attempts for o in outcomes[:3]] == [1, 2, 3]
    assert outcomes[0].retry_at is not None and outcomes[2].retry_at is None
    run = run_row(jobs_app, "boom", "2026-11-22T10:00")
    assert (run.status, run.attempts) == (FAILED, 3)
    assert "boom: the job failed on purpose" in run.error
    assert ticks(jobs_app) == []  # the failed work was rolled back


def test_a_retry_waits_for_its_backoff(jobs_app):
    jobs_app.config["JOBS_RETRY_SECONDS"] = 60
    failed = execute(jobs_app, BOOM, T)
    run = run_row(jobs_app, "boom", "2026-11-22T10:00")
    assert failed.retry_at == run.finished_at + timedelta(seconds=60)
    assert execute(jobs_app, BOOM, T).status == SKIPPED


def _left_running(app, started_at: datetime) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        session = get_session()
        session.add(
            JobRun(
                job_id="hourly",
                occurrence_key="2026-11-22T10:00",
                scheduled_at=T,
                status=RUNNING,
                attempts=1,
                started_at=started_at,
                worker="dead-host:1",
            )
        )
        session.commit()


def test_a_run_left_running_by_a_dead_process_is_reclaimed_after_the_timeout(
    jobs_app,
):
    _left_running(jobs_app, utcnow() - timedelta(hours=2))
    outcome = execute(jobs_app, HOURLY, T)
    assert outcome.status == "succeeded" and outcome.attempts == 2
    assert len(ticks(jobs_app)) == 1


def test_a_run_in_progress_elsewhere_is_left_alone(jobs_app):
    _left_running(jobs_app, utcnow() - timedelta(minutes=1))
    assert execute(jobs_app, HOURLY, T).status == SKIPPED
    assert ticks(jobs_app) == []


def test_the_unique_constraint_makes_the_claim_exclusive(jobs_app, monkeypatch):
    execute(jobs_app, HOURLY, T)
    # A second process that looked before the first committed: its INSERT
    # loses on the unique (job_id, occurrence_key) and it does not run.
    monkeypatch.setattr(runs, "find", lambda *a, **k: None)
    with jobs_app.app_context():
        session = get_session()
        policy = runs.Policy()
        key = "2026-11-22T10:00"
        assert runs.claim(session, "hourly", key, T, utcnow(), policy) is None
        session.commit()
    assert count(jobs_app, JobRun) == 1


def _history(app, hours_back: int) -> None:  # type: ignore[no-untyped-def]
    """The hourly job ran until ``hours_back`` hours before T, then the
    scheduler was down."""
    with app.app_context():
        session = get_session()
        for n in range(hours_back, hours_back + 3):
            at = T - timedelta(hours=n)
            session.add(
                JobRun(
                    job_id="hourly",
                    occurrence_key=f"2026-11-22T{10 - n:02d}:00",
                    scheduled_at=at,
                    status=SUCCEEDED,
                    started_at=at,
                    finished_at=at,
                )
            )
        session.commit()


def test_after_three_hours_down_an_hourly_job_is_caught_up_once(jobs_app):
    _history(jobs_app, hours_back=3)  # ran at 07:00; missed 08:00, 09:00, 10:00
    now = T + timedelta(minutes=20)
    due = [(job, fire) for job, fire in catch_up_due(jobs_app, (HOURLY,), now)]
    assert due == [(HOURLY, T)]  # only the latest firing: coalesced
    for job, fire in due:
        execute(jobs_app, job, fire)
    for job, fire in catch_up_due(jobs_app, (HOURLY,), now):  # a second start
        execute(jobs_app, job, fire)
    assert [(j, k) for j, k, _ in ticks(jobs_app)] == [("hourly", "2026-11-22T10:00")]


def test_a_firing_older_than_the_catch_up_window_is_not_caught_up(jobs_app):
    assert catch_up_due(jobs_app, (HOURLY,), T + timedelta(minutes=59))
    late = find_job(fake_jobs.JOBS, "tick")  # catch_up 6 h; fires every 2 s
    assert catch_up_due(jobs_app, (late,), T)
    short = replace(HOURLY, catch_up=timedelta(minutes=30))
    assert catch_up_due(jobs_app, (short,), T + timedelta(minutes=40)) == []


def test_run_once_runs_the_occurrence_due_at_a_time_once(jobs_app, runner):
    args = ["jobs", "run-once", "hourly", "--at", "2026-11-22 10:40"]
    first = runner.invoke(args=args)
    assert first.exit_code == 0, first.output
    assert "2026-11-22T10:00" in first.output and "完成" in first.output
    second = runner.invoke(args=args)
    assert second.exit_code == 0 and "跳过" in second.output
    assert len(ticks(jobs_app)) == 1


def test_run_once_reports_failures_and_unknown_jobs(jobs_app, runner):
    assert runner.invoke(args=["jobs", "run-once", "nope"]).exit_code != 0
    jobs_app.config["JOBS_REGISTRY"] = "tests.jobs.fake_jobs:FAILING"
    failed = runner.invoke(args=["jobs", "run-once", "boom"])
    assert failed.exit_code == 1 and "失败" in failed.output


def test_jobs_list_shows_schedule_last_run_and_error(jobs_app, runner):
    execute(jobs_app, HOURLY, T)
    out = runner.invoke(args=["jobs", "list"]).output
    assert "hourly  每小时第 0 分" in out and "2026-11-22T10:00 succeeded" in out
    assert "tick  每 2 秒" in out and "last: —" in out
    jobs_app.config["JOBS_REGISTRY"] = "tests.jobs.fake_jobs:FAILING"
    execute(jobs_app, BOOM, T)
    out = runner.invoke(args=["jobs", "list"]).output
    assert "failed" in out and "boom: the job failed on purpose" in out
