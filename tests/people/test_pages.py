"""管理 › 组织 and 管理 › 党员 with the client: what an admin or secretary sees
and changes, field-named errors, CSRF, and scope (out of scope is a 404)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from studyapp.auth.models import User
from studyapp.auth.roles import Role
from studyapp.org.models import OrgUnit
from studyapp.timeutil import study_day, utcnow
from tests.conftest import PASSWORD, csrf_from, login
from tests.factories import make_tree, make_user
from tests.html import text_of


@pytest.fixture
def org(db):  # type: ignore[no-untyped-def]
    with db() as s:
        units = make_tree(s)
        make_user(s, units["root"], "admin_root", role=Role.ADMIN, name="县管理员")
        make_user(s, units["gen"], "admin_gen", role=Role.ADMIN, name="总支管理员")
        make_user(s, units["a"], "sec_a", role=Role.SECRETARY, name="甲书记")
        make_user(s, units["a"], "member_a", name="李一")
        make_user(s, units["b"], "member_b", name="王二")
        make_user(s, units["c"], "member_c", name="张三")


def person(db, username):  # type: ignore[no-untyped-def]
    with db() as s:
        user = s.scalar(select(User).where(User.username == username))
        s.expunge(user)
        return user


def post(client, page, url, **data):  # type: ignore[no-untyped-def]
    token = csrf_from(client.get(page).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


def test_the_unit_tree_shows_member_counts(client, login_as, org):
    page = login_as("admin_gen").get("/admin/units/").get_data(as_text=True)
    assert "2" in text_of(page, "unit-A") and "甲支部" in text_of(page, "unit-A")
    assert 'id="unit-C"' not in page  # another subtree


def test_an_admin_adds_a_unit_from_the_form(client, login_as, db, org):
    login_as("admin_gen")
    resp = post(
        client,
        "/admin/units/",
        "/admin/units/",
        code="D",
        name="丁支部",
        kind="branch",
        parent="GEN",
    )
    assert resp.status_code == 302 and resp.location.endswith("/admin/units/D")
    with db() as s:
        assert s.scalar(select(OrgUnit.name).where(OrgUnit.code == "D")) == "丁支部"


def test_a_used_code_is_an_error_under_the_code_field(client, login_as, org):
    login_as("admin_gen")
    resp = post(
        client,
        "/admin/units/",
        "/admin/units/",
        code="A",
        name="又一个",
        kind="branch",
        parent="GEN",
    )
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert re.search(r'id="code-error">[^<]*已被使用过', html)


def test_closing_a_branch_with_members_says_why_and_changes_nothing(
    client, login_as, db, org
):
    login_as("admin_gen")
    resp = post(client, "/admin/units/A", "/admin/units/A/close")
    assert resp.status_code == 422
    assert "在册党员" in text_of(resp.get_data(as_text=True), "unit-close-error")
    with db() as s:
        assert s.scalar(select(OrgUnit.closed_at).where(OrgUnit.code == "A")) is None


def test_a_form_without_the_csrf_token_is_refused(client, login_as, db, org):
    login_as("admin_gen")
    resp = client.post("/admin/units/A/rename", data={"name": "改名"})
    assert resp.status_code == 400
    with db() as s:
        assert s.scalar(select(OrgUnit.name).where(OrgUnit.code == "A")) == "甲支部"


@pytest.mark.parametrize(
    "url",
    [
        "/admin/units/C",
        "/admin/units/ROOT",
        "/admin/people/member_c",
        "/admin/people/member_c/password",
    ],
)
def test_out_of_scope_pages_are_not_found(client, login_as, org, url):
    assert login_as("admin_gen").get(url).status_code == 404


def test_a_member_has_no_admin_pages(client, login_as, org):
    login_as("member_a")
    assert client.get("/admin/people/").status_code == 403
    assert client.get("/admin/units/").status_code == 403


def test_search_finds_people_and_htmx_gets_just_the_rows(client, login_as, org):
    login_as("admin_gen")
    page = client.get("/admin/people/", query_string={"q": "李"}).get_data(as_text=True)
    assert "李一" in text_of(page, "people-rows") and "王二" not in page
    part = client.get(
        "/admin/people/", query_string={"q": "王"}, headers={"HX-Request": "true"}
    )
    html = part.get_data(as_text=True)
    assert html.lstrip().startswith('<section class="stack" id="people-rows"')
    assert (
        "王二" in html
        and "Vary" in part.headers
        and "HX-Request" in part.headers["Vary"]
    )


def test_an_admin_adds_a_person_and_sees_the_password_once(client, login_as, db, org):
    login_as("admin_gen")
    resp = post(
        client,
        "/admin/people/new",
        "/admin/people/new",
        username="13900000009",
        name="赵六",
        branch="B",
        phone="",
    )
    assert resp.status_code == 200
    shown = text_of(resp.get_data(as_text=True), "password-value")
    assert len(shown) >= 8
    assert shown not in person(db, "13900000009").password_hash
    assert (
        login(client.application.test_client(), "13900000009", shown).status_code == 302
    )


def test_adding_to_a_unit_that_is_not_a_branch_is_a_field_error(client, login_as, org):
    login_as("admin_gen")
    resp = post(
        client,
        "/admin/people/new",
        "/admin/people/new",
        username="13900000009",
        name="赵六",
        branch="GEN",
    )
    assert resp.status_code == 422
    assert re.search(r'id="branch-error">[^<]*不是党支部', resp.get_data(as_text=True))


def test_an_admin_edits_the_name_and_phone(client, login_as, db, org):
    login_as("admin_gen")
    resp = post(
        client,
        "/admin/people/member_a",
        "/admin/people/member_a/edit",
        name="李一一",
        phone="13811112222",
    )
    assert resp.status_code == 302
    assert (person(db, "member_a").name, person(db, "member_a").phone) == (
        "李一一",
        "13811112222",
    )


def test_a_move_in_the_future_is_an_error_under_the_date(client, login_as, db, org):
    login_as("admin_gen")
    resp = post(
        client,
        "/admin/people/member_a",
        "/admin/people/member_a/move",
        branch="B",
        day="2999-01-01",
    )
    assert resp.status_code == 422
    assert re.search(r'id="day-error">[^<]*不能晚于今天', resp.get_data(as_text=True))
    assert person(db, "member_a").branch_id != person(db, "member_b").branch_id


def test_moving_a_secretary_says_the_role_ends_and_ends_it(client, login_as, db, org):
    login_as("admin_gen")
    page = client.get("/admin/people/sec_a").get_data(as_text=True)
    assert "原支部的书记、管理员角色随之撤销" in text_of(page, "person-move-form")
    other = client.get("/admin/people/member_a").get_data(as_text=True)
    assert "person-move-role-note" not in other
    day = study_day(utcnow()).isoformat()  # sec_a joined today
    resp = post(
        client, "/admin/people/sec_a", "/admin/people/sec_a/move", branch="B", day=day
    )
    assert resp.status_code == 302
    roles = text_of(
        client.get("/admin/people/sec_a").get_data(as_text=True), "person-roles"
    )
    assert "普通党员" in roles and "书记 ·" not in roles


def test_a_deactivated_member_is_logged_out_and_cannot_log_in(
    client, login_as, db, org, app
):
    member = app.test_client()
    assert login(member, "member_a").status_code == 302
    login_as("admin_gen")
    resp = post(
        client, "/admin/people/member_a", "/admin/people/member_a/active", active="0"
    )
    assert resp.status_code == 302 and not person(db, "member_a").is_active
    assert member.get("/me").status_code == 302  # back to the login page
    assert login(member, "member_a").status_code == 422


def test_a_role_is_granted_from_the_person_page(client, login_as, db, org):
    login_as("admin_gen")
    resp = post(
        client,
        "/admin/people/member_a",
        "/admin/people/member_a/roles",
        role="secretary",
        unit="A",
    )
    assert resp.status_code == 302
    page = client.get("/admin/people/member_a").get_data(as_text=True)
    assert "书记 · 甲支部" in text_of(page, "person-roles")


def test_a_secretary_resets_a_member_of_their_branch(client, login_as, db, org):
    login_as("sec_a")
    member_page = client.get("/members/member_a").get_data(as_text=True)
    assert 'id="member-reset-password"' in member_page  # the 支部 page links here
    resp = post(
        client, "/admin/people/member_a/password", "/admin/people/member_a/password"
    )
    assert resp.status_code == 200
    shown = text_of(resp.get_data(as_text=True), "password-value")
    assert person(db, "member_a").must_change_password
    assert (
        login(client.application.test_client(), "member_a", PASSWORD).status_code == 422
    )
    assert login(client.application.test_client(), "member_a", shown).status_code == 302


def test_a_secretary_cannot_reset_a_member_of_another_branch(client, login_as, db, org):
    login_as("sec_a")
    assert client.get("/admin/people/member_b/password").status_code == 404
    token = csrf_from(client.get("/admin/people/").get_data(as_text=True))
    resp = client.post("/admin/people/member_b/password", data={"csrf_token": token})
    assert resp.status_code == 404
    assert not person(db, "member_b").must_change_password


def test_after_a_reset_every_page_leads_to_the_password_form(
    client, login_as, db, org, app
):
    login_as("admin_gen")
    post(
        client,
        "/admin/people/member_a/password",
        "/admin/people/member_a/password",
        password="temporary-9",
    )
    member = app.test_client()
    resp = login(member, "member_a", "temporary-9")
    assert resp.location.endswith("/me/password")
    assert member.get("/").location.endswith("/me/password")
    assert member.get("/quizzes").location.endswith("/me/password")
    fragment = member.get("/inbox/bell", headers={"HX-Request": "true"})
    assert fragment.status_code == 204 and not fragment.data  # nothing swapped in
    form = member.get("/me/password").get_data(as_text=True)
    assert "password-required" in form
    changed = member.post(
        "/me/password",
        data={
            "csrf_token": csrf_from(form),
            "current_password": "temporary-9",
            "new_password": "my-own-pass-1",
            "confirm": "my-own-pass-1",
        },
    )
    assert changed.status_code == 302
    assert member.get("/").status_code == 200


def test_the_login_page_says_who_resets_a_password(client):
    text = text_of(client.get("/login").get_data(as_text=True), "login-forgot")
    assert "党支部的书记" in text and "管理员" in text
