"""Prometheus metrics at ``/metrics`` (prometheus_client), off unless METRICS_ENABLED.

Per request: a counter by method, endpoint and status, and a latency histogram
by method and endpoint; study heartbeats and quiz submits are counted apart
(web and API, by endpoint name). Scheduler runs come from the ``job_run`` table
at scrape time, so every node reports the same numbers wherever the scheduler
runs.

Several gunicorn workers: set the environment variable
``PROMETHEUS_MULTIPROC_DIR`` (systemd ``Environment=``, not the StudyApp env
file) to a folder and start gunicorn with
``-c python:studyapp.ops.gunicorn_conf``, which clears it at start and marks dead
workers; each scrape then adds up all workers. Without it every worker counts
alone, so only one worker may run.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import Any

from flask import Flask, Response, request

ENV_DIR = "PROMETHEUS_MULTIPROC_DIR"
#: Endpoint names (last part) counted as study heartbeats / quiz submits.
HEARTBEAT, SUBMIT = "heartbeat", "submit"
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

_metrics: dict[str, Any] = {}


def multiprocess_dir() -> str | None:
    return os.environ.get(ENV_DIR) or None


def _make_metrics() -> dict[str, Any]:
    """The metric objects, once per process (prometheus_client is imported here)."""
    if not _metrics:
        from prometheus_client import Counter, Histogram

        _metrics.update(
            requests=Counter(
                "studyapp_http_requests_total",
                "HTTP requests by method, endpoint and status.",
                ["method", "endpoint", "status"],
            ),
            latency=Histogram(
                "studyapp_http_request_duration_seconds",
                "Time to answer a request, by method and endpoint.",
                ["method", "endpoint"],
                buckets=BUCKETS,
            ),
            heartbeats=Counter(
                "studyapp_study_heartbeats_total",
                "Study-time heartbeats received (web and API), by status.",
                ["status"],
            ),
            submits=Counter(
                "studyapp_quiz_submits_total",
                "Quiz submits (web and API), by status.",
                ["status"],
            ),
        )
    return _metrics


def _observe(resp: Response) -> Response:
    from studyapp.ops.reqlog import START

    m = _metrics
    endpoint = request.endpoint or "none"
    status = str(resp.status_code)
    m["requests"].labels(request.method, endpoint, status).inc()
    started = request.environ.get(START)
    if started is not None:
        seconds = time.perf_counter() - started
        m["latency"].labels(request.method, endpoint).observe(seconds)
    last = endpoint.rsplit(".", 1)[-1]
    if request.method == "POST" and last == HEARTBEAT:
        m["heartbeats"].labels(status).inc()
    elif request.method == "POST" and last == SUBMIT:
        m["submits"].labels(status).inc()
    return resp


class JobRunCollector:
    """Scheduler runs from ``job_run``: counts by job and status, last run times."""

    def collect(self) -> Iterator[Any]:
        from prometheus_client.core import GaugeMetricFamily
        from sqlalchemy import func, select
        from sqlalchemy.exc import SQLAlchemyError

        from studyapp.db import get_session
        from studyapp.jobs.models import JobRun

        runs = GaugeMetricFamily(
            "studyapp_job_runs",
            "Job runs kept in job_run (JOBS_KEEP_DAYS), by job and status.",
            labels=["job", "status"],
        )
        last = GaugeMetricFamily(
            "studyapp_job_last_started_timestamp_seconds",
            "When each job last started a run (Unix time).",
            labels=["job"],
        )
        session = get_session()
        stmt = select(JobRun.job_id, JobRun.status, func.count()).group_by(
            JobRun.job_id, JobRun.status
        )
        latest = select(JobRun.job_id, func.max(JobRun.started_at)).group_by(
            JobRun.job_id
        )
        try:
            counts, starts = session.execute(stmt).all(), session.execute(latest).all()
        except SQLAlchemyError:  # no database: the request metrics still go out
            session.rollback()
            return
        for job, status, count in counts:
            runs.add_metric([job, status], count)
        for job, at in starts:
            last.add_metric([job], at.timestamp())
        yield runs
        yield last


def metrics_view() -> Response:
    """The metrics in Prometheus text format (all workers in multiprocess mode)."""
    from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
    from prometheus_client.core import CollectorRegistry
    from prometheus_client.multiprocess import MultiProcessCollector

    if multiprocess_dir():
        workers = CollectorRegistry()
        MultiProcessCollector(workers)
    else:
        workers = REGISTRY  # this process only
    jobs = CollectorRegistry()
    jobs.register(JobRunCollector())
    body = generate_latest(workers) + generate_latest(jobs)
    return Response(body, mimetype=CONTENT_TYPE_LATEST)


def init_app(app: Flask) -> None:
    if not app.config["METRICS_ENABLED"]:
        return
    _make_metrics()
    app.after_request(_observe)
    from studyapp.extensions import limiter

    app.add_url_rule("/metrics", "metrics", limiter.exempt(metrics_view))
