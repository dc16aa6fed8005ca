"""Typed results of the 任务 pages: each job's schedule and runs."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)


class JobRunOut(Model):
    """One occurrence of a job and its outcome."""

    id: int
    #: The scheduled time in Asia/Shanghai, ``2026-11-22T20:00``.
    occurrence_key: str
    scheduled_at: datetime
    #: running | succeeded | failed
    status: str
    attempts: int
    started_at: datetime
    finished_at: datetime | None
    #: ``host:pid`` of the process that made the last attempt.
    worker: str
    #: The job's summary (a text or an object); None while running or failed.
    result: Any = None
    #: The last attempt's error with its traceback; None after a success.
    error: str | None

    @property
    def result_text(self) -> str | None:
        """The summary as readable text (Chinese kept, not \\u-escaped)."""
        if self.result is None or isinstance(self.result, str):
            return self.result
        return json.dumps(self.result, ensure_ascii=False, indent=1)

    @property
    def error_line(self) -> str | None:
        """The error's last line: the exception and its message."""
        return self.error.splitlines()[-1] if self.error else None


class JobOut(Model):
    id: str
    title: str
    #: The schedule in words (``每天 00:05``), in Asia/Shanghai.
    schedule: str
    #: None when the job is switched off (e.g. REMINDER_AT empty).
    next_run: datetime | None
    last: JobRunOut | None
    failing: bool


class JobList(Model):
    jobs: list[JobOut]
    #: No run started for 15 minutes: is ``studyapp jobs run`` running?
    scheduler_quiet: bool


class JobHistory(Model):
    job: JobOut
    #: Latest occurrence first (at most 50).
    runs: list[JobRunOut]
