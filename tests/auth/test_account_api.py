"""``/api/v1/me/password`` and ``/api/v1/me/language``, as an app would call them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from studyapp.auth.models import User
from tests.conftest import PASSWORD, csrf_token, login
from tests.factories import make_unit, make_user

NEW = "a-new-password"


@pytest.fixture
def member(db):  # type: ignore[no-untyped-def]
    with db() as s:
        make_user(s, make_unit(s, "BR1"), "13800000001", name="王建国")
    return "13800000001"


def bearer(client, username: str = "13800000001", password: str = PASSWORD):  # type: ignore[no-untyped-def]
    resp = client.post(
        "/api/v1/auth/token", json={"username": username, "password": password}
    )
    assert resp.status_code == 201, resp.get_json()
    return {"Authorization": f"Bearer {resp.get_json()['token']}"}


def change(client, headers, current=PASSWORD, new=NEW):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/me/password",
        json={"current_password": current, "new_password": new},
        headers=headers,
    )


def test_a_token_client_changes_its_password_and_goes_on_with_a_new_token(
    client, member
):
    phone, other = bearer(client), bearer(client)
    resp = change(client, phone)
    assert resp.status_code == 200
    fresh = {"Authorization": f"Bearer {resp.get_json()['token']}"}
    assert client.get("/api/v1/me", headers=fresh).status_code == 200
    assert client.get("/api/v1/me", headers=phone).status_code == 401
    assert client.get("/api/v1/me", headers=other).status_code == 401
    assert bearer(client, password=NEW)


def test_a_wrong_current_password_is_a_400_naming_it_and_changes_nothing(
    client, member
):
    auth = bearer(client)
    resp = change(client, auth, current="not-my-password")
    assert resp.status_code == 400
    assert resp.get_json()["error"]["field"] == "current_password"
    assert client.get("/api/v1/me", headers=auth).status_code == 200
    assert bearer(client, password=PASSWORD)


def test_a_short_new_password_is_a_400_naming_it(client, member):
    resp = change(client, bearer(client), new="short")
    assert resp.status_code == 400
    error = resp.get_json()["error"]
    assert error["field"] == "new_password" and "8" in error["message"]


def test_a_cookie_client_stays_logged_in_and_other_devices_are_out(app, client, member):
    laptop = app.test_client()
    login(client, member)
    login(laptop, member)
    token = csrf_token(client, "/me")
    resp = change(client, {"X-CSRFToken": token})
    assert resp.status_code == 200 and resp.get_json()["token"] is None
    assert client.get("/api/v1/me").status_code == 200
    assert laptop.get("/api/v1/me").status_code == 401


def test_password_change_needs_a_login(client):
    assert change(client, {}).status_code == 401


def locale(db, username="13800000001"):  # type: ignore[no-untyped-def]
    with db() as s:
        return s.scalar(select(User.locale).where(User.username == username))


def test_choosing_english_is_saved_on_the_account(client, member, db):
    resp = client.put("/api/v1/me/language", json={"lang": "en"},
                      headers=bearer(client))  # fmt: skip
    assert resp.status_code == 200 and resp.get_json() == {"lang": "en"}
    assert locale(db) == "en"


def test_an_unknown_language_picks_the_default(client, member, db):
    resp = client.put("/api/v1/me/language", json={"lang": "xx"},
                      headers=bearer(client))  # fmt: skip
    assert resp.get_json() == {"lang": "zh_Hans_CN"}
    assert locale(db) == "zh_Hans_CN"


def test_choosing_a_language_needs_a_login(client):
    assert client.put("/api/v1/me/language", json={"lang": "en"}).status_code == 401
