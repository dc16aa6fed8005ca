"""Roles × scope: nobody reaches what their role and unit do not cover."""

from __future__ import annotations

import pytest

from studyapp.auth.roles import Role
from studyapp.org.models import UnitKind
from tests.factories import make_tree, make_unit, make_user

#: username → (unit key, role)
PEOPLE = {
    "member_a": ("a", Role.MEMBER),
    "sec_a": ("a", Role.SECRETARY),
    "sec_gen": ("gen", Role.ADMIN),  # an admin on the general branch
    "admin_root": ("root", Role.ADMIN),
}


@pytest.fixture
def org(db):  # type: ignore[no-untyped-def]
    with db() as s:
        units = make_tree(s)
        make_unit(s, "A-G1", kind=UnitKind.GROUP, parent=units["a"])
        for username, (key, role) in PEOPLE.items():
            make_user(s, units[key], username, role=role)
        make_user(s, units["b"], "member_b", name="乙支部党员")
        make_user(s, units["c"], "member_c", name="丙支部党员")


@pytest.mark.parametrize(
    ("username", "path", "status"),
    [
        ("member_a", "/branch", 403),
        ("member_a", "/units/A", 403),
        ("member_a", "/admin/", 403),
        ("sec_a", "/units/A", 200),
        ("sec_a", "/units/B", 403),
        ("sec_a", "/units/C", 403),
        ("sec_a", "/units/GEN", 403),
        ("sec_a", "/admin/", 403),
        ("sec_gen", "/units/A", 200),
        ("sec_gen", "/units/B", 200),
        ("sec_gen", "/units/C", 403),
        ("sec_gen", "/admin/", 200),
        ("admin_root", "/units/C", 200),
        ("admin_root", "/units/GEN", 200),
        ("admin_root", "/admin/", 200),
        ("admin_root", "/units/NOPE", 404),
        ("sec_a", "/units/NOPE", 404),
    ],
)
def test_role_and_scope_decide_access(org, login_as, username, path, status):
    client = login_as(username)
    assert client.get(path).status_code == status


@pytest.mark.parametrize("htmx", [False, True])
def test_forbidden_fragment_does_not_leak_member_names(org, login_as, htmx):
    client = login_as("sec_a")
    headers = {"HX-Request": "true"} if htmx else {}
    resp = client.get("/units/B", headers=headers)
    assert resp.status_code == 403
    assert "乙支部党员" not in resp.get_data(as_text=True)


def test_secretary_sees_own_branch_members_only(org, login_as):
    page = login_as("sec_a").get("/branch").get_data(as_text=True)
    assert "甲支部" in page and "乙支部党员" not in page and "丙支部党员" not in page


def test_general_branch_admin_lists_only_their_subtree(org, login_as):
    page = login_as("sec_gen").get("/admin/").get_data(as_text=True)
    assert "甲支部" in page and "乙支部" in page and "丙支部" not in page


@pytest.mark.parametrize(
    ("username", "tabs", "absent"),
    [
        ("member_a", ["首页", "学习", "答题", "我的"], ["支部", "管理"]),
        ("sec_a", ["支部"], ["管理"]),
        ("admin_root", ["支部", "管理"], []),
    ],
)
def test_bottom_navigation_matches_the_role(org, login_as, username, tabs, absent):
    page = login_as(username).get("/me").get_data(as_text=True)
    nav = page[page.index('<nav class="tabbar"') :]
    for tab in tabs:
        assert f"<span>{tab}</span>" in nav
    for tab in absent:
        assert f"<span>{tab}</span>" not in nav
