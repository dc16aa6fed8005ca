"""What a member sees: heartbeats over HTTP, the home card, books, 我的, the API."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.api.test_api import get_token
from tests.conftest import csrf_token
from tests.content_helpers import basic_tree
from tests.factories import make_unit, make_user


@pytest.fixture
def reader(db, app, runner):  # type: ignore[no-untyped-def]
    basic_tree(Path(app.config["CONTENT_DIR"]))
    assert runner.invoke(args=["content", "publish"]).exit_code == 0
    with db() as s:
        make_user(s, make_unit(s, "BR", name="第一支部"), "13800000001", name="王建国")
    return "13800000001"


BEAT = "/api/v1/study/heartbeat"


def post_beat(client, token, lesson="sanhui", page="p1"):  # type: ignore[no-untyped-def]
    return client.post(
        BEAT,
        json={"lesson_id": lesson, "page_id": page},
        headers={"X-CSRFToken": token},
    )


def test_heartbeat_needs_login_and_csrf(client, reader, login_as):
    anonymous = client.post(BEAT, json={"lesson_id": "sanhui", "page_id": "p"})
    assert anonymous.status_code == 401
    login_as(reader)
    no_csrf = client.post(BEAT, json={"lesson_id": "sanhui", "page_id": "p"})
    assert no_csrf.status_code == 400
    assert no_csrf.get_json()["error"]["code"] == "csrf"


def test_heartbeat_for_an_unknown_lesson_is_404(client, reader, login_as):
    login_as(reader)
    assert post_beat(client, csrf_token(client, "/"), lesson="nope").status_code == 404


def test_first_heartbeat_answers_with_nothing_credited(client, reader, login_as):
    login_as(reader)
    body = post_beat(client, csrf_token(client, "/")).get_json()
    assert body == {"credited_seconds": 0, "minutes_today": 0, "goal_met": False}


def test_lesson_page_carries_the_heartbeat_hook(client, reader, login_as):
    login_as(reader)
    page = client.get("/lessons/sanhui").get_data(as_text=True)
    assert 'data-heartbeat="/api/v1/study/heartbeat"' in page
    assert """data-beat='{"lesson_id": "sanhui"}'""" in page


def test_home_shows_goal_ring_streak_points_and_no_check_in_button(
    client, reader, login_as
):
    login_as(reader)
    page = client.get("/").get_data(as_text=True)
    assert 'id="today-card"' in page and "连续天数" in page and "累计积分" in page
    assert "目标 30 分钟" in page
    assert "打卡" not in page.replace("不要求打卡", "")


def test_today_card_is_an_htmx_fragment_refreshed_on_progress(client, reader, login_as):
    login_as(reader)
    resp = client.get("/progress/today", headers={"HX-Request": "true"})
    body = resp.get_data(as_text=True)
    assert body.lstrip().startswith('<section class="card stack" id="today-card"')
    assert 'hx-trigger="progress-changed from:body"' in body
    assert client.get("/progress/today").status_code == 302  # not a page of its own


def test_books_add_update_finish(client, reader, login_as):
    login_as(reader)
    token = csrf_token(client, "/books")
    client.post(
        "/books", data={"csrf_token": token, "title": "中国共产党简史", "author": ""}
    )
    page = client.get("/books").get_data(as_text=True)
    assert "《中国共产党简史》" in page
    book_id = re.search(r'action="/books/(\d+)"', page).group(1)
    resp = client.post(
        f"/books/{book_id}",
        data={"csrf_token": token, "progress": "100", "note": "收获很大"},
    )
    assert resp.status_code == 302
    assert "已读完" in client.get("/books").get_data(as_text=True)
    assert "累计积分" in client.get("/").get_data(as_text=True)


def test_book_with_bad_progress_keeps_the_note_and_names_the_field(
    client, reader, login_as
):
    login_as(reader)
    token = csrf_token(client, "/books")
    client.post("/books", data={"csrf_token": token, "title": "书", "author": ""})
    page = client.get("/books").get_data(as_text=True)
    book_id = re.search(r'action="/books/(\d+)"', page).group(1)
    resp = client.post(
        f"/books/{book_id}",
        data={"csrf_token": token, "progress": "150", "note": "我的心得"},
    )
    body = resp.get_data(as_text=True)
    assert (
        resp.status_code == 422
        and "进度应在 0 到 100 之间" in body
        and "我的心得" in body
    )


def test_book_title_is_required(client, reader, login_as):
    login_as(reader)
    token = csrf_token(client, "/books")
    resp = client.post("/books", data={"csrf_token": token, "title": ""})
    assert resp.status_code == 422 and "请填写书名" in resp.get_data(as_text=True)


def test_me_page_has_a_30_day_svg_chart(client, reader, login_as):
    login_as(reader)
    page = client.get("/me").get_data(as_text=True)
    assert page.count('<rect class="bar') == 30 and "最长连续" in page


def test_api_me_has_streak_points_and_goal(client, reader):
    token = get_token(client, reader).get_json()["token"]
    body = client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {token}"}
    ).get_json()
    assert body["goal"] == {
        "minutes_today": 0,
        "target_minutes": 30,
        "met": False,
        "time_tracking": True,
    }
    assert body["streak"] == {"current": 0, "best": 0}
    assert body["points"] == {"today": 0, "total": 0}


def test_api_heartbeat(client, reader):
    token = get_token(client, reader).get_json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    first = client.post(
        "/api/v1/study/heartbeat", json={"lesson_id": "sanhui"}, headers=auth
    )
    assert first.status_code == 200 and first.get_json()["credited_seconds"] == 0
    bad = client.post("/api/v1/study/heartbeat", json={}, headers=auth)
    assert bad.status_code == 400 and bad.get_json()["error"]["field"] == "lesson_id"
