"""The JSON API: tokens, bearer auth, JSON errors, the OpenAPI document."""

from __future__ import annotations

import re

import pytest

from tests.conftest import PASSWORD, csrf_token, login
from tests.factories import make_unit, make_user


@pytest.fixture
def member(db):  # type: ignore[no-untyped-def]
    with db() as s:
        make_user(s, make_unit(s, "BR1", name="第一支部"), "13800000001", name="王建国")
    return "13800000001"


def get_token(client, username: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/auth/token", json={"username": username, "password": password}
    )


def test_token_then_me_with_bearer(client, member):
    resp = get_token(client, member)
    assert resp.status_code == 201
    token = resp.get_json()["token"]
    assert resp.get_json()["expires_at"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    body = me.get_json()
    assert body["name"] == "王建国"
    assert body["branch"] == {"code": "BR1", "name": "第一支部"}


def test_wrong_password_is_a_json_401(client, member):
    resp = get_token(client, member, "nope-nope")
    assert resp.status_code == 401
    assert resp.get_json()["error"]["code"] == "not_authenticated"


def test_missing_field_is_a_400_naming_it(client):
    resp = client.post("/api/v1/auth/token", json={"username": "x"})
    assert resp.status_code == 400
    assert resp.get_json()["error"]["field"] == "password"


def test_non_json_body_is_a_400(client):
    resp = client.post("/api/v1/auth/token", data="username=x")
    assert resp.status_code == 400 and "error" in resp.get_json()


def test_me_without_auth_is_a_json_401(client):
    resp = client.get("/api/v1/me")
    assert (
        resp.status_code == 401
        and resp.get_json()["error"]["code"] == "not_authenticated"
    )


def test_a_bad_or_revoked_token_is_refused(client, member):
    token = get_token(client, member).get_json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    assert client.delete("/api/v1/auth/token", headers=auth).status_code == 204
    assert client.get("/api/v1/me", headers=auth).status_code == 401
    bad = {"Authorization": "Bearer not-a-token"}
    assert client.get("/api/v1/me", headers=bad).status_code == 401


def test_bearer_tokens_do_not_open_html_pages(client, member):
    token = get_token(client, member).get_json()["token"]
    resp = client.get("/", headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 302  # the web UI needs a real login


def test_cookie_session_works_for_the_api_and_writes_need_csrf(client, member):
    login(client, member)
    assert client.get("/api/v1/me").status_code == 200
    no_csrf = client.delete("/api/v1/auth/token")
    assert no_csrf.status_code == 400 and no_csrf.get_json()["error"]["code"] == "csrf"
    token = csrf_token(client, "/me")
    ok = client.delete("/api/v1/auth/token", headers={"X-CSRFToken": token})
    assert ok.status_code == 204


def test_unknown_api_path_is_a_json_404(client):
    resp = client.get("/api/v1/nothing-here")
    assert resp.status_code == 404 and resp.get_json()["error"]["code"] == "not_found"


def test_token_endpoint_is_rate_limited(database_url, tmp_path, member):
    from tests.conftest import make_app

    app = make_app(
        database_url,
        tmp_path,
        RATELIMIT_ENABLED=True,
        LOGIN_FAILURE_LIMIT="2 per minute",
    )
    client = app.test_client()
    codes = [get_token(client, member, "wrong-wrong").status_code for _ in range(3)]
    assert codes == [401, 401, 429]
    assert get_token(client, member).get_json()["error"]["code"] == "rate_limited"


def test_openapi_document_lists_exactly_the_api_routes(app, client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    documented = {
        (path, method.upper()) for path, ops in doc["paths"].items() for method in ops
    }
    routed = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1") and rule.rule != "/api/v1/openapi.json":
            path = re.sub(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", r"{\1}", rule.rule)
            routed |= {(path, m) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert documented == routed
