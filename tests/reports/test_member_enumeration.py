"""A secretary cannot tell which usernames exist in other branches: a member
outside their scope gets exactly the answer of a username nobody has."""

from __future__ import annotations

import pytest

from tests.reports.test_scoping import call

MEMBER_ROUTES = [
    ("GET", "/members/{member}"),
    ("POST", "/members/{member}/nudge"),
    ("POST", "/members/{member}/excuse"),
    ("POST", "/members/{member}/excuse/2026-11-19/withdraw"),
    ("POST", "/members/{member}/exempt"),
    ("GET", "/api/v1/members/{member}"),
    ("POST", "/api/v1/members/{member}/nudge"),
    ("POST", "/api/v1/members/{member}/excuses"),
    ("DELETE", "/api/v1/members/{member}/excuses/2026-11-19"),
    ("PUT", "/api/v1/members/{member}/exempt"),
]


def answer(client, method, template, username, world):  # type: ignore[no-untyped-def]
    resp = call(client, method, template.replace("{member}", username), "A", world)
    return resp.status_code, resp.get_data(as_text=True).replace(username, "<u>")


@pytest.mark.parametrize(("method", "path"), MEMBER_ROUTES)
def test_a_member_of_another_branch_looks_like_nobody(
    world, client, login_as, method, path
):
    login_as("sec_a")
    other_branch = answer(client, method, path, "bm1", world)
    nobody = answer(client, method, path, "no_such_user", world)
    assert other_branch[0] == 404
    assert other_branch == nobody


def test_an_admin_resetting_a_password_outside_their_scope_learns_nothing(
    world, session
):
    from studyapp.auth import actions
    from studyapp.auth.payloads import PasswordResetIn
    from studyapp.errors import NotFound
    from studyapp.timeutil import utcnow
    from tests.reports.test_actions import actor

    admin = actor(session, "admin_gen")
    messages = []
    for username in ("cm1", "no_such_user"):
        with pytest.raises(NotFound) as err:
            actions.reset_password(
                session, admin, PasswordResetIn(username=username), utcnow()
            )
        messages.append(err.value.message.replace(username, "<u>"))
    assert messages[0] == messages[1]
