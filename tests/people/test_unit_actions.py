"""Unit actions with a session and an Actor: the tree, add, rename, move, close."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from studyapp.audit.models import AuditEvent
from studyapp.errors import Conflict, Forbidden, NotFound, ValidationFailed
from studyapp.org import actions
from studyapp.org.models import OrgUnit
from studyapp.org.payloads import UnitIn, UnitMoveIn, UnitRenameIn
from studyapp.people import actions as people
from studyapp.people.payloads import ActiveIn
from studyapp.timeutil import utcnow
from tests.people.conftest import actor

NOW = utcnow()


def unit(session, code):  # type: ignore[no-untyped-def]
    return session.scalar(select(OrgUnit).where(OrgUnit.code == code))


def test_the_tree_counts_active_members_over_each_subtree(session, org):
    tree = actions.unit_tree(session, actor(session, "admin_root"), NOW)
    counts = {u.code: (u.depth, u.members) for u in tree.units}
    # admins count where they belong: admin_root on ROOT, admin_gen on GEN
    assert counts == {
        "ROOT": (0, 7),
        "GEN": (1, 5),
        "A": (2, 2),
        "B": (2, 2),
        "C": (1, 1),
    }


def test_an_admin_sees_only_their_subtree(session, org):
    tree = actions.unit_tree(session, actor(session, "admin_gen"), NOW)
    assert [u.code for u in tree.units] == ["GEN", "A", "B"]


def test_a_secretary_has_no_unit_tree(session, org):
    with pytest.raises(Forbidden):
        actions.unit_tree(session, actor(session, "sec_a"), NOW)


def test_adding_a_branch_under_my_unit_is_audited(session, org):
    body = UnitIn(code="D", name="丁支部", kind="branch", parent="GEN")
    node = actions.add_unit(session, actor(session, "admin_gen"), body, NOW)
    assert (node.parent, node.depth, node.members) == ("GEN", 1, 0)
    assert unit(session, "D").path.startswith(unit(session, "GEN").path)
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "unit.create"))
    assert event.target == "unit:D"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (UnitIn(code="含 空格", name="x", kind="branch", parent="GEN"), "code"),
        (UnitIn(code="D", name="x", kind="club", parent="GEN"), "kind"),
        (UnitIn(code="D", name="x", kind="committee", parent="GEN"), "parent"),
        (UnitIn(code="D", name=" ", kind="branch", parent="GEN"), "name"),
    ],
)
def test_a_bad_unit_names_the_field_and_adds_nothing(session, org, body, field):
    with pytest.raises(ValidationFailed) as bad:
        actions.add_unit(session, actor(session, "admin_gen"), body, NOW)
    assert bad.value.field == field
    assert unit(session, "D") is None


def test_a_code_is_never_reused_even_after_closing(session, org):
    by = actor(session, "admin_gen")
    actions.add_unit(
        session, by, UnitIn(code="D", name="丁", kind="branch", parent="GEN"), NOW
    )
    actions.close_unit(session, by, "D", NOW)
    with pytest.raises(Conflict) as used:
        actions.add_unit(
            session, by, UnitIn(code="D", name="新丁", kind="branch", parent="GEN"), NOW
        )
    assert used.value.field == "code"


def test_rename_keeps_the_code(session, org):
    by = actor(session, "admin_gen")
    node = actions.rename_unit(session, by, "A", UnitRenameIn(name="甲一支部"), NOW)
    assert (node.code, unit(session, "A").name) == ("A", "甲一支部")


def test_moving_a_unit_takes_its_subtree_and_people_along(session, org):
    by = actor(session, "admin_root")
    actions.move_unit(session, by, "B", UnitMoveIn(parent="ROOT"), NOW)
    assert (
        unit(session, "B").path
        == f"{unit(session, 'ROOT').path}{unit(session, 'B').id}/"
    )
    tree = {u.code: u.members for u in actions.unit_tree(session, by, NOW).units}
    assert (tree["GEN"], tree["B"]) == (3, 2)


def test_a_unit_cannot_move_under_its_own_descendant(session, org):
    by = actor(session, "admin_root")
    with pytest.raises(ValidationFailed) as loop:
        actions.move_unit(session, by, "GEN", UnitMoveIn(parent="A"), NOW)
    assert loop.value.field == "parent"


def test_closing_waits_until_no_active_member_is_left(session, org):
    by = actor(session, "admin_gen")
    with pytest.raises(Conflict) as busy:
        actions.close_unit(session, by, "B", NOW)
    assert "2" in busy.value.message
    for username in ("member_b", "sec_b"):
        people.set_active(session, by, username, ActiveIn(active=False), NOW)
    node = actions.close_unit(session, by, "B", NOW)
    assert node.closed and unit(session, "B").closed_at is not None


def test_a_unit_with_open_sub_units_cannot_close(session, org):
    by = actor(session, "admin_root")
    with pytest.raises(Conflict):
        actions.close_unit(session, by, "ROOT", NOW)


def test_nothing_can_be_added_under_a_closed_unit(session, org):
    by = actor(session, "admin_gen")
    actions.add_unit(
        session, by, UnitIn(code="D", name="丁", kind="branch", parent="GEN"), NOW
    )
    actions.close_unit(session, by, "D", NOW)
    with pytest.raises(ValidationFailed) as closed:
        actions.add_unit(
            session, by, UnitIn(code="D1", name="x", kind="group", parent="D"), NOW
        )
    assert closed.value.field == "parent"


@pytest.mark.parametrize("code", ["C", "ROOT", "NOPE"])
def test_units_outside_my_subtree_are_not_found(session, org, code):
    by = actor(session, "admin_gen")
    with pytest.raises(NotFound):
        actions.rename_unit(session, by, code, UnitRenameIn(name="x"), NOW)
    with pytest.raises(NotFound):
        actions.close_unit(session, by, code, NOW)
    with pytest.raises(NotFound):
        actions.move_unit(session, by, "A", UnitMoveIn(parent=code), NOW)
