"""An organisation for the people and unit tests: two subtrees, their admins and
secretaries, and members in branches A, B (under GEN) and C (under ROOT)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from studyapp.auth.actor import Actor
from studyapp.auth.models import User
from studyapp.auth.roles import Role
from tests.factories import make_tree, make_user


@pytest.fixture
def org(session):  # type: ignore[no-untyped-def]
    units = make_tree(session)
    make_user(session, units["root"], "admin_root", role=Role.ADMIN, name="县管理员")
    make_user(session, units["gen"], "admin_gen", role=Role.ADMIN, name="总支管理员")
    make_user(session, units["a"], "sec_a", role=Role.SECRETARY, name="甲书记")
    make_user(session, units["b"], "sec_b", role=Role.SECRETARY, name="乙书记")
    make_user(session, units["a"], "member_a", name="李一")
    make_user(session, units["b"], "member_b", name="王二")
    make_user(session, units["c"], "member_c", name="张三")
    session.flush()
    return units


def actor(session, username):  # type: ignore[no-untyped-def]
    """The Actor of a user, as the login loader builds it."""
    return Actor.of(user(session, username))


def user(session, username):  # type: ignore[no-untyped-def]
    return session.scalar(select(User).where(User.username == username))
