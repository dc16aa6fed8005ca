"""People actions with a session and an Actor: search, add, edit, deactivate,
roles, exemption, password resets; every change audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from studyapp.audit.models import AuditEvent
from studyapp.auth.models import AuthSession
from studyapp.auth.roles import Role
from studyapp.auth.service import authenticate, open_session
from studyapp.errors import Conflict, Forbidden, NotFound, ValidationFailed
from studyapp.people import actions
from studyapp.people.payloads import (
    ActiveIn,
    PeopleQuery,
    PersonAddIn,
    PersonEditIn,
    PersonExemptIn,
    ResetIn,
    RoleIn,
)
from studyapp.timeutil import utcnow
from tests.factories import PASSWORD, make_user
from tests.people.conftest import actor, user

NOW = utcnow()


def audits(session, action):  # type: ignore[no-untyped-def]
    return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_search_finds_by_name_or_username_within_my_subtree_only(session, org):
    by = actor(session, "admin_gen")
    names = [r.name for r in actions.search(session, by, PeopleQuery(q="李"), NOW).rows]
    assert names == ["李一"]
    found = actions.search(session, by, PeopleQuery(q="member_"), NOW).rows
    assert sorted(r.username for r in found) == ["member_a", "member_b"]  # not C


def test_search_is_paged_in_thirties(session, org):
    for n in range(33):
        make_user(session, org["a"], f"bulk{n:02d}", name=f"批量{n:02d}")
    by = actor(session, "admin_gen")
    first = actions.search(session, by, PeopleQuery(q="bulk"), NOW)
    second = actions.search(session, by, PeopleQuery(q="bulk", page=2), NOW)
    assert (first.total, first.pages, len(first.rows), len(second.rows)) == (
        33,
        2,
        30,
        3,
    )
    assert not {r.username for r in first.rows} & {r.username for r in second.rows}


def test_a_secretary_searches_only_their_branch(session, org):
    rows = actions.search(session, actor(session, "sec_a"), PeopleQuery(), NOW).rows
    assert {r.branch.code for r in rows} == {"A"}


def test_a_member_cannot_search(session, org):
    with pytest.raises(Forbidden):
        actions.search(session, actor(session, "member_a"), PeopleQuery(), NOW)


def test_an_admin_adds_a_person_with_a_generated_password_shown_once(session, org):
    body = PersonAddIn(username="13900000009", name="赵六", branch="B", phone="0591-1")
    done = actions.add_person(session, actor(session, "admin_gen"), body, NOW)
    assert done.generated_password and done.person.must_change_password
    added = user(session, "13900000009")
    assert done.generated_password not in added.password_hash
    assert authenticate(session, "13900000009", done.generated_password) is not None
    assert (added.branch.code, added.phone) == ("B", "0591-1")
    assert audits(session, "user.create")[-1].target == "user:13900000009"


def test_adding_outside_my_subtree_or_to_a_non_branch_names_the_field(session, org):
    by = actor(session, "admin_gen")
    with pytest.raises(NotFound) as outside:
        actions.add_person(
            session, by, PersonAddIn(username="x123", name="甲", branch="C"), NOW
        )
    with pytest.raises(ValidationFailed) as not_branch:
        actions.add_person(
            session, by, PersonAddIn(username="x123", name="甲", branch="GEN"), NOW
        )
    assert (outside.value.field, not_branch.value.field) == ("branch", "branch")
    assert user(session, "x123") is None


def test_a_taken_username_is_a_conflict_on_the_username(session, org):
    body = PersonAddIn(username="member_a", name="重名", branch="A")
    with pytest.raises(Conflict) as taken:
        actions.add_person(session, actor(session, "admin_gen"), body, NOW)
    assert taken.value.field == "username"


def test_editing_name_and_phone_is_audited_with_before_and_after(session, org):
    body = PersonEditIn(name="李一一", phone="13811112222")
    actions.edit_person(session, actor(session, "admin_gen"), "member_a", body, NOW)
    assert (user(session, "member_a").name, user(session, "member_a").phone) == (
        "李一一",
        "13811112222",
    )
    event = audits(session, "user.edit")[-1]
    assert (
        event.detail["from"]["name"] == "李一"
        and event.detail["to"]["name"] == "李一一"
    )


def test_a_deactivated_member_cannot_log_in_and_their_logins_end(session, org):
    member = user(session, "member_a")
    open_session(session, member, kind="api", lifetime=timedelta(days=1), now=NOW)
    actions.set_active(
        session, actor(session, "admin_gen"), "member_a", ActiveIn(active=False), NOW
    )
    assert authenticate(session, "member_a", PASSWORD) is None
    assert (
        session.scalars(
            select(AuthSession).where(AuthSession.user_id == member.id)
        ).all()
        == []
    )
    actions.set_active(
        session, actor(session, "admin_gen"), "member_a", ActiveIn(active=True), NOW
    )
    assert authenticate(session, "member_a", PASSWORD) is not None
    assert [
        e.action
        for e in audits(session, "user.deactivate") + audits(session, "user.reactivate")
    ] == ["user.deactivate", "user.reactivate"]


def test_an_admin_cannot_deactivate_themselves(session, org):
    with pytest.raises(ValidationFailed):
        actions.set_active(
            session,
            actor(session, "admin_gen"),
            "admin_gen",
            ActiveIn(active=False),
            NOW,
        )


def test_roles_are_granted_and_revoked_on_units_of_my_subtree(session, org):
    by = actor(session, "admin_gen")
    row = actions.grant_role(
        session, by, "member_a", RoleIn(role="secretary", unit="A"), NOW
    )
    assert [(r.role, r.unit.code) for r in row.roles] == [("secretary", "A")]
    actions.grant_role(session, by, "member_a", RoleIn(role="secretary", unit="A"), NOW)
    assert len(audits(session, "user.grant")) == 1  # a repeat changes nothing
    with pytest.raises(NotFound) as outside:
        actions.grant_role(
            session, by, "member_a", RoleIn(role="admin", unit="ROOT"), NOW
        )
    assert outside.value.field == "unit"
    row = actions.revoke_role(
        session, by, "member_a", RoleIn(role="secretary", unit="A"), NOW
    )
    assert row.roles == [] and len(audits(session, "user.revoke")) == 1


def test_exempt_is_marked_with_a_reason_and_cleared(session, org):
    by = actor(session, "sec_a")
    actions.set_exempt(session, by, "member_a", PersonExemptIn(reason="流动党员"), NOW)
    assert user(session, "member_a").exempt_reason == "流动党员"
    actions.set_exempt(session, by, "member_a", PersonExemptIn(reason=" "), NOW)
    assert user(session, "member_a").exempt_reason is None
    assert [e.action for e in audits(session, "member.exempt")] == ["member.exempt"]
    assert len(audits(session, "member.exempt_cleared")) == 1


def test_a_secretary_resets_a_member_of_their_branch(session, org):
    member = user(session, "member_a")
    open_session(session, member, kind="web", lifetime=timedelta(days=1), now=NOW)
    done = actions.reset_password(
        session, actor(session, "sec_a"), "member_a", ResetIn(), NOW
    )
    assert done.generated_password and user(session, "member_a").must_change_password
    assert authenticate(session, "member_a", PASSWORD) is None
    assert authenticate(session, "member_a", done.generated_password) is not None
    assert (
        session.scalars(
            select(AuthSession).where(AuthSession.user_id == member.id)
        ).all()
        == []
    )
    event = audits(session, "user.reset_password")[-1]
    assert done.generated_password not in str(event.detail)


def test_a_typed_password_is_used_and_not_echoed(session, org):
    done = actions.reset_password(
        session,
        actor(session, "admin_root"),
        "member_c",
        ResetIn(password="temporary-9"),
        NOW,
    )
    assert done.generated_password is None
    assert authenticate(session, "member_c", "temporary-9") is not None


def test_a_too_short_typed_password_names_the_field(session, org):
    with pytest.raises(ValidationFailed) as short:
        actions.reset_password(
            session, actor(session, "sec_a"), "member_a", ResetIn(password="abc"), NOW
        )
    assert short.value.field == "password"


def test_a_secretary_cannot_reset_a_member_of_another_branch(session, org):
    with pytest.raises(NotFound):
        actions.reset_password(
            session, actor(session, "sec_a"), "member_b", ResetIn(), NOW
        )
    assert authenticate(session, "member_b", PASSWORD) is not None


def test_a_secretary_cannot_reset_someone_with_a_role_above_theirs(session, org):
    make_user(session, org["a"], "admin_in_a", role=Role.ADMIN)
    with pytest.raises(Forbidden):
        actions.reset_password(
            session, actor(session, "sec_a"), "admin_in_a", ResetIn(), NOW
        )


def test_an_admin_of_one_subtree_cannot_touch_another(session, org):
    by = actor(session, "admin_gen")
    calls = [
        lambda: actions.reset_password(session, by, "member_c", ResetIn(), NOW),
        lambda: actions.edit_person(
            session, by, "member_c", PersonEditIn(name="x"), NOW
        ),
        lambda: actions.set_active(
            session, by, "member_c", ActiveIn(active=False), NOW
        ),
        lambda: actions.set_exempt(
            session, by, "member_c", PersonExemptIn(reason="x"), NOW
        ),
        lambda: actions.grant_role(
            session, by, "member_c", RoleIn(role="secretary", unit="A"), NOW
        ),
        lambda: actions.person_detail(session, by, "member_c", NOW),
    ]
    for call in calls:
        with pytest.raises(NotFound):
            call()
    assert (
        user(session, "member_c").name == "张三" and user(session, "member_c").is_active
    )


def test_out_of_scope_and_unknown_usernames_answer_the_same(session, org):
    by = actor(session, "admin_gen")
    with pytest.raises(NotFound) as outside:
        actions.person_detail(session, by, "member_c", NOW)
    with pytest.raises(NotFound) as unknown:
        actions.person_detail(session, by, "nobody", NOW)
    assert outside.value.message == unknown.value.message
