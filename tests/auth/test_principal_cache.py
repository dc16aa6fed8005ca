"""The login snapshot is built once per process per login and rebuilt at once
when anything it holds changes, wherever the change was made (here: another
session, as another app node would)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select

from studyapp.auth import service as auth_service
from studyapp.auth.models import User
from studyapp.auth.roles import Role
from studyapp.db import get_engine
from tests.conftest import csrf_from
from tests.factories import make_tree, make_user


def _member(db: Any, **extra: Any) -> str:
    with db() as s:
        user = make_user(s, make_tree(s)["a"], "13800000001", name="王建国", **extra)
        return user.username


def _set(db: Any, username: str, **values: Any) -> None:
    with db() as s:
        user = s.scalars(select(User).where(User.username == username)).one()
        for key, value in values.items():
            setattr(user, key, value)


def test_a_second_request_reuses_the_snapshot(app, db, login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as(_member(db))
    client.get("/api/v1/me")
    seen: list[str] = []
    with app.app_context():
        engine = get_engine()

    def _log(_c, _cur, statement, *_a):  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", _log)
    try:
        assert client.get("/api/v1/me").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", _log)
    auth = [s for s in seen if "auth_session" in s or "role_grant" in s]
    assert len(auth) == 1, auth
    assert "role_grant" not in auth[0]


def test_a_role_granted_elsewhere_applies_on_the_next_request(db, login_as) -> None:  # type: ignore[no-untyped-def]
    username = _member(db)
    client = login_as(username)
    assert client.get("/branch").status_code == 403
    with db() as s:
        user = s.scalars(select(User).where(User.username == username)).one()
        auth_service.set_role(s, user, Role.SECRETARY)
    assert client.get("/branch").status_code == 200


def test_a_name_changed_elsewhere_shows_at_once(db, login_as) -> None:  # type: ignore[no-untyped-def]
    username = _member(db)
    client = login_as(username)
    assert client.get("/api/v1/me").get_json()["name"] == "王建国"
    _set(db, username, name="王卫东")
    assert client.get("/api/v1/me").get_json()["name"] == "王卫东"


def test_deactivation_elsewhere_logs_out_at_once(db, login_as) -> None:  # type: ignore[no-untyped-def]
    username = _member(db)
    client = login_as(username)
    assert client.get("/api/v1/me").status_code == 200
    _set(db, username, is_active=False)
    assert client.get("/api/v1/me").status_code == 401


def test_a_password_change_on_another_device_logs_this_one_out(db, login_as) -> None:  # type: ignore[no-untyped-def]
    username = _member(db)
    client = login_as(username)
    assert client.get("/api/v1/me").status_code == 200
    with db() as s:
        user = s.scalars(select(User).where(User.username == username)).one()
        auth_service.set_password(s, user, "another-horse-2")
    assert client.get("/api/v1/me").status_code == 401


def test_logout_ends_the_cookie_everywhere(app, db, login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as(_member(db))
    assert client.get("/api/v1/me").status_code == 200
    copy = app.test_client()
    for cookie in client._cookies.values():  # the same cookie on another device
        copy.set_cookie(cookie.key, cookie.value)
    assert copy.get("/api/v1/me").status_code == 200
    page = client.get("/me").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_from(page)})
    assert copy.get("/api/v1/me").status_code == 401
