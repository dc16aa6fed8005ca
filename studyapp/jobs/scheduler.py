"""``studyapp jobs run``: the one scheduler process (APScheduler 3, Asia/Shanghai).

Never started inside web workers (PITFALLS #1). The process first takes the
single-instance lock (:mod:`studyapp.jobs.lock`); without it, it stands by and
retries every JOBS_STANDBY_RETRY_SECONDS, and takes over when the leader dies.
As leader it catches up (the latest firing of each job within its ``catch_up``
window runs once if it has no run yet, or a failed run is due a retry), then
runs the cron schedule. SIGTERM/SIGINT stop it gracefully: no new runs start,
running ones finish, the lock is released.
"""

from __future__ import annotations

import logging
import signal
import threading
from datetime import datetime
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from studyapp.jobs.lock import InstanceLock
from studyapp.jobs.registry import Job
from studyapp.jobs.runner import execute
from studyapp.jobs.triggers import latest_fire, occurrence_key
from studyapp.timeutil import APP_TZ, utcnow

log = logging.getLogger("studyapp.jobs")

#: Seconds between checks that the leader still holds its lock.
WATCHDOG_SECONDS = 30
#: Exit status when the lock was lost (a supervisor restarts us as a standby).
LOST_LOCK = 3


def make_scheduler(app: Flask, cls: type[BaseScheduler] = BlockingScheduler) -> Any:
    """An APScheduler with our defaults: coalesce, one instance, misfire grace."""
    return cls(
        timezone=APP_TZ,
        executors={"default": ThreadPoolExecutor(int(app.config["JOBS_WORKERS"]))},
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": int(app.config["JOBS_MISFIRE_GRACE_SECONDS"]),
        },
    )


def catch_up_due(
    app: Flask, jobs: tuple[Job, ...], now: datetime
) -> list[tuple[Job, datetime]]:
    """Each job's latest firing at or before ``now`` within its catch-up window.

    Only the latest: missed firings are coalesced into one run. Whether it
    still has to run is decided by the claim (no run yet, or a retry due).
    """
    due = []
    for job in jobs:
        trigger = job.schedule.trigger(app.config)
        fire = latest_fire(trigger, now) if trigger else None
        if fire is not None and now - fire <= job.catch_up:
            due.append((job, fire))
    return due


class JobScheduler:
    """The job table on an APScheduler; every firing goes through :func:`execute`."""

    def __init__(self, app: Flask, jobs: tuple[Job, ...], scheduler: Any = None):
        self.app = app
        self.jobs = jobs
        self.scheduler = scheduler or make_scheduler(app)

    def add_jobs(self) -> None:
        """Schedule every job whose trigger is on."""
        for job in self.jobs:
            trigger = job.schedule.trigger(self.app.config)
            if trigger is None:
                log.info("job %s: switched off", job.id)
                continue
            self.scheduler.add_job(
                self.fire, trigger, args=[job], id=job.id, name=job.title or job.id
            )

    def catch_up(self, now: datetime) -> None:
        """Queue the catch-up runs in the executor (they run in parallel)."""
        for job, fire in catch_up_due(self.app, self.jobs, now):
            self.submit(job, fire, now)

    def submit(self, job: Job, fire: datetime, at: datetime) -> None:
        """Run one given occurrence at ``at`` (catch-up, retry)."""
        self.scheduler.add_job(
            self.fire,
            "date",
            run_date=at,
            args=[job, fire],
            id=f"{job.id}@{occurrence_key(fire)}",
            replace_existing=True,
            misfire_grace_time=None,
        )

    def fire(self, job: Job, fire: datetime | None = None) -> None:
        """A firing: the occurrence due now (or the given one); retry on failure."""
        try:
            if fire is None:
                trigger = job.schedule.trigger(self.app.config)
                fire = latest_fire(trigger, utcnow()) if trigger else None
                if fire is None:
                    return
            outcome = execute(self.app, job, fire)
        except Exception:  # the database is down, say: log, keep the schedule
            log.exception("job %s: could not run", job.id)
            return
        if outcome.retry_at is not None and self.scheduler.running:
            log.info("job %s %s: retry at %s", job.id, outcome.key, outcome.retry_at)
            self.submit(job, fire, outcome.retry_at)


def run_process(app: Flask, jobs: tuple[Job, ...], lock: InstanceLock) -> int:
    """Stand by until the lock is ours, then lead until stopped; the exit status."""
    stop = threading.Event()
    state: dict[str, Any] = {"scheduler": None, "status": 0}

    def on_signal(signum: int, _frame: Any) -> None:
        log.info("scheduler: signal %s, stopping", signal.Signals(signum).name)
        _stop(stop, state)

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, on_signal)
    if not _wait_for_lock(app, lock, stop):
        return 0
    try:
        return _lead(app, jobs, lock, stop, state)
    finally:
        lock.release()
        log.info("scheduler: lock released")


def _wait_for_lock(app: Flask, lock: InstanceLock, stop: threading.Event) -> bool:
    retry = float(app.config["JOBS_STANDBY_RETRY_SECONDS"])
    told = False
    while not stop.is_set():
        if lock.acquire():
            log.info("scheduler: leader (%s)", lock.description)
            return True
        if not told:
            log.info(
                "scheduler: standing by, another scheduler holds %s; "
                "retrying every %s s",
                lock.description,
                retry,
            )
            told = True
        stop.wait(retry)
    return False


def _lead(
    app: Flask,
    jobs: tuple[Job, ...],
    lock: InstanceLock,
    stop: threading.Event,
    state: dict[str, Any],
) -> int:
    runner = JobScheduler(app, jobs)
    state["scheduler"] = runner.scheduler
    runner.add_jobs()
    runner.scheduler.add_job(
        _watchdog, "interval", seconds=WATCHDOG_SECONDS, args=[lock, stop, state]
    )
    runner.catch_up(utcnow())
    if stop.is_set():  # a signal arrived while we were setting up
        return 0
    runner.scheduler.start()  # blocks until shut down
    thread = state.get("stopper")
    if thread is not None:
        thread.join()
    log.info("scheduler: stopped")
    return int(state["status"])


def _watchdog(lock: InstanceLock, stop: threading.Event, state: dict[str, Any]) -> None:
    """Step down when the lock is gone (e.g. the database restarted); also
    finishes a stop requested while the scheduler was still starting."""
    if not stop.is_set() and not lock.healthy():
        log.error("scheduler: lost %s; stopping", lock.description)
        state["status"] = LOST_LOCK
    if stop.is_set() or state["status"] == LOST_LOCK:
        _stop(stop, state)


_STOPPING = threading.RLock()


def _stop(stop: threading.Event, state: dict[str, Any]) -> None:
    """Shut the scheduler down from a helper thread (never inside a signal handler:
    shutdown waits for running jobs and takes the scheduler's locks)."""
    stop.set()
    with _STOPPING:
        scheduler = state.get("scheduler")
        if scheduler is None or not scheduler.running or "stopper" in state:
            return
        thread = threading.Thread(target=scheduler.shutdown, name="scheduler-stop")
        state["stopper"] = thread
        thread.start()
