"""A secretary of branch A reaches nothing of branch B: pages, htmx fragments,
exports, actions and the API. Admins reach exactly their subtree."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_token, login

#: (method, path) of every endpoint on a unit or member; {unit}, {member} and
#: {occ} are filled in per case.
ENDPOINTS = [
    ("GET", "/units/{unit}"),
    ("GET", "/units/{unit}/today"),
    ("GET", "/units/{unit}/members"),
    ("GET", "/units/{unit}/members?period=month"),
    ("GET", "/units/{unit}/quizzes"),
    ("GET", "/units/{unit}/quizzes/{occ}"),
    ("GET", "/units/{unit}/items"),
    ("GET", "/units/{unit}/trends"),
    ("GET", "/units/{unit}/ranking"),
    ("GET", "/units/{unit}/print"),
    ("GET", "/units/{unit}/export/today.xlsx"),
    ("GET", "/units/{unit}/export/today.csv"),
    ("GET", "/units/{unit}/export/members.xlsx"),
    ("GET", "/units/{unit}/export/quizzes.csv"),
    ("GET", "/units/{unit}/export/quiz.xlsx?occurrence={occ}"),
    ("GET", "/units/{unit}/export/items.csv"),
    ("GET", "/units/{unit}/export/trends.xlsx"),
    ("GET", "/units/{unit}/export/ranking.csv"),
    ("POST", "/units/{unit}/member-ranking"),
    ("GET", "/members/{member}"),
    ("POST", "/members/{member}/nudge"),
    ("POST", "/members/{member}/excuse"),
    ("POST", "/members/{member}/excuse/2026-11-19/withdraw"),
    ("POST", "/members/{member}/exempt"),
    ("GET", "/api/v1/units/{unit}/participation"),
]
#: The 支部 API routes (each checked in one loop per role: the same actions as
#: the pages above, so one world per role is enough).
API_ENDPOINTS = [
    ("GET", "/api/v1/units/{unit}"),
    ("GET", "/api/v1/units/{unit}/today"),
    ("GET", "/api/v1/units/{unit}/members?period=month"),
    ("GET", "/api/v1/units/{unit}/quizzes"),
    ("GET", "/api/v1/units/{unit}/quizzes/{occ}"),
    ("GET", "/api/v1/units/{unit}/items?days=90"),
    ("GET", "/api/v1/units/{unit}/trends"),
    ("GET", "/api/v1/units/{unit}/ranking?period=year"),
    ("GET", "/api/v1/units/{unit}/print"),
    ("GET", "/api/v1/units/{unit}/tables/today"),
    ("GET", "/api/v1/units/{unit}/tables/quiz?occurrence={occ}"),
    ("GET", "/api/v1/units/{unit}/tables/items"),
    ("GET", "/api/v1/units/{unit}/robot"),
    ("PUT", "/api/v1/units/{unit}/robot"),
    ("PUT", "/api/v1/units/{unit}/member-ranking"),
    ("GET", "/api/v1/members/{member}"),
    ("POST", "/api/v1/members/{member}/nudge"),
    ("POST", "/api/v1/members/{member}/excuses"),
    ("DELETE", "/api/v1/members/{member}/excuses/2026-11-19"),
    ("PUT", "/api/v1/members/{member}/exempt"),
]
#: The JSON bodies of the API's writes (the pages post the form data below).
API_BODIES = {
    "robot": {"url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"},
    "member-ranking": {"on": True},
    "excuses": {"day": "2026-11-19", "reason": "病假"},
    "exempt": {"reason": "流动党员"},
}
MEMBER_OF = {"A": "am2", "B": "bm1", "C": "cm1"}


def call(client, method, template, unit, world, *, htmx=False):  # type: ignore[no-untyped-def]
    path = template.format(unit=unit, member=MEMBER_OF[unit], occ=world.occurrence_id)
    headers = {"HX-Request": "true"} if htmx else {}
    if method == "GET":
        return client.get(path, headers=headers)
    headers["X-CSRFToken"] = csrf_token(client, "/inbox")
    if path.startswith("/api/"):
        body = API_BODIES.get(path.rsplit("/", 1)[-1], {})
        return client.open(path, method=method, headers=headers, json=body)
    return client.post(
        path, headers=headers, data={"day": "2026-11-19", "reason": "病假"}
    )


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_secretary_of_a_gets_403_for_branch_b(
    world, client, login_as, method, path, htmx
):
    login_as("sec_a")
    resp = call(client, method, path, "B", world, htmx=htmx)
    # A member of B is "not found", like a username nobody has (no enumeration).
    assert resp.status_code == (404 if "{member}" in path else 403)
    body = resp.get_data(as_text=True)
    assert "乙支部党员" not in body and "乙书记" not in body


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_secretary_of_a_reaches_branch_a(world, client, login_as, method, path):
    login_as("sec_a")
    assert call(client, method, path, "A", world).status_code in (200, 302)


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_a_member_reaches_no_secretary_endpoint(world, client, login_as, method, path):
    login_as("am1")
    assert call(client, method, path, "A", world).status_code == 403


def _api_statuses(client, unit, world):  # type: ignore[no-untyped-def]
    out = {}
    for method, path in API_ENDPOINTS:
        resp = call(client, method, path, unit, world)
        out[f"{method} {path}"] = resp.status_code
        body = resp.get_data(as_text=True)
        assert "乙支部党员" not in body and "乙书记" not in body, path
    return out


def test_secretary_of_a_gets_403_from_every_api_route_for_branch_b(
    world, client, login_as
):
    login_as("sec_a")
    statuses = _api_statuses(client, "B", world)
    expected = {k: 404 if "{member}" in k else 403 for k in statuses}
    assert statuses == expected


def test_secretary_of_a_reaches_every_api_route_for_branch_a(world, client, login_as):
    login_as("sec_a")
    statuses = _api_statuses(client, "A", world)
    assert {k: v for k, v in statuses.items() if v not in (200, 201)} == {}


def test_a_member_gets_403_from_every_secretary_api_route(world, client, login_as):
    login_as("am1")
    statuses = _api_statuses(client, "A", world)
    assert {k: v for k, v in statuses.items() if v != 403} == {}


@pytest.mark.parametrize(
    ("username", "unit", "status"),
    [
        ("admin_gen", "A", 200),
        ("admin_gen", "B", 200),
        ("admin_gen", "GEN", 200),
        ("admin_gen", "C", 403),
        ("admin_gen", "ROOT", 403),
        ("admin_root", "C", 200),
        ("admin_root", "ROOT", 200),
        ("sec_a", "GEN", 403),
        ("sec_a", "NOPE", 404),
        ("admin_root", "NOPE", 404),
    ],
)
def test_admins_see_their_subtree_only(world, client, login_as, username, unit, status):
    login_as(username)
    for path in (f"/units/{unit}", f"/units/{unit}/ranking", f"/units/{unit}/trends",
                 f"/api/v1/units/{unit}/participation"):  # fmt: skip
        assert client.get(path).status_code == status, path


def test_branch_only_sections_are_404_on_a_higher_unit(world, client, login_as):
    login_as("admin_root")
    assert client.get("/units/GEN/members").status_code == 404
    assert client.get("/units/GEN/export/items.csv").status_code == 404


@pytest.mark.parametrize(
    ("username", "query", "status"),
    [
        ("am1", "", 200),  # default: the parent of my branch (GEN)
        ("am1", "?unit=GEN", 200),
        ("am1", "?unit=ROOT", 200),
        ("am1", "?unit=A", 200),
        ("am1", "?unit=B", 403),  # a sibling branch is not above mine
        ("am1", "?unit=C", 403),
        ("am1", "?unit=NOPE", 404),
        ("am1", "?period=decade", 400),
        ("sec_a", "?unit=B", 403),
        ("admin_gen", "?unit=B", 200),
    ],
)
def test_who_may_read_which_leaderboard(
    world, client, login_as, username, query, status
):
    login_as(username)
    assert client.get(f"/api/v1/leaderboard/branches{query}").status_code == status
    assert client.get(f"/api/v1/leaderboard{query}").status_code == status
    assert client.get(f"/leaderboard{query}").status_code == status


@pytest.mark.parametrize(
    "path", ["/api/v1/units", "/api/v1/units/A/today", "/api/v1/members/am2"]
)
def test_a_member_gets_a_json_403_from_the_secretary_api(world, client, login_as, path):
    login_as("am1")
    resp = client.get(path)
    assert resp.status_code == 403
    assert resp.get_json()["error"]["code"] == "forbidden"


def test_members_cannot_open_another_members_notification(world, app, client, login_as):
    login_as("sec_a")
    call(client, "POST", "/members/{member}/nudge", "A", world)  # to am2
    other = app.test_client()
    login(other, "am1")
    token = csrf_token(other, "/inbox")
    resp = other.post("/inbox/1/open", headers={"X-CSRFToken": token})
    assert resp.status_code == 404
