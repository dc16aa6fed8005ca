"""``GET /api/v1/admin/jobs`` and one job's runs: global admins only."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from studyapp.jobs.runner import execute
from tests.conftest import PASSWORD
from tests.jobs import fake_jobs
from tests.jobs.test_views import as_user

T = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)


def bearer(client, username):  # type: ignore[no-untyped-def]
    resp = client.post(
        "/api/v1/auth/token", json={"username": username, "password": PASSWORD}
    )
    return {"Authorization": f"Bearer {resp.get_json()['token']}"}


def test_the_job_list_shows_each_job_with_its_last_run(jobs_app, world, client):
    execute(jobs_app, fake_jobs.JOBS[1], T)
    resp = client.get("/api/v1/admin/jobs", headers=bearer(client, "admin_root"))
    assert resp.status_code == 200
    jobs = {j["id"]: j for j in resp.get_json()["jobs"]}
    assert list(jobs) == ["tick", "hourly"]
    hourly = jobs["hourly"]["last"]
    assert hourly["status"] == "succeeded" and hourly["occurrence_key"] == (
        "2026-11-22T10:00"
    )
    assert hourly["result"].startswith("hourly 2026-11-22T10:00")
    assert jobs["tick"]["last"] is None and jobs["tick"]["next_run"]


def test_a_failed_run_comes_with_its_error(jobs_app, world, client):
    jobs_app.config["JOBS_REGISTRY"] = "tests.jobs.fake_jobs:FAILING"
    execute(jobs_app, fake_jobs.FAILING[0], T)
    resp = client.get("/api/v1/admin/jobs/boom", headers=bearer(client, "admin_root"))
    body = resp.get_json()
    assert body["job"]["failing"] is True
    (run,) = body["runs"]
    assert run["status"] == "failed"
    assert "RuntimeError: boom: the job failed on purpose" in run["error"]


def test_an_unknown_job_is_a_404(jobs_app, world, client):
    resp = client.get("/api/v1/admin/jobs/nope", headers=bearer(client, "admin_root"))
    assert resp.status_code == 404


@pytest.mark.parametrize("username", ["admin_gen", "sec_a", "am1"])
@pytest.mark.parametrize("path", ["/api/v1/admin/jobs", "/api/v1/admin/jobs/tick"])
def test_only_global_admins_read_the_jobs(jobs_app, world, client, username, path):
    resp = client.get(path, headers=bearer(client, username))
    assert resp.status_code == 403 and resp.get_json()["error"]["code"] == "forbidden"


def test_the_runs_page_shows_a_runs_summary(jobs_app, world, client):
    execute(jobs_app, fake_jobs.JOBS[1], T)
    page = (
        as_user(client, "admin_root").get("/admin/jobs/hourly").get_data(as_text=True)
    )
    assert "hourly 2026-11-22T10:00 by" in page
