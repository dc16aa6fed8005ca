"""Hostile URLs get a 4xx, never a 500: huge ids, split headers, wrong methods."""

from __future__ import annotations

import re

import pytest

from tests.conftest import PASSWORD, csrf_from, csrf_token
from tests.factories import make_unit, make_user

HUGE = "9" * 20
INT_ARG = re.compile(r"<int(\([^)]*\))?:(\w+)>")


@pytest.fixture
def member(db):  # type: ignore[no-untyped-def]
    with db() as s:
        make_user(s, make_unit(s, "BR1"), "13800000001")
    return "13800000001"


def int_routes(app):  # type: ignore[no-untyped-def]
    for rule in app.url_map.iter_rules():
        if "<int" in rule.rule:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield method, rule.rule


def answers_for(app, client, digits: str) -> dict[str, int]:
    token = csrf_from(client.get("/me").get_data(as_text=True))
    routes = list(int_routes(app))
    assert len(routes) >= 10
    answers = {}
    for method, rule in routes:
        url = INT_ARG.sub(digits, rule).replace("<code>", "BR1")
        resp = client.open(url, method=method, headers={"X-CSRFToken": token})
        answers[f"{method} {url}"] = resp.status_code
    return answers


@pytest.mark.parametrize("digits", [HUGE, str(2**63)])
def test_an_id_too_long_for_the_database_is_not_found(app, login_as, member, digits):
    answers = answers_for(app, login_as(member), digits)
    assert {k: v for k, v in answers.items() if v != 404} == {}


def test_an_id_just_beyond_the_database_range_is_an_ordinary_miss(
    app, login_as, member
):
    # 2**31 overflows PostgreSQL's integer: the view sees an id no row has and
    # answers as for any missing one (or first the role check or the body).
    answers = answers_for(app, login_as(member), str(2**31))
    assert {k: v for k, v in answers.items() if v not in (400, 403, 404, 422)} == {}


def test_the_api_document_states_the_id_range(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    params = doc["paths"]["/api/v1/attempts/{attempt_id}"]["get"]["parameters"]
    schema = next(p["schema"] for p in params if p["name"] == "attempt_id")
    assert schema["minimum"] == 1 and schema["maximum"] == 2**31 - 1


@pytest.mark.parametrize(
    "target",
    [
        "/me%0d%0aSet-Cookie:%20evil=1",
        "/me%0aX-Evil:%201",
        "/me%09",
        "/%5Cevil.example/x",
        "/%5C%5Cevil.example",
    ],
)
def test_a_hostile_next_after_a_correct_login_goes_home(client, member, target):
    token = csrf_token(client)
    data = {"username": member, "password": PASSWORD, "csrf_token": token}
    resp = client.post(f"/login?next={target}", data=data)
    assert resp.status_code == 302 and resp.headers["Location"] == "/"
    assert "evil" not in str(resp.headers)


def test_method_not_allowed_says_which_methods_are(client):
    page = client.delete("/login")
    assert page.status_code == 405
    assert set(page.headers["Allow"].split(", ")) >= {"GET", "POST"}
    api = client.get("/api/v1/auth/token")
    assert api.status_code == 405 and "POST" in api.headers["Allow"]
    assert api.get_json()["error"]["code"] == "method_not_allowed"


@pytest.mark.parametrize("stray", ["Basic YTpi", "Bearer not-a-token", "Bearer"])
def test_a_cookie_write_with_a_stray_authorization_header_still_needs_csrf(
    client, member, stray
):
    from tests.conftest import login

    login(client, member)
    resp = client.post(
        "/api/v1/notifications/read", headers={"Authorization": stray}, json={}
    )
    assert resp.status_code in (400, 401)
    if resp.status_code == 400:
        assert resp.get_json()["error"]["code"] == "csrf"
