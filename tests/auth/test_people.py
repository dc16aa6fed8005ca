"""Creating people and resetting passwords: the command line and an admin's scope."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from studyapp.audit.models import AuditEvent
from studyapp.auth import actions
from studyapp.auth.actor import Actor
from studyapp.auth.models import User
from studyapp.auth.payloads import PasswordResetIn, PersonIn
from studyapp.auth.roles import Role
from studyapp.auth.service import authenticate
from studyapp.errors import Conflict, Forbidden, NotFound, ValidationFailed
from studyapp.timeutil import utcnow
from tests.conftest import PASSWORD, login
from tests.factories import make_tree, make_user


@pytest.fixture
def org(session):  # type: ignore[no-untyped-def]
    units = make_tree(session)
    make_user(session, units["gen"], "admin_gen", role=Role.ADMIN)
    make_user(session, units["root"], "admin_root", role=Role.ADMIN)
    make_user(session, units["c"], "member_c")
    return units


def actor(session, username):  # type: ignore[no-untyped-def]
    return Actor.of(session.scalar(select(User).where(User.username == username)))


def person(**kw):  # type: ignore[no-untyped-def]
    return PersonIn(**{"username": "13900000001", "name": "孙八", "unit": "A", **kw})


def test_without_a_password_one_is_generated_and_must_be_changed(session, org):
    done = actions.create_person(session, None, person(), utcnow())
    assert done.generated_password and done.must_change_password
    user = authenticate(session, "13900000001", done.generated_password)
    assert user is not None and user.must_change_password
    assert (done.unit.code, done.role) == ("A", Role.MEMBER)


def test_a_given_password_is_kept_and_not_returned(session, org):
    done = actions.create_person(session, None, person(password="password-1"), utcnow())
    assert done.generated_password is None and not done.must_change_password
    assert authenticate(session, "13900000001", "password-1") is not None


def test_an_admin_creates_people_in_their_scope_and_it_is_audited(session, org):
    by = actor(session, "admin_gen")
    actions.create_person(session, by, person(role=Role.SECRETARY), utcnow())
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "user.create"))
    assert (event.actor_id, event.target) == (by.id, "user:13900000001")
    assert event.detail == {"unit": "A", "role": "secretary"}


def test_an_admin_cannot_create_people_outside_their_scope(session, org):
    with pytest.raises(Forbidden):
        actions.create_person(
            session, actor(session, "admin_gen"), person(unit="C"), utcnow()
        )
    assert session.scalar(select(User).where(User.username == "13900000001")) is None


def test_a_member_belongs_to_a_branch_and_the_unit_field_says_so(session, org):
    with pytest.raises(ValidationFailed) as bad:
        actions.create_person(session, None, person(unit="GEN"), utcnow())
    assert bad.value.field == "unit" and "不是党支部" in bad.value.message
    with pytest.raises(ValidationFailed) as unknown:
        actions.create_person(session, None, person(unit="NOPE"), utcnow())
    assert unknown.value.field == "unit"


def test_a_taken_username_is_a_conflict(session, org):
    with pytest.raises(Conflict) as taken:
        actions.create_person(session, None, person(username="member_c"), utcnow())
    assert taken.value.field == "username"


def test_an_admin_resets_a_password_in_scope_and_not_outside(session, org):
    by = actor(session, "admin_gen")
    with pytest.raises(NotFound):  # outside the scope: as for an unknown account
        actions.reset_password(
            session, by, PasswordResetIn(username="member_c"), utcnow()
        )
    make_user(session, org["a"], "member_a")
    done = actions.reset_password(
        session, by, PasswordResetIn(username="member_a"), utcnow()
    )
    user = authenticate(session, "member_a", done.generated_password)
    assert user is not None and user.must_change_password
    assert authenticate(session, "member_a", PASSWORD) is None


def test_resetting_an_unknown_username_is_not_found(session, org):
    with pytest.raises(NotFound):
        actions.reset_password(session, None, PasswordResetIn(username="x"), utcnow())


def test_reset_password_command_forces_a_new_password_at_login(runner, db, client):  # type: ignore[no-untyped-def]
    with db() as s:
        make_user(s, make_tree(s)["a"], "13800000007")
    result = runner.invoke(
        args=["user", "reset-password", "13800000007", "--password", "temp-pass-1"]
    )
    assert result.exit_code == 0 and "已重置 13800000007" in result.output
    assert login(client, "13800000007").status_code == 422  # the old one is gone
    resp = login(client, "13800000007", "temp-pass-1")
    assert resp.headers["Location"] == "/me/password"
    with db() as s:
        event = s.scalar(
            select(AuditEvent).where(AuditEvent.action == "user.reset_password")
        )
        assert event.target == "user:13800000007" and event.actor_id is None


def test_reset_password_command_names_a_short_password(runner, db):
    with db() as s:
        make_user(s, make_tree(s)["a"], "13800000007")
    result = runner.invoke(
        args=["user", "reset-password", "13800000007", "--password", "short"]
    )
    assert result.exit_code == 1 and "--password: 密码至少 8 位" in result.output
