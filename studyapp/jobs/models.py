"""JobRun: one occurrence of one scheduled job, claimed once, with its outcome."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from studyapp.db import Base, intpk

#: Run states.
RUNNING, SUCCEEDED, FAILED = "running", "succeeded", "failed"


class JobRun(Base):
    """The record that makes an occurrence run once.

    The unique (job_id, occurrence_key) pair is the claim: whoever inserts the
    row runs the occurrence; a second scheduler, a retry or a catch-up finds it.
    """

    __tablename__ = "job_run"
    __table_args__ = (
        UniqueConstraint("job_id", "occurrence_key"),
        Index("ix_job_run_job_scheduled", "job_id", "scheduled_at"),
    )

    id: Mapped[intpk]
    #: The registry id, e.g. ``reminders``.
    job_id: Mapped[str] = mapped_column(String(64))
    #: The scheduled fire time in Asia/Shanghai, ISO minutes (``2026-11-22T20:00``;
    #: seconds are added only for schedules that fire off the minute).
    occurrence_key: Mapped[str] = mapped_column(String(32))
    #: The same fire time as an instant (UTC); what the job received as ``now``.
    scheduled_at: Mapped[datetime]
    #: running | succeeded | failed
    status: Mapped[str] = mapped_column(String(10), default=RUNNING)
    #: Attempts made so far (the first run is attempt 1).
    attempts: Mapped[int] = mapped_column(default=1)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    #: The job's summary (JSON: a text or an object).
    result: Mapped[Any] = mapped_column(JSON, nullable=True)
    #: The last attempt's error (exception and message), None after a success.
    error: Mapped[str | None] = mapped_column(Text)
    #: ``host:pid`` of the process that made the last attempt.
    worker: Mapped[str] = mapped_column(String(100), default="")
