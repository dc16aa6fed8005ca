"""``/api/v1/admin/units`` and ``/api/v1/admin/people`` as a program uses them
(every response is checked against the OpenAPI document); who may do what."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from studyapp.auth.models import User
from studyapp.auth.roles import Role
from studyapp.org.models import OrgUnit
from tests.conftest import PASSWORD
from tests.factories import make_tree, make_user

API = "/api/v1/admin"


@pytest.fixture
def org(db):  # type: ignore[no-untyped-def]
    with db() as s:
        units = make_tree(s)
        make_user(s, units["root"], "admin_root", role=Role.ADMIN)
        make_user(s, units["gen"], "admin_gen", role=Role.ADMIN)
        make_user(s, units["a"], "sec_a", role=Role.SECRETARY)
        make_user(s, units["a"], "member_a", name="李一")
        make_user(s, units["b"], "member_b", name="王二")
        make_user(s, units["c"], "member_c", name="张三")


@pytest.fixture
def auth(client, org):  # type: ignore[no-untyped-def]
    def _auth(username: str, password: str = PASSWORD) -> dict[str, str]:
        resp = client.post(
            "/api/v1/auth/token", json={"username": username, "password": password}
        )
        assert resp.status_code == 201, resp.get_json()
        return {"Authorization": f"Bearer {resp.get_json()['token']}"}

    return _auth


def test_the_tree_and_a_new_unit(client, auth, db):
    h = auth("admin_gen")
    tree = client.get(f"{API}/units", headers=h).get_json()
    assert [u["code"] for u in tree["units"]] == ["GEN", "A", "B"]
    resp = client.post(
        f"{API}/units",
        headers=h,
        json={"code": "D", "name": "丁支部", "kind": "branch", "parent": "GEN"},
    )
    assert resp.status_code == 201 and resp.get_json()["parent"] == "GEN"
    again = client.post(
        f"{API}/units",
        headers=h,
        json={"code": "D", "name": "x", "kind": "branch", "parent": "GEN"},
    )
    assert again.status_code == 409 and again.get_json()["error"]["field"] == "code"


def test_rename_move_and_close_answer_404_outside_my_subtree(client, auth):
    h = auth("admin_gen")
    assert (
        client.post(f"{API}/units/C/rename", headers=h, json={"name": "x"}).status_code
        == 404
    )
    assert (
        client.post(
            f"{API}/units/A/move", headers=h, json={"parent": "ROOT"}
        ).status_code
        == 404
    )
    assert client.post(f"{API}/units/C/close", headers=h).status_code == 404
    ok = client.post(f"{API}/units/A/rename", headers=h, json={"name": "甲一支部"})
    assert ok.status_code == 200 and ok.get_json()["name"] == "甲一支部"


def test_closing_a_branch_with_members_is_a_conflict(client, auth):
    resp = client.post(f"{API}/units/B/close", headers=auth("admin_gen"))
    assert resp.status_code == 409 and "在册党员" in resp.get_json()["error"]["message"]


def test_find_add_edit_and_move_people(client, auth, db):
    h = auth("admin_gen")
    page = client.get(
        f"{API}/people", headers=h, query_string={"q": "member"}
    ).get_json()
    assert sorted(r["username"] for r in page["rows"]) == ["member_a", "member_b"]
    added = client.post(
        f"{API}/people",
        headers=h,
        json={"username": "13900000009", "name": "赵六", "branch": "A"},
    )
    assert added.status_code == 201 and added.get_json()["generated_password"]
    edit = client.post(
        f"{API}/people/13900000009/edit",
        headers=h,
        json={"name": "赵六六", "phone": "138"},
    )
    assert edit.get_json()["phone"] == "138"
    moved = client.post(
        f"{API}/people/member_a/move",
        headers=h,
        json={"branch": "B", "day": "2020-01-01"},
    )
    assert moved.status_code == 400 and moved.get_json()["error"]["field"] == "day"


def test_roles_exempt_and_deactivation(client, auth, db):
    h = auth("admin_gen")
    grant = client.post(
        f"{API}/people/member_a/roles",
        headers=h,
        json={"role": "secretary", "unit": "A"},
    )
    assert grant.get_json()["roles"] == [
        {"role": "secretary", "unit": {"code": "A", "name": "甲支部"}}
    ]
    exempt = client.post(
        f"{API}/people/member_b/exempt", headers=h, json={"reason": "流动党员"}
    )
    assert exempt.get_json()["exempt_reason"] == "流动党员"
    off = client.post(
        f"{API}/people/member_b/active", headers=h, json={"active": False}
    )
    assert off.get_json()["is_active"] is False
    token = client.post(
        "/api/v1/auth/token", json={"username": "member_b", "password": PASSWORD}
    )
    assert token.status_code == 401


def test_a_reset_ends_the_members_tokens(client, auth, db):
    member = auth("member_a")
    assert client.get("/api/v1/me", headers=member).status_code == 200
    resp = client.post(
        f"{API}/people/member_a/password", headers=auth("sec_a"), json={}
    )
    body = resp.get_json()
    assert resp.status_code == 200 and body["generated_password"]
    assert client.get("/api/v1/me", headers=member).status_code == 401
    with db() as s:
        user = s.scalar(select(User).where(User.username == "member_a"))
        assert (
            user.must_change_password
            and body["generated_password"] not in user.password_hash
        )


@pytest.mark.parametrize(
    ("username", "method", "url", "json"),
    [
        ("sec_a", "post", "/people/member_b/password", {}),
        ("sec_a", "get", "/people/member_b", None),
        ("admin_gen", "post", "/people/member_c/password", {}),
        ("admin_gen", "post", "/people/member_c/edit", {"name": "x"}),
        ("admin_gen", "post", "/people/member_c/active", {"active": False}),
        ("admin_gen", "post", "/people/member_c/exempt", {"reason": "x"}),
        (
            "admin_gen",
            "post",
            "/people/member_c/move",
            {"branch": "A", "day": "2026-01-01"},
        ),
        ("admin_gen", "post", "/people/member_c/roles", {"role": "admin", "unit": "A"}),
        ("admin_gen", "get", "/people/member_c", None),
    ],
)
def test_out_of_scope_people_are_not_found(
    client, auth, db, username, method, url, json
):
    resp = getattr(client, method)(f"{API}{url}", headers=auth(username), json=json)
    assert resp.status_code == 404
    with db() as s:
        user = s.scalar(select(User).where(User.username == "member_c"))
        assert user.is_active and user.name == "张三" and not user.must_change_password


def test_a_member_is_refused(client, auth):
    h = auth("member_a")
    assert client.get(f"{API}/people", headers=h).status_code == 403
    assert client.get(f"{API}/units", headers=h).status_code == 403


def test_a_cookie_write_needs_the_csrf_token(client, org, db):
    from tests.conftest import login

    login(client, "admin_gen")
    resp = client.post(f"{API}/units/A/rename", json={"name": "偷改"})
    assert resp.status_code == 400 and resp.get_json()["error"]["code"] == "csrf"
    with db() as s:
        assert s.scalar(select(OrgUnit.name).where(OrgUnit.code == "A")) == "甲支部"
