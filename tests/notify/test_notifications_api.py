"""``/api/v1/notifications``: my inbox, reading one, the unread count."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from studyapp.notify import service
from tests.api.test_api import get_token
from tests.factories import make_unit, make_user


@pytest.fixture
def member(db, client):  # type: ignore[no-untyped-def]
    """李秀英, nudged once by 王书记 and told about a new lesson; her bearer."""
    with db() as s:
        branch = make_unit(s, "BR")
        sec = make_user(s, branch, "secretary", name="王书记")
        li = make_user(s, branch, "member", name="李秀英")
        make_user(s, branch, "other", name="张三")
        service.send_nudge(s, sec, li, datetime.now(UTC))
        service.notify(s, li, kind="new_lesson", title="新课文上线",
                       body="《三会一课》已经上线", now=datetime.now(UTC))  # fmt: skip
    token = get_token(client, "member").get_json()["token"]
    return {"Authorization": f"Bearer {token}"}


def test_the_inbox_lists_titles_newest_first_and_texts_once_read(client, member):
    items = client.get("/api/v1/notifications", headers=member).get_json()
    assert [i["title"] for i in items] == ["新课文上线", "学习小提醒"]
    assert all(i["body"] is None and i["read_at"] is None for i in items)


def test_reading_one_shows_its_text_and_lowers_the_count(client, member):
    assert client.get("/api/v1/notifications/unread", headers=member).get_json() == {
        "unread": 2
    }
    nudge = client.get("/api/v1/notifications", headers=member).get_json()[1]
    read = client.post(
        f"/api/v1/notifications/{nudge['id']}/read", headers=member
    ).get_json()
    assert "王书记给您捎来一声问候" in read["body"] and read["read_at"]
    assert client.get("/api/v1/notifications/unread", headers=member).get_json() == {
        "unread": 1
    }
    listed = client.get("/api/v1/notifications", headers=member).get_json()
    assert "王书记" in listed[1]["body"]


def test_read_all(client, member):
    assert client.post("/api/v1/notifications/read", headers=member).get_json() == {
        "marked": 2
    }
    assert client.get("/api/v1/notifications/unread", headers=member).get_json() == {
        "unread": 0
    }


def test_someone_elses_notification_is_404(client, member):
    nudge = client.get("/api/v1/notifications", headers=member).get_json()[1]
    other = {
        "Authorization": f"Bearer {get_token(client, 'other').get_json()['token']}"
    }
    resp = client.post(f"/api/v1/notifications/{nudge['id']}/read", headers=other)
    assert resp.status_code == 404
    assert client.get("/api/v1/notifications", headers=other).get_json() == []


def test_the_inbox_needs_a_login(client):
    assert client.get("/api/v1/notifications").status_code == 401
