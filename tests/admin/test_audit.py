"""管理 › 操作记录 and ``GET /api/v1/admin/audit``: who did what to what, filtered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from studyapp.audit.models import AuditEvent, record
from studyapp.auth.models import User
from studyapp.auth.roles import Role
from studyapp.org.models import UnitKind
from tests.factories import make_unit, make_user
from tests.html import text_of

T = datetime(2026, 11, 20, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai


@pytest.fixture
def trail(db):  # type: ignore[no-untyped-def]
    """Two admins' actions and one from the command line; returns event ids."""
    with db() as s:
        root = make_unit(s, "ROOT", kind=UnitKind.COMMITTEE)
        sub = make_unit(s, "SUB", kind=UnitKind.COMMITTEE, parent=root)
        branch = make_unit(s, "BR", parent=sub)
        admin = make_user(s, root, "admin", role=Role.ADMIN, name="管理员甲")
        sub_admin = make_user(s, sub, "subadmin", role=Role.ADMIN, name="管理员乙")
        make_user(s, branch, "member")
        events = [
            record(s, action="content.withdraw", at=T, actor_id=admin.id,
                   target="lesson:sanhui"),
            record(s, action="user.create", at=T + timedelta(minutes=1),
                   actor_id=sub_admin.id, target="user:13900000001",
                   detail={"unit": "BR", "role": "member"}),
            record(s, action="content.publish", at=T - timedelta(days=2),
                   target="content", detail={"changes": 3}),
        ]  # fmt: skip
        s.flush()
        return [e.id for e in events]


def api(client, login_as, username, **params):  # type: ignore[no-untyped-def]
    login_as(username)
    resp = client.get("/api/v1/admin/audit", query_string=params)
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def test_the_page_shows_who_did_what_to_what(client, login_as, trail):
    withdraw, create, publish = trail
    page = login_as("admin").get("/admin/audit").get_data(as_text=True)
    row = text_of(page, f"audit-{withdraw}")
    assert "管理员甲" in row and "admin" in row
    assert "管理员甲 撤下了 lesson:sanhui" in row and "content.withdraw" not in row
    assert "管理员乙 添加了党员 user:13900000001" in text_of(page, f"audit-{create}")
    cli_row = text_of(page, f"audit-{publish}")
    assert "命令行或定时任务" in cli_row and "系统 发布了学习内容" in cli_row


def test_another_admin_sees_only_their_own_actions(client, login_as, trail):
    withdraw, create, _publish = trail
    page = login_as("subadmin").get("/admin/audit").get_data(as_text=True)
    assert "user:13900000001" in text_of(page, f"audit-{create}")
    assert f'id="audit-{withdraw}"' not in page
    assert "只显示您本人的操作" in page


def test_htmx_filtering_swaps_just_the_entries(client, login_as, trail):
    login_as("admin")
    resp = client.get("/admin/audit?action=user", headers={"HX-Request": "true"})
    body = resp.get_data(as_text=True)
    assert body.lstrip().startswith('<section class="stack" id="audit-entries"')
    assert "添加了党员" in body and "撤下了" not in body
    assert "HX-Request" in resp.headers["Vary"]


def test_a_member_cannot_read_the_audit_page(client, login_as, trail):
    assert login_as("member").get("/admin/audit").status_code == 403


def test_entries_come_newest_first_with_their_actor(client, login_as, trail):
    body = api(client, login_as, "admin")
    assert [e["action"] for e in body["entries"]] == [
        "user.create", "content.withdraw", "content.publish"
    ]  # fmt: skip
    assert body["entries"][0]["actor"] == {"username": "subadmin", "name": "管理员乙"}
    assert body["entries"][2]["actor"] is None and body["everyone"] is True


@pytest.mark.parametrize(
    ("params", "actions"),
    [
        ({"action": "content"}, ["content.withdraw", "content.publish"]),
        ({"action": "content.publish"}, ["content.publish"]),
        ({"action": "cont"}, []),  # a domain is matched whole, not as a prefix
        ({"actor": "subadmin"}, ["user.create"]),
        ({"target": "sanhui"}, ["content.withdraw"]),
        ({"since": "2026-11-20"}, ["user.create", "content.withdraw"]),
        ({"until": "2026-11-18"}, ["content.publish"]),
    ],
)
def test_filters(client, login_as, trail, params, actions):
    body = api(client, login_as, "admin", **params)
    assert [e["action"] for e in body["entries"]] == actions


def test_a_bad_filter_is_a_400_naming_it(client, login_as, trail):
    login_as("admin")
    resp = client.get("/api/v1/admin/audit?since=yesterday")
    assert resp.status_code == 400 and resp.get_json()["error"]["field"] == "since"


def test_pages_of_fifty(client, login_as, trail, db):
    with db() as s:
        admin_id = s.scalar(select(User.id).where(User.username == "admin"))
        for n in range(50):
            record(s, action="user.create", at=T + timedelta(hours=1, seconds=n),
                   actor_id=admin_id, target=f"user:{n}")  # fmt: skip
    first = api(client, login_as, "admin")
    assert len(first["entries"]) == 50 and first["has_more"]
    second = client.get("/api/v1/admin/audit?page=2").get_json()
    assert [e["action"] for e in second["entries"]] == [
        "user.create", "content.withdraw", "content.publish"
    ] and not second["has_more"]  # fmt: skip


def test_the_page_links_the_next_page_keeping_the_filters(client, login_as, trail, db):
    with db() as s:
        for n in range(50):
            s.add(AuditEvent(at=T, action="user.create", target=f"user:{n}"))
    page = login_as("admin").get("/admin/audit?action=user").get_data(as_text=True)
    assert "/admin/audit?page=2&amp;action=user" in page
