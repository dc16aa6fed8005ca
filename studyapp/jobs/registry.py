"""The job table: what runs when (Asia/Shanghai). A table, not logic.

Each entry points to a module-level domain function ``(session, now) -> summary``
(a text or a JSON-able dict). ``now`` is the occurrence's scheduled time, so a
late, repeated or caught-up run does the same thing. The runner claims each
occurrence once (JobRun), commits after the function, and records the summary;
the functions are idempotent as well (STYLE rule 12).

``then`` names an edge step run after the job's transaction committed, for
network I/O that must not hold a database transaction open (group robots).
``catch_up``: on start, the latest firing no older than this that has no run is
run once (coalesced: after 3 hours down, an hourly job runs once, not three
times).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from studyapp.jobs.triggers import Cron


@dataclass(frozen=True)
class Job:
    #: Stable id, used by ``jobs run-once`` and stored on every JobRun.
    id: str
    #: ``module:function`` of the domain function ``(session, now) -> summary``.
    func: str
    schedule: Cron
    #: What it does, for the 任务 page.
    title: str = ""
    catch_up: timedelta = timedelta(hours=6)
    #: ``module:function`` ``(session, now) -> dict`` run after the commit.
    then: str | None = None


JOBS: tuple[Job, ...] = (
    Job(
        "publish-content",
        "studyapp.content.actions:record_published",
        Cron(minute="*/5"),
        "定时发布的课文上线：记录并通知",
        timedelta(days=1),
    ),
    Job(
        "quiz-open",
        "studyapp.quiz.jobs:open_occurrences",
        Cron(minute="*/5"),
        "开放每周、专题测验和考试的场次",
        timedelta(days=1),
    ),
    Job(
        "quiz-close",
        "studyapp.quiz.jobs:close_attempts",
        Cron(minute="*/5"),
        "到时未交的答卷自动交卷评分",
        timedelta(days=1),
    ),
    Job(
        "settle",
        "studyapp.progress.settlement:settle_due",
        Cron(minute="5", hour="0"),
        "午夜后结算前一天的支部数据",
        timedelta(days=1),
    ),
    Job(
        "reminders",
        "studyapp.notify.actions:send_reminders",
        Cron(at_setting="REMINDER_AT", hourly=True),
        "学习提醒（站内消息和支部群机器人）",
        timedelta(hours=2),
        then="studyapp.jobs.webhooks:deliver_pending",
    ),
    Job(
        "weekly-digest",
        "studyapp.notify.actions:send_weekly_digest",
        Cron(minute="0", hour="8", day_of_week="mon"),
        "给支部书记的上周学习周报",
        timedelta(days=2),
    ),
    Job(
        "backup",
        "studyapp.jobs.backup:backup_database",
        Cron(minute="0", hour="3"),
        "SQLite 数据库在线备份",
        timedelta(days=1),
    ),
    Job(
        "backup-postgres",
        "studyapp.jobs.backup:pg_dump_database",
        Cron(minute="10", hour="3"),
        "PostgreSQL 数据库备份（pg_dump，需设置 STUDYAPP_PG_DUMP）",
        timedelta(days=1),
    ),
    Job(
        "prune-job-runs",
        "studyapp.jobs.runs:prune_runs",
        Cron(minute="30", hour="3"),
        "清理过期的任务运行记录",
        timedelta(days=1),
    ),
)


def resolve(path: str) -> Callable[..., Any]:
    """The object named by ``module:name``."""
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


def load_jobs(config: Mapping[str, Any]) -> tuple[Job, ...]:
    """The job table the app is configured with (``JOBS_REGISTRY``)."""
    return tuple(resolve(config.get("JOBS_REGISTRY") or f"{__name__}:JOBS"))


def find_job(jobs: tuple[Job, ...], job_id: str) -> Job | None:
    """The job with ``job_id``, or None."""
    return next((job for job in jobs if job.id == job_id), None)
