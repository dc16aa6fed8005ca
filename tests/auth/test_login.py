"""Logging in, out and changing the password, as a member on a phone would."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from studyapp.auth.models import AuthSession, User
from tests.conftest import PASSWORD, csrf_token, login, make_app
from tests.factories import make_unit, make_user


@pytest.fixture
def member(db):  # type: ignore[no-untyped-def]
    with db() as s:
        unit = make_unit(s, "BR1", name="第一支部")
        user = make_user(s, unit, "13800000001", name="王建国")
        return user.username


def test_member_logs_in_and_sees_their_name_on_home(client, member):
    resp = login(client, member)
    assert resp.status_code == 302 and resp.headers["Location"] == "/"
    home = client.get("/").get_data(as_text=True)
    assert "王建国" in home and "第一支部" in home


def test_wrong_password_is_refused_and_keeps_the_username(client, member):
    resp = login(client, member, "wrong-password")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "账号或密码不正确" in page
    assert 'value="13800000001"' in page
    assert client.get("/").status_code == 302  # still logged out


def test_unknown_username_gets_the_same_answer(client, member):
    resp = login(client, "13999999999", PASSWORD)
    assert resp.status_code == 422 and "账号或密码不正确" in resp.get_data(as_text=True)


def test_login_without_csrf_token_is_rejected(client, member):
    resp = client.post("/login", data={"username": member, "password": PASSWORD})
    assert resp.status_code == 400
    assert client.get("/").status_code == 302


def test_password_is_stored_as_argon2id(session, member):
    user = session.scalar(select(User).where(User.username == member))
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_logout_revokes_the_session_cookie(client, member):
    login(client, member, remember="y")
    cookie = client.get_cookie("session")
    remember = client.get_cookie("remember_token")
    token = csrf_token(client, "/me")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    # Replaying the old cookies (stolen before logout) must not log back in.
    client.set_cookie("session", cookie.value)
    client.set_cookie("remember_token", remember.value)
    assert client.get("/").status_code == 302


def test_password_change_ends_other_logins(app, member):
    phone, laptop = app.test_client(), app.test_client()
    login(phone, member)
    login(laptop, member)
    token = csrf_token(phone, "/me/password")
    resp = phone.post(
        "/me/password",
        data={
            "csrf_token": token,
            "current_password": PASSWORD,
            "new_password": "a-new-password",
            "confirm": "a-new-password",
        },
    )
    assert resp.status_code == 302
    assert phone.get("/").status_code == 200  # this device stays logged in
    assert laptop.get("/").status_code == 302  # the other one is out
    assert login(app.test_client(), member, "a-new-password").status_code == 302


def test_password_change_with_wrong_current_password_names_the_field(client, member):
    login(client, member)
    token = csrf_token(client, "/me/password")
    resp = client.post(
        "/me/password",
        data={
            "csrf_token": token,
            "current_password": "nope-nope",
            "new_password": "a-new-password",
            "confirm": "a-new-password",
        },
    )
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "当前密码不正确" in page


def test_generated_password_must_be_changed_first(client, db):
    with db() as s:
        user = make_user(s, make_unit(s), "13800000009")
        user.must_change_password = True
    resp = login(client, "13800000009")
    assert resp.headers["Location"] == "/me/password"


def test_login_redirects_only_to_local_paths(client, member):
    token = csrf_token(client)
    data = {"username": member, "password": PASSWORD, "csrf_token": token}
    evil = client.post("/login?next=//evil.example/x", data=data)
    assert evil.headers["Location"] == "/"


def test_login_next_path_is_followed(client, member):
    token = csrf_token(client)
    data = {"username": member, "password": PASSWORD, "csrf_token": token}
    assert client.post("/login?next=/me", data=data).headers["Location"] == "/me"


def test_logins_are_rate_limited(database_url, tmp_path, db):
    app = make_app(
        database_url,
        tmp_path,
        RATELIMIT_ENABLED=True,
        LOGIN_FAILURE_LIMIT="3 per minute",
    )
    client = app.test_client()
    statuses = [
        login(client, "13800000001", "wrong-password").status_code for _ in range(5)
    ]
    assert statuses[:3] == [422, 422, 422]
    assert statuses[3] == 429
    resp = login(client, "13800000001", "wrong-password")
    assert resp.status_code == 429 and "登录失败次数太多" in resp.get_data(as_text=True)


def test_remember_cookie_is_secure_httponly_samesite_in_production(
    database_url, tmp_path, member
):
    app = make_app(
        database_url, tmp_path, ENV="production", TESTING=False, SECRET_KEY="s" * 40
    )
    client = app.test_client()
    resp = login(client, member, remember="y")
    cookies = [v for k, v in resp.headers.items() if k == "Set-Cookie"]
    remember = next(c for c in cookies if c.startswith("remember_token="))
    assert (
        "Secure" in remember and "HttpOnly" in remember and "SameSite=Lax" in remember
    )
    assert "Max-Age=2592000" in remember or "Expires=" in remember


def test_a_login_is_a_revocable_server_side_record(client, session, member):
    login(client, member)
    assert session.scalar(select(func.count(AuthSession.id))) == 1


def test_htmx_request_after_expiry_gets_401_with_redirect(client):
    resp = client.get("/", headers={"HX-Request": "true"})
    assert resp.status_code == 401
    assert resp.headers["HX-Redirect"].startswith("/login")


def test_pages_send_security_headers(client):
    resp = client.get("/login")
    csp = resp.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] == "same-origin"
    assert "<script>" not in resp.get_data(as_text=True)  # no inline script
