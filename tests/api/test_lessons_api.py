"""``/api/v1/lessons``: published lessons with sanitised HTML."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.api.test_api import get_token
from tests.content_helpers import basic_tree, lesson, write
from tests.factories import make_unit, make_user


@pytest.fixture
def auth(db, app, runner, client):  # type: ignore[no-untyped-def]
    root = basic_tree(Path(app.config["CONTENT_DIR"]))
    write(
        root,
        "lessons/later.md",
        lesson("later", "以后", extra='publish_at: "2099-01-01"\n'),
    )
    assert runner.invoke(args=["content", "publish"]).exit_code == 0
    with db() as s:
        make_user(s, make_unit(s, "BR"), "13800000001")
    token = get_token(client, "13800000001").get_json()["token"]
    return {"Authorization": f"Bearer {token}"}


def test_list_has_published_lessons_only(client, auth):
    body = client.get("/api/v1/lessons", headers=auth).get_json()
    assert [item["id"] for item in body["lessons"]] == ["sanhui"]
    assert body["lessons"][0]["minutes"] == 5 and body["has_more"] is False


def test_one_lesson_has_html_and_minutes(client, auth):
    body = client.get("/api/v1/lessons/sanhui", headers=auth).get_json()
    assert "支部党员大会" in body["html"] and body["minutes"] == 5


def test_scheduled_lesson_is_404(client, auth):
    resp = client.get("/api/v1/lessons/later", headers=auth)
    assert resp.status_code == 404 and resp.get_json()["error"]["code"] == "not_found"


def test_search_parameter(client, auth):
    body = client.get("/api/v1/lessons?q=没有这个词", headers=auth).get_json()
    assert body["lessons"] == []
