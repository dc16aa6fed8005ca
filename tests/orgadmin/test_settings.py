"""管理 › 设置: a unit's settings apply to its subtree, the nearest unit up the
tree wins, the environment gives the defaults, and members see the change."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from studyapp.audit.models import AuditEvent
from studyapp.auth.actor import Actor
from studyapp.auth.models import User
from studyapp.notify.actions import send_reminders
from studyapp.notify.models import Notification
from studyapp.org.unit_settings import UnitSetting
from studyapp.orgadmin import actions
from studyapp.orgadmin.payloads import UnitSettingsIn
from studyapp.progress.service import award
from studyapp.progress.settings import for_actor
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD

NOW = datetime(2026, 11, 20, 4, 0, tzinfo=UTC)
AT_20 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # 20:00 in Shanghai
AT_19 = datetime(2026, 11, 20, 11, 0, tzinfo=UTC)


def user(session, username):  # type: ignore[no-untyped-def]
    return session.scalar(select(User).where(User.username == username))


def put(session, username, code, **body):  # type: ignore[no-untyped-def]
    admin = Actor.of(user(session, username))
    return actions.save_unit_settings(session, admin, code, UnitSettingsIn(**body), NOW)


def goal_seen(app, username):  # type: ignore[no-untyped-def]
    """The daily goal a member sees in the app (GET /api/v1/me)."""
    member = app.test_client()
    assert login(member, username, PASSWORD).status_code == 302
    return member.get("/api/v1/me").get_json()["goal"]["target_minutes"]


def test_the_nearest_unit_up_the_tree_wins(county, db):
    with db() as s:
        put(s, "admin", "ROOT", set={"goal_minutes": 45, "cap.daily_quiz": 2})
        put(s, "subadmin", "SUB", set={"goal_minutes": 20})
    with db() as s:
        in_a, in_c = (
            for_actor(s, user(s, "13800000001")),
            for_actor(s, user(s, "13900000001")),
        )
        assert (in_a.goal_minutes, in_c.goal_minutes) == (20, 45)
        assert in_a.rules["daily_quiz"].daily_cap == 2  # from ROOT, SUB is silent
        assert in_a.rules["lesson_finished"].daily_cap == 6  # the default
        put(s, "subadmin", "SUB", inherit=["goal_minutes"])
    with db() as s:
        assert for_actor(s, user(s, "13800000001")).goal_minutes == 45


def test_the_page_says_where_each_value_comes_from(client, login_as, county, db):
    with db() as s:
        put(s, "admin", "ROOT", set={"goal_minutes": 45})
    login_as("admin")
    page = client.get("/admin/settings/?unit=A").get_data(as_text=True)
    from tests.html import text_of

    assert "45" in text_of(page, "setting-goal_minutes")
    assert "来自 县委" in text_of(page, "setting-goal_minutes")
    assert "系统默认" in text_of(page, "setting-tracking")


def test_a_changed_goal_changes_what_members_see(app, client, login_as, county, db):
    assert goal_seen(app, "13800000001") == 30  # STUDYAPP_DAILY_GOAL_MINUTES
    login_as("subadmin")
    token = csrf_token(client, "/admin/settings/?unit=SUB")
    resp = client.post(
        "/admin/settings/SUB", data={"csrf_token": token, "goal_minutes": "20"}
    )
    assert resp.status_code == 302
    assert goal_seen(app, "13800000001") == 20
    assert goal_seen(app, "13900000001") == 30  # branch C is not under SUB
    with db() as s:
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "unit.settings"))
        assert event.target == "unit:SUB" and event.detail == {
            "goal_minutes": ["inherit", 20]
        }


def test_a_bad_value_names_the_field_and_changes_nothing(client, login_as, county, db):
    login_as("subadmin")
    token = csrf_token(client, "/admin/settings/?unit=SUB")
    resp = client.post(
        "/admin/settings/SUB", data={"csrf_token": token, "goal_minutes": "1000"}
    )
    assert resp.status_code == 400
    assert "每日学习目标（分钟）：应在 5 到 240 之间" in resp.get_data(as_text=True)
    with db() as s:
        assert s.scalar(select(func.count(UnitSetting.id))) == 0
        assert s.scalar(select(func.count(AuditEvent.id))) == 0


def test_an_admin_edits_only_their_subtree(client, login_as, county, db):
    login_as("subadmin")
    assert client.get("/admin/settings/?unit=C").status_code == 404
    assert client.get("/admin/settings/?unit=NOPE").status_code == 404
    token = csrf_token(client, "/admin/settings/")
    resp = client.post(
        "/admin/settings/C", data={"csrf_token": token, "goal_minutes": "20"}
    )
    assert resp.status_code == 404
    resp = client.put(
        "/api/v1/admin/units/ROOT/settings",
        json={"set": {"goal_minutes": 20}},
        headers={"X-CSRFToken": token},
    )
    assert resp.status_code == 404
    with db() as s:
        assert s.scalar(select(func.count(UnitSetting.id))) == 0


def test_a_member_or_secretary_has_no_settings_page(client, login_as, county):
    login_as("13800000001")
    assert client.get("/admin/settings/").status_code == 403
    assert client.get("/api/v1/admin/units/A/settings").status_code == 403


def test_the_api_reads_and_writes_settings(client, login_as, county, db):
    login_as("admin")
    token = csrf_token(client, "/admin/settings/")
    resp = client.put(
        "/api/v1/admin/units/SUB/settings",
        headers={"X-CSRFToken": token},
        json={"set": {"tracking": False, "reminder_hour": None}},
    )
    assert resp.status_code == 200, resp.get_json()
    got = {
        s["key"]: s
        for s in client.get("/api/v1/admin/units/A/settings").get_json()["settings"]
    }
    assert (
        got["tracking"]["value"] is False and got["tracking"]["origin"] == "inherited"
    )
    assert got["tracking"]["source"] == {"code": "SUB", "name": "镇党委"}
    assert (
        got["reminder_hour"]["value"] is None and got["reminder_hour"]["default"] == 20
    )
    bad = client.put(
        "/api/v1/admin/units/SUB/settings",
        headers={"X-CSRFToken": token},
        json={"set": {"goal_minutes": 2}},
    )
    assert bad.status_code == 400 and bad.get_json()["error"]["field"] == "goal_minutes"
    unknown = client.put(
        "/api/v1/admin/units/SUB/settings",
        headers={"X-CSRFToken": token},
        json={"set": {"colour": 2}},
    )
    assert (
        unknown.status_code == 400 and unknown.get_json()["error"]["field"] == "colour"
    )


def test_member_ranking_turned_on_above_opens_it_to_the_branch(app, county, db):
    member = app.test_client()
    login(member, "13800000001", PASSWORD)
    assert "本支部党员" not in member.get("/leaderboard").get_data(as_text=True)
    with db() as s:
        put(s, "subadmin", "SUB", set={"member_ranking": True})
    assert "本支部党员本周排行" in member.get("/leaderboard").get_data(as_text=True)


def test_points_caps_follow_the_unit(county, db):
    with db() as s:
        put(s, "subadmin", "SUB", set={"cap.review_right": 1})
    with db() as s:
        wang = user(s, "13800000001")
        settings = for_actor(s, wang)
        got = [
            award(
                s,
                wang,
                rule="review_right",
                source=f"q{i}",
                points=1,
                day=date(2026, 11, 20),
                now=NOW,
                settings=settings,
            )
            for i in range(3)
        ]
        assert got == [1, 0, 0]


def reminded(db) -> set[str]:  # type: ignore[no-untyped-def]
    with db() as s:
        rows = s.scalars(
            select(User.username)
            .join(Notification, Notification.user_id == User.id)
            .where(Notification.kind == "reminder")
        )
        return set(rows)


@pytest.mark.parametrize(
    "hour_c, fire, expected",
    [
        (None, AT_20, {"13900000001"}),  # SUB is off; C keeps the default 20:00
        (19, AT_20, set()),
        (19, AT_19, {"13900000001"}),
    ],
)
def test_the_reminder_hour_follows_the_unit(county, db, hour_c, fire, expected):
    with db() as s:
        put(s, "subadmin", "SUB", set={"reminder_hour": None})  # no reminder
        if hour_c is not None:
            put(s, "admin", "C", set={"reminder_hour": hour_c})
    with db() as s:
        send_reminders(s, fire)
    assert reminded(db) == expected
