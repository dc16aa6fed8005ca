"""The organisation actions: the 支部 tab's units, and changes that are audited
only when they change something."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import event, func, select

from studyapp.audit.models import AuditEvent
from studyapp.auth.actor import Actor
from studyapp.auth.models import User
from studyapp.org import actions
from studyapp.org.payloads import ExemptIn, MemberRankingIn
from tests.reports.conftest import NOW


def actor(session, username):  # type: ignore[no-untyped-def]
    return Actor.of(session.scalar(select(User).where(User.username == username)))


def audits(session, action):  # type: ignore[no-untyped-def]
    stmt = select(func.count(AuditEvent.id)).where(AuditEvent.action == action)
    return session.scalar(stmt)


def test_my_units_counts_members_and_exempt_ones(world, session):
    units = actions.my_units(session, actor(session, "admin_root"), NOW)
    assert [r.code for r in units.roots] == ["ROOT"] and units.only is None
    counts = {b.code: (b.members, b.exempt) for b in units.branches}
    assert counts == {"A": (5, 1), "B": (2, 0), "C": (1, 0)}
    root = units.roots[0]
    assert (root.members, root.exempt) == (10, 1)  # the admins count too


def test_the_ranking_switch_is_audited_once_per_change(world, session):
    sec = actor(session, "sec_a")
    on = MemberRankingIn(on=True)
    assert actions.set_member_ranking(session, sec, "A", on, NOW).on is True
    actions.set_member_ranking(session, sec, "A", on, NOW)
    assert audits(session, "unit.member_ranking") == 1


def test_the_same_exemption_twice_is_audited_once(world, session):
    sec, body = actor(session, "sec_a"), ExemptIn(reason=" 流动党员 ")
    first = actions.set_exempt(session, sec, "am3", body, NOW)
    actions.set_exempt(session, sec, "am3", body, NOW)
    assert first.exempt_reason == "流动党员"  # trimmed
    assert audits(session, "member.exempt") == 1


def test_the_import_action_records_who_imported_what(world, session, tmp_path):
    path = Path(tmp_path) / "units.csv"
    path.write_text("code,name,kind,parent\nA-1,第一党小组,group,A\n", "utf-8")
    admin = actor(session, "admin_root")
    summary = actions.import_files(session, [path], now=NOW, actor=admin)
    assert summary.units_created == 1
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "org.import"))
    assert (event.actor_id, event.target) == (admin.id, "units.csv")
    assert event.detail["units_created"] == 1


def test_an_import_reads_only_the_accounts_it_names(world, session, tmp_path):
    """A county holds tens of thousands of accounts; a 1-row import (and its
    dry run) must not load them all (it took 6.7 s for 50 rows on 20,000)."""
    path = Path(tmp_path) / "members.csv"
    path.write_text("username,name,branch\nam3,新名字,A\n", "utf-8")
    admin = actor(session, "admin_root")
    session.expunge_all()
    loaded: list[str] = []
    on_load = lambda user, _context: loaded.append(user.username)  # noqa: E731
    event.listen(User, "load", on_load)
    try:
        summary = actions.import_files(session, [path], now=NOW, actor=admin)
    finally:
        event.remove(User, "load", on_load)
    assert summary.users_updated == 1
    assert loaded == ["am3"]
