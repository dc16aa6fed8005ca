"""``/api/v1/admin/org/imports``: the same dry run and apply as a program uses
them, with a bearer token; who may."""

from __future__ import annotations

from sqlalchemy import select

from studyapp.auth.models import User
from tests.orgadmin.conftest import multipart, state, xlsx

ROWS = [["账号", "姓名", "所在支部"], ["13800000011", "新人甲", "A"]]


def bearer(client, username):  # type: ignore[no-untyped-def]
    resp = client.post(
        "/api/v1/auth/token", json={"username": username, "password": "correct-horse-1"}
    )
    return {"Authorization": f"Bearer {resp.get_json()['token']}"}


def check(client, headers, files):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/admin/org/imports", headers=headers, **multipart({}, files)
    )


def test_dry_run_then_apply_returns_the_passwords_once(client, county, db):
    headers = bearer(client, "subadmin")
    report = check(client, headers, [("m.xlsx", xlsx({"党员": ROWS}))]).get_json()
    assert report["ok"] and report["counts"]["new"] == 1
    assert report["rows"][0] | {"changes": []} == {
        "where": "m.xlsx[党员]:2",
        "table": "members",
        "key": "13800000011",
        "name": "新人甲",
        "status": "new",
        "changes": [],
        "errors": [],
    }
    done = client.post(
        f"/api/v1/admin/org/imports/{report['token']}/apply", headers=headers
    )
    body = done.get_json()
    assert done.status_code == 200 and body["users_created"] == 1
    [given] = body["passwords"]
    assert given["username"] == "13800000011" and len(given["password"]) >= 8
    with db() as s:
        assert (
            s.scalar(select(User).where(User.username == "13800000011")).branch.code
            == "A"
        )
    again = client.post(
        f"/api/v1/admin/org/imports/{report['token']}/apply", headers=headers
    )
    assert again.status_code == 400 and again.get_json()["error"]["field"] == "token"


def test_bad_files_are_reported_not_staged(client, county, db):
    before = state(db)
    headers = bearer(client, "admin")
    report = check(client, headers, [("x.csv", b"\x00\x01binary")]).get_json()
    assert report["ok"] is False and report["token"] is None
    assert report["errors"] == [
        "x.csv:1: 不是文本格式的 CSV 文件（可能是图片、压缩包或其他文件改了扩展名）"
    ]
    assert state(db) == before


def test_members_and_secretaries_get_403(client, county):
    headers = bearer(client, "13800000001")
    assert check(client, headers, [("m.xlsx", xlsx({"党员": ROWS}))]).status_code == 403
    assert (
        client.post("/api/v1/admin/org/imports/abc/apply", headers=headers).status_code
        == 403
    )


def test_someone_elses_token_is_unknown(client, county, db):
    report = check(
        client, bearer(client, "subadmin"), [("m.xlsx", xlsx({"党员": ROWS}))]
    )
    token = report.get_json()["token"]
    resp = client.post(
        f"/api/v1/admin/org/imports/{token}/apply", headers=bearer(client, "admin")
    )
    assert resp.status_code == 400
    with db() as s:
        assert s.scalar(select(User).where(User.username == "13800000011")) is None
