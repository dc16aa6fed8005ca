"""``/api/v1/members/…``: a member's page and the secretary's actions, as JSON."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from studyapp.audit.models import AuditEvent
from studyapp.auth.models import User
from studyapp.notify.models import Notification
from studyapp.progress.models import ExcusedDay
from tests.reports.test_api import bearer


@pytest.fixture
def sec_a(world, client):  # type: ignore[no-untyped-def]
    return bearer(client, "sec_a")


def test_a_members_page_has_today_30_days_the_book_and_excuses(client, sec_a):
    client.post(
        "/api/v1/members/am1/excuses",
        json={"day": "2026-11-18", "reason": "出差"},
        headers=sec_a,
    )
    body = client.get("/api/v1/members/am1", headers=sec_a).get_json()
    assert (body["name"], body["branch"]) == ("张三", {"code": "A", "name": "甲支部"})
    assert (body["today"]["minutes"], body["today"]["goal_met"]) == (35, True)
    assert len(body["days"]) == 30 and body["days"][-1]["day"] == "2026-11-20"
    assert body["goal_days"] == 1
    assert (body["book"]["title"], body["book"]["progress_percent"]) == (
        "中国共产党简史",
        40,
    )
    assert body["excused"] == [{"day": "2026-11-18", "reason": "出差"}]
    assert body["nudged_today"] is False and body["exempt_reason"] is None


def test_nudge_once_a_day(client, sec_a, db):
    first = client.post("/api/v1/members/am3/nudge", headers=sec_a).get_json()
    again = client.post("/api/v1/members/am3/nudge", headers=sec_a).get_json()
    assert (first["sent"], again["sent"]) == (True, False)
    assert first["branch"] == "A" and first["row"]["nudged"] is True
    assert first["row"]["name"] == "王五"
    with db() as s:
        assert len(s.scalars(select(Notification)).all()) == 1


def test_an_exempt_member_cannot_be_nudged(client, sec_a):
    resp = client.post("/api/v1/members/a_exempt/nudge", headers=sec_a)
    assert resp.status_code == 400 and resp.get_json()["error"]["field"] == "member"


def test_excuse_then_withdraw_is_audited(client, sec_a, db):
    resp = client.post(
        "/api/v1/members/am3/excuses",
        json={"day": "2026-11-19", "reason": "住院"},
        headers=sec_a,
    )
    assert resp.status_code == 201
    assert resp.get_json() == {
        "username": "am3", "name": "王五", "day": "2026-11-19", "reason": "住院",
    }  # fmt: skip
    gone = client.delete("/api/v1/members/am3/excuses/2026-11-19", headers=sec_a)
    assert gone.get_json()["withdrawn"] is True
    again = client.delete("/api/v1/members/am3/excuses/2026-11-19", headers=sec_a)
    assert again.get_json()["withdrawn"] is False
    with db() as s:
        assert s.scalar(select(ExcusedDay.id)) is None
        actions = s.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
        assert actions == ["member.excuse", "member.excuse_withdrawn"]


@pytest.mark.parametrize(
    ("body", "field"),
    [({"day": "2026-11-25", "reason": "出差"}, "day"),
     ({"day": "2026-11-19", "reason": "   "}, "reason"),
     ({"day": "2026-11-19"}, "reason"),
     ({"day": "19-11-2026", "reason": "出差"}, "day")],
)  # fmt: skip
def test_a_bad_excuse_is_a_400_naming_the_field(client, sec_a, db, body, field):
    resp = client.post("/api/v1/members/am3/excuses", json=body, headers=sec_a)
    assert resp.status_code == 400
    assert resp.get_json()["error"]["field"] == field
    with db() as s:
        assert s.scalar(select(ExcusedDay.id)) is None


def test_withdrawing_a_bad_day_is_a_400(client, sec_a):
    resp = client.delete("/api/v1/members/am3/excuses/yesterday", headers=sec_a)
    assert resp.status_code == 400 and resp.get_json()["error"]["field"] == "day"


def test_exempt_with_a_reason_then_clear_it(client, sec_a, db):
    set_ = client.put(
        "/api/v1/members/am3/exempt", json={"reason": "流动党员"}, headers=sec_a
    ).get_json()
    assert (set_["exempt"], set_["exempt_reason"]) == (True, "流动党员")
    page = client.get("/api/v1/members/am3", headers=sec_a).get_json()
    assert page["exempt_reason"] == "流动党员"
    cleared = client.put(
        "/api/v1/members/am3/exempt", json={"reason": None}, headers=sec_a
    ).get_json()
    assert cleared["exempt"] is False
    with db() as s:
        user = s.scalar(select(User).where(User.username == "am3"))
        assert user.exempt_reason is None


def test_an_unknown_member_is_404(client, sec_a):
    resp = client.get("/api/v1/members/nobody", headers=sec_a)
    assert resp.status_code == 404
