"""Every route × six roles, generated from the URL map: a new route is covered
the day it is added, and a route nobody classified fails here.

Roles: anonymous, a member of branch A, the secretary of A, the secretary of B
(looking at A), the admin of the general branch above A, the global admin. The
URL arguments name things of branch A (unit ``A``, member ``am2``, am1's
attempt). Every answer must be in the class expected for the route's area and
the role, and none may be a 5xx.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask

from studyapp.auth.roles import Role
from studyapp.content.format.checker import check_tree
from studyapp.content.publishing import publish_report
from studyapp.timeutil import utcnow
from tests.conftest import PASSWORD, csrf_from, login
from tests.content_helpers import lesson, write
from tests.factories import make_tree, make_user
from tests.quiz.conftest import BANK, quiz_files

ROLES = ["anonymous", "am1", "sec_a", "sec_b", "admin_gen", "admin_root"]

#: Routes anyone may call without logging in.
PUBLIC = {
    "static",
    "ops.healthz",
    "ops.readyz",
    "auth.login",
    "auth.login_submit",
    "auth.set_language",
    "api_meta.token",
    "api_meta.openapi",
    "content.media",  # content images by hash (immutable, cacheable)
    "main.offline",  # the page a phone shows with no connection
    "main.service_worker",  # /sw.js, fetched before anyone logs in
}
#: Readiness says 503 while the database is not migrated (tests create tables).
SPECIAL = {"ops.readyz": {200, 503}}
#: Where a page would be expected, these may also answer this (a reason of the
#: data, not of the role): the branch keeps its member ranking closed; unit A
#: is a branch, with no branches under it.
MAY_REFUSE = {"api_reports.leaderboard_members": {403},
              "api_units.unit_branches": {404}}  # fmt: skip
#: Run last: they end the login the loop is using.
LAST = {"auth.logout", "api_meta.revoke_token", "auth.change_password",
        "api_account.change_password"}  # fmt: skip
#: Blueprints named admin… or api_admin… are the 管理 console.
ADMIN_PREFIXES = ("admin", "api_admin")
#: Admin-only routes outside the admin blueprints, or inside 管理 › 党员.
ADMIN_ENDPOINTS = {"jobs.index", "jobs.job_runs", "admin_people.add",
                   "api_admin_people.admin_unit_tree"}  # fmt: skip
#: 管理 › 党员 is open to secretaries too (their branch's people).
SECRETARY_BLUEPRINTS = {"org", "reports", "api_units", "api_members",
                        "admin_people", "api_admin_people"}  # fmt: skip
SECRETARY_ENDPOINTS = {"jobs.webhook", "jobs.webhook_submit",
                       "api_reports.unit_participation"}  # fmt: skip
#: In the 支部/报表 blueprints, yet open to every member.
FOR_EVERYONE = {"reports.leaderboard"}

VALUES = {
    "code": "A",
    "username": "am2",
    "day": "2026-11-19",
    "kind": "lessons",
    "slug": "sanhui",
    "action": "withdraw",
    "token": "0" * 32,
    "job_id": "publish-content",
    "name": None,  # the first of an any() converter, else "today"
    "fmt": "csv",
    "filename": "css/app.css",
}
ARG = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")
OK = {200, 201, 204, 302, 303}
DENIED = {403, 404}
#: A write outside the role may first fail its body's type (which tells nothing).
DENIED_WRITE = {400, 403, 404, 422}


@dataclass
class World:
    attempt_id: int


@pytest.fixture
def world(db, app: Flask, client) -> World:  # type: ignore[no-untyped-def]
    root = Path(app.config["CONTENT_DIR"])
    write(root, "lessons/sanhui.md", lesson())
    write(root, "quizzes/bank.md", BANK.format(secret="解析"))
    quiz_files(root)
    with db() as s:
        report = check_tree([root])
        assert report.ok, [str(i) for i in report.errors]
        publish_report(s, report, content_root=root, scope=[root], now=utcnow())
        units = make_tree(s)
        make_user(s, units["a"], "am1")
        make_user(s, units["a"], "am2")
        make_user(s, units["a"], "sec_a", role=Role.SECRETARY)
        make_user(s, units["b"], "sec_b", role=Role.SECRETARY)
        make_user(s, units["gen"], "admin_gen", role=Role.ADMIN)
        make_user(s, units["root"], "admin_root", role=Role.ADMIN)
    member = app.test_client()
    token = member.post("/api/v1/auth/token", json={"username": "am1",
                        "password": PASSWORD}).get_json()["token"]  # fmt: skip
    started = member.post(
        "/api/v1/quizzes/practice/attempts",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert started.status_code in (200, 201), started.get_data(as_text=True)
    return World(attempt_id=started.get_json()["attempt_id"])


def area(endpoint: str) -> str:
    blueprint = endpoint.split(".")[0]
    if endpoint in PUBLIC:
        return "public"
    if endpoint in FOR_EVERYONE:
        return "member"
    if endpoint in ADMIN_ENDPOINTS:
        return "admin"
    if blueprint in SECRETARY_BLUEPRINTS or endpoint in SECRETARY_ENDPOINTS:
        return "secretary"
    if blueprint.startswith(ADMIN_PREFIXES):
        return "admin"
    return "member"


def url_for_rule(rule: str, world: World) -> str:
    def fill(match: re.Match[str]) -> str:
        converter, args, name = match.groups()
        if converter == "any":
            return args.split(",")[0].strip()
        if converter == "int":
            return str(world.attempt_id if name == "attempt_id" else 1)
        value = VALUES.get(name)
        return value if value is not None else "today"

    return ARG.sub(fill, rule)


def expected(
    role: str, where: str, method: str, has_args: bool, rule: str = ""
) -> set[int] | None:
    """The statuses allowed, or None for "anything but a 5xx"."""
    if where == "public":
        return None
    if role == "anonymous":
        return {302, 401}
    denied = DENIED if method == "GET" else DENIED_WRITE
    if where == "admin" and role in ("am1", "sec_a", "sec_b"):
        return denied
    if where == "secretary" and role == "am1":
        return denied
    if where == "secretary" and role == "sec_b" and has_args:
        return denied
    in_scope = role in ("sec_a", "admin_gen", "admin_root")
    if where == "secretary" and in_scope and method == "GET" and "<int" not in rule:
        return OK  # unit A and member am2 exist: the page or table is there
    # Content and jobs are for global admins; a subtree admin may be refused.
    if method == "GET" and not has_args and (where != "admin" or role == "admin_root"):
        return OK
    return None


def routes(app: Flask) -> list[tuple[str, str, str]]:
    found = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, rule.rule))
    return sorted(found, key=lambda r: (r[0] in LAST, r[2], r[1]))


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_role_as_expected(app, world, role):
    client = app.test_client()
    if role != "anonymous":
        assert login(client, role).status_code == 302
    token = csrf_from(client.get("/login" if role == "anonymous" else "/me").text)
    table = routes(app)
    assert len(table) > 100
    wrong = {}
    for endpoint, method, rule in table:
        url = url_for_rule(rule, world)
        headers = {"X-CSRFToken": token}
        body = {"json": {}} if url.startswith("/api/") and method != "GET" else {}
        resp = client.open(url, method=method, headers=headers, **body)
        allowed = SPECIAL.get(endpoint) or expected(
            role, area(endpoint), method, "<" in rule, rule
        )
        if allowed is OK and endpoint in MAY_REFUSE:
            allowed = OK | MAY_REFUSE[endpoint]
        status = resp.status_code
        resp.close()
        if (status >= 500 and endpoint not in SPECIAL) or (
            allowed is not None and status not in allowed
        ):
            wrong[f"{method} {url} ({endpoint})"] = status
        if role == "anonymous" and status == 302 and area(endpoint) != "public":
            assert "/login" in resp.headers["Location"], url
    assert wrong == {}
