"""Run one occurrence of one job: claim it, call the domain function, record it.

Three short transactions per run, each in a fresh app context's session:

1. claim (JobRun insert, or a compare-and-set takeover) — committed at once, so
   any other scheduler sees it;
2. the work: the domain function and the ``succeeded`` mark commit together (a
   crash in between leaves ``running``, reclaimable after JOBS_STALE_MINUTES (at
   once when its process is gone from this host), and
   the idempotent function then does nothing twice); on error, rollback, then
   the ``failed`` mark with the error in its own commit;
3. the optional ``then`` step (network I/O, outside any transaction), whose
   outcomes are merged into the run's summary. It never fails the run.
"""

from __future__ import annotations

import json
import logging
import traceback
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Flask

from studyapp.db import get_session
from studyapp.jobs import runs
from studyapp.jobs.registry import Job, resolve
from studyapp.jobs.runs import Policy
from studyapp.jobs.triggers import occurrence_key
from studyapp.timeutil import utcnow

log = logging.getLogger("studyapp.jobs")

SUCCEEDED, FAILED, SKIPPED = "succeeded", "failed", "skipped"


@dataclass(frozen=True)
class Outcome:
    """What happened to one occurrence in this process."""

    job_id: str
    key: str
    status: str  #: succeeded | failed | skipped (not ours to run)
    attempts: int = 0
    result: Any = None
    error: str | None = None
    #: When a failed run may be tried again (None: no attempts left).
    retry_at: datetime | None = None


def execute(app: Flask, job: Job, fire: datetime, *, force: bool = False) -> Outcome:
    """Run the occurrence of ``job`` scheduled at ``fire`` unless it is not ours.

    Idempotent: a second call for the same occurrence is skipped once it has
    succeeded (or is running elsewhere); ``force`` reruns a finished occurrence.
    """
    key = occurrence_key(fire)
    with app.app_context():
        session = get_session()
        policy = Policy.from_config(app.config)
        run = runs.claim(session, job.id, key, fire, utcnow(), policy, force=force)
        session.commit()
        if run is None:
            log.info("job %s %s: skipped (done or running elsewhere)", job.id, key)
            return Outcome(job.id, key, SKIPPED)
        return _work(app, job, run.id, run.attempts, fire, key, policy)


def _work(
    app: Flask,
    job: Job,
    run_id: int,
    attempt: int,
    fire: datetime,
    key: str,
    policy: Policy,
) -> Outcome:
    session = get_session()
    log.info("job %s %s: attempt %d started", job.id, key, attempt)
    try:
        result = _jsonable(resolve(job.func)(session, fire))
        run = session.get(runs.JobRun, run_id)
        assert run is not None
        runs.succeed(session, run, result, utcnow())
        session.commit()
    except Exception as exc:  # noqa: BLE001 (a job's failure is recorded, not raised)
        session.rollback()
        error = _error_text(exc)
        run = runs.fail(session, run_id, error, utcnow())
        session.commit()
        retry_at = policy.retry_at(run)
        log.error("job %s %s: attempt %d failed: %s", job.id, key, attempt, error)
        return Outcome(job.id, key, FAILED, attempt, error=error, retry_at=retry_at)
    log.info("job %s %s: succeeded: %s", job.id, key, _short(result))
    if job.then:
        result = _then(job, run_id, fire, key) or result
    return Outcome(job.id, key, SUCCEEDED, attempt, result=result)


def _then(job: Job, run_id: int, fire: datetime, key: str) -> Any:
    """Run the after-commit step; its outcome (or error) joins the summary."""
    assert job.then is not None
    session = get_session()
    try:
        extra = _jsonable(resolve(job.then)(session, fire))
        session.commit()
    except Exception as exc:  # noqa: BLE001
        session.rollback()
        extra = {"then_error": _error_text(exc)}
        log.error("job %s %s: %s failed: %s", job.id, key, job.then, extra)
    else:
        log.info("job %s %s: %s: %s", job.id, key, job.then, _short(extra))
    if not isinstance(extra, dict):
        extra = {"then": extra}
    runs.add_to_result(session, run_id, extra)
    session.commit()
    run = session.get(runs.JobRun, run_id)
    return run.result if run else None


def _jsonable(value: Any) -> Any:
    """A summary as stored: text stays text, anything else goes through JSON."""
    if value is None or isinstance(value, str):
        return value
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def _error_text(exc: BaseException) -> str:
    """The exception line plus the innermost frames (kept short for the page)."""
    lines = traceback.format_exception(exc)
    return "".join(lines[-4:]).strip()[-4000:]


def _short(value: Any, limit: int = 300) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + "…"
