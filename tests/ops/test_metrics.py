"""Prometheus metrics: off by default; per-endpoint requests, heartbeats, job runs."""

from __future__ import annotations

from datetime import timedelta

from prometheus_client import REGISTRY

from studyapp.jobs.models import SUCCEEDED, JobRun
from studyapp.timeutil import utcnow
from tests.conftest import make_app


def _value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_metrics_are_off_unless_enabled(client) -> None:
    assert client.get("/metrics").status_code == 404


def test_requests_are_counted_per_endpoint(database_url, tmp_path) -> None:
    # No tables at all: the request metrics still go out.
    app = make_app(database_url, tmp_path, METRICS_ENABLED=True)
    labels = {"method": "GET", "endpoint": "ops.healthz", "status": "200"}
    before = _value("studyapp_http_requests_total", **labels)
    client = app.test_client()
    client.get("/healthz")
    text = client.get("/metrics").get_data(as_text=True)
    assert _value("studyapp_http_requests_total", **labels) == before + 1
    assert (
        'studyapp_http_request_duration_seconds_bucket{endpoint="ops.healthz"' in text
    )


def test_heartbeats_are_counted_with_their_status(database_url, tmp_path) -> None:
    app = make_app(database_url, tmp_path, METRICS_ENABLED=True)
    before = sum(
        _value("studyapp_study_heartbeats_total", status=s) for s in ("401", "400")
    )
    app.test_client().post("/api/v1/study/heartbeat", json={"lesson_id": "x"})
    after = sum(
        _value("studyapp_study_heartbeats_total", status=s) for s in ("401", "400")
    )
    assert after == before + 1


def test_scheduler_runs_come_from_the_job_run_table(database_url, tmp_path, db) -> None:
    app = make_app(database_url, tmp_path, METRICS_ENABLED=True)
    now = utcnow()
    with db() as s:
        s.add(
            JobRun(
                job_id="settle",
                occurrence_key="2026-11-22T00:05",
                scheduled_at=now - timedelta(minutes=1),
                status=SUCCEEDED,
                started_at=now,
                finished_at=now,
            )
        )
    text = app.test_client().get("/metrics").get_data(as_text=True)
    assert 'studyapp_job_runs{job="settle",status="succeeded"} 1.0' in text
    assert 'studyapp_job_last_started_timestamp_seconds{job="settle"}' in text
