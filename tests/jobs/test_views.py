"""The 任务 page (global admins) and the branch robot form (secretaries)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from studyapp.audit.models import AuditEvent
from studyapp.jobs.runner import execute
from studyapp.org.models import OrgUnit
from tests.conftest import PASSWORD, csrf_token, login
from tests.jobs import fake_jobs

T = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
WECOM = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc"


def as_user(client, username):  # type: ignore[no-untyped-def]
    # The world's people were made with the factories' password.
    assert login(client, username, PASSWORD).status_code == 302
    return client


def test_the_jobs_page_lists_jobs_and_shows_a_failing_one_with_its_error(
    jobs_app, world, client
):
    jobs_app.config["JOBS_REGISTRY"] = "tests.jobs.fake_jobs:FAILING"
    execute(jobs_app, fake_jobs.FAILING[0], T)
    page = as_user(client, "admin_root").get("/admin/jobs")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "boom" in text and "失败" in text
    assert "RuntimeError: boom: the job failed on purpose" in text
    assert "HX-Request" in page.headers["Vary"]
    runs = client.get("/admin/jobs/boom").get_data(as_text=True)
    assert "2026-11-22 10:00" in runs and "RuntimeError: boom" in runs
    assert client.get("/admin/jobs/nope").status_code == 404


def test_the_admin_home_links_the_jobs_page_for_global_admins(jobs_app, world, client):
    assert "/admin/jobs" in as_user(client, "admin_root").get("/admin/").get_data(
        as_text=True
    )


@pytest.mark.parametrize("username", ["admin_gen", "sec_a", "am1"])
def test_only_global_admins_see_the_jobs_page(jobs_app, world, client, username):
    assert as_user(client, username).get("/admin/jobs").status_code == 403


def _save(client, code, **data):  # type: ignore[no-untyped-def]
    token = csrf_token(client, f"/branch/{code}/webhook")
    form = {"csrf_token": token, "webhook_kind": "wecom", **data}
    return client.post(f"/branch/{code}/webhook", data=form)


def test_a_secretary_sets_the_robot_of_their_branch(jobs_app, world, client, db):
    as_user(client, "sec_a")
    assert client.get("/branch/A/webhook").status_code == 200
    resp = _save(client, "A", webhook_url=WECOM, webhook_show_names="y")
    assert resp.status_code == 302
    with db() as s:
        unit = s.scalar(select(OrgUnit).where(OrgUnit.code == "A"))
        assert (unit.webhook_url, unit.webhook_show_names) == (WECOM, True)
        audit = s.scalar(select(AuditEvent).where(AuditEvent.action == "unit.webhook"))
        assert audit.detail["host"] == "qyapi.weixin.qq.com"
        assert "abc" not in str(audit.detail)  # the key stays out of the log
    assert _save(client, "A", webhook_url="").status_code == 302
    with db() as s:
        assert s.scalar(select(OrgUnit.webhook_url).where(OrgUnit.code == "A")) is None


def test_a_secretary_cannot_touch_another_branch(jobs_app, world, client):
    as_user(client, "sec_a")
    assert client.get("/branch/B/webhook").status_code == 403
    token = csrf_token(client, "/branch/A/webhook")
    data = {"csrf_token": token, "webhook_url": WECOM, "webhook_kind": "wecom"}
    assert client.post("/branch/B/webhook", data=data).status_code == 403
    # GEN (their branch's parent) is outside their scope as well.
    assert client.get("/branch/GEN/webhook").status_code == 403


@pytest.mark.parametrize(
    "url", ["ftp://qyapi.weixin.qq.com/x", "https://evil.example/send?key=1"]
)
def test_a_bad_robot_address_is_refused_and_kept_in_the_form(
    jobs_app, world, client, url
):
    jobs_app.config["WEBHOOK_HOSTS"] = ["qyapi.weixin.qq.com", "oapi.dingtalk.com"]
    as_user(client, "sec_a")
    resp = _save(client, "A", webhook_url=url)
    assert resp.status_code == 422
    assert url.split("?")[0] in resp.get_data(as_text=True)


def test_the_robot_form_needs_the_csrf_token(jobs_app, world, client):
    as_user(client, "sec_a")
    data = {"webhook_url": WECOM, "webhook_kind": "wecom"}
    assert client.post("/branch/A/webhook", data=data).status_code == 400
