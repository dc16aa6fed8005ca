"""In-app notifications: private nudges once a day, the inbox, the bell."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from studyapp.errors import NotFound, ValidationFailed
from studyapp.notify import service
from tests.conftest import csrf_token
from tests.factories import make_unit, make_user

#: 2026-11-20 23:30 in Shanghai: the next nudge day starts 30 minutes later.
LATE = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)


@pytest.fixture
def people(session):  # type: ignore[no-untyped-def]
    branch = make_unit(session, "BR")
    return (
        make_user(session, branch, "secretary", name="王书记"),
        make_user(session, branch, "member", name="李秀英"),
    )


def test_a_nudge_is_friendly_private_and_names_the_sender(session, people):
    sec, member = people
    note = service.send_nudge(session, sec, member, LATE)
    assert note is not None and note.user_id == member.id and note.sender_id == sec.id
    assert "王书记" in note.body and "量力而行" in note.body
    assert service.inbox(session, sec.id) == []  # nothing lands anywhere else


def test_one_nudge_per_member_per_shanghai_day(session, people):
    sec, member = people
    other = make_user(session, sec.branch, "deputy")
    assert service.send_nudge(session, sec, member, LATE) is not None
    assert service.send_nudge(session, other, member, LATE) is None
    assert service.send_nudge(session, sec, member, LATE + timedelta(hours=1))
    assert len(service.inbox(session, member.id)) == 2


def test_nudged_today_reports_who_already_got_one(session, people):
    sec, member = people
    service.send_nudge(session, sec, member, LATE)
    assert service.nudged_today(session, [sec.id, member.id], LATE) == {member.id}
    assert service.nudged_today(session, [], LATE) == set()


def test_exempt_members_are_not_nudged(session, people):
    sec, member = people
    member.exempt_reason = "年老体弱"
    with pytest.raises(ValidationFailed):
        service.send_nudge(session, sec, member, LATE)


def test_generic_notifications_for_later_reminders(session, people):
    _, member = people
    first = service.notify(session, member, kind="reminder", title="t", body="b",
                           now=LATE, dedupe_key="reminder:x")  # fmt: skip
    again = service.notify(session, member, kind="reminder", title="t", body="b",
                           now=LATE, dedupe_key="reminder:x")  # fmt: skip
    free = service.notify(session, member, kind="notice", title="t", body="b", now=LATE)
    assert first is not None and again is None and free is not None
    assert first.sender_id is None


def test_opening_marks_read_and_only_for_the_owner(session, people):
    sec, member = people
    note = service.send_nudge(session, sec, member, LATE)
    assert service.unread_count(session, member.id) == 1
    with pytest.raises(NotFound):
        service.open_notification(session, sec.id, note.id, LATE)
    opened = service.open_notification(session, member.id, note.id, LATE)
    assert opened.read_at == LATE
    service.open_notification(session, member.id, note.id, LATE + timedelta(hours=1))
    assert opened.read_at == LATE and service.unread_count(session, member.id) == 0


def test_mark_all_read(session, people):
    sec, member = people
    service.send_nudge(session, sec, member, LATE)
    service.notify(session, member, kind="notice", title="t", body="b", now=LATE)
    assert service.mark_all_read(session, member.id, LATE) == 2
    assert service.unread_count(session, member.id) == 0


@pytest.fixture
def nudged(db):  # type: ignore[no-untyped-def]
    with db() as s:
        branch = make_unit(s, "BR")
        sec = make_user(s, branch, "secretary", name="王书记")
        member = make_user(s, branch, "member", name="李秀英")
        service.send_nudge(s, sec, member, datetime.now(UTC))
    return "member"


def test_inbox_page_shows_the_nudge_and_opening_it_refreshes_the_bell(
    nudged, client, login_as
):
    login_as(nudged)
    page = client.get("/inbox")
    assert page.status_code == 200 and "学习小提醒" in page.get_data(as_text=True)
    assert "王书记给您" not in page.get_data(as_text=True)  # body shows once opened
    token = csrf_token(client, "/inbox")
    resp = client.post(
        "/inbox/1/open", headers={"HX-Request": "true", "X-CSRFToken": token}
    )
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200 and body.lstrip().startswith('<li class="list-item')
    assert "王书记给您" in body and resp.headers["HX-Trigger"] == "notify-changed"
    assert "王书记给您" in client.get("/inbox").get_data(as_text=True)


def test_open_without_htmx_redirects_to_the_inbox(nudged, client, login_as):
    login_as(nudged)
    token = csrf_token(client, "/inbox")
    resp = client.post("/inbox/1/open", data={"csrf_token": token})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/inbox")


def test_bell_is_a_fragment_with_the_unread_count(nudged, client, login_as):
    login_as(nudged)
    home = client.get("/").get_data(as_text=True)
    assert 'id="inbox-bell"' in home and 'hx-trigger="load, notify-changed' in home
    bell = client.get("/inbox/bell", headers={"HX-Request": "true"})
    assert "HX-Request" in bell.headers["Vary"]
    text = bell.get_data(as_text=True)
    assert text.lstrip().startswith("<a") and '<span class="bell-count"' in text
    assert client.get("/inbox/bell").status_code == 302  # not a page of its own


def test_read_all_clears_the_count(nudged, client, login_as):
    login_as(nudged)
    token = csrf_token(client, "/inbox")
    client.post("/inbox/read", data={"csrf_token": token})
    bell = client.get("/inbox/bell", headers={"HX-Request": "true"})
    assert "bell-count" not in bell.get_data(as_text=True)


def test_inbox_needs_a_login(client):
    assert client.get("/inbox").status_code == 302
