"""What a secretary or admin changes in the organisation, and the import.

- The 支部 tab's list of units my role covers.
- A member's standing: excuse a day (sick, travel) or withdraw the excuse,
  mark them exempt with a reason or clear it; a branch's member ranking on or
  off. Each is scoped through ``reports.access`` and audited.
- ``import_files``: units and members from CSV/XLSX, all or nothing.

Each action is ``(session, actor, [input,] now) -> result``; it flushes, the
edge commits.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import update
from sqlalchemy.orm import Session

from studyapp.audit.models import record
from studyapp.auth import importer as members_importer
from studyapp.auth import membership
from studyapp.auth import queries as people
from studyapp.auth.actor import Actor
from studyapp.auth.permissions import can_manage_unit, scope_roots, units_in_scope
from studyapp.auth.roles import Role
from studyapp.errors import Conflict, ImportFailed, NotFound, ValidationFailed
from studyapp.org import importer, queries, service, unit_settings
from studyapp.org.models import OrgUnit, UnitKind
from studyapp.org.payloads import (
    ExcusedDayOut,
    ExcuseIn,
    ExcuseWithdrawn,
    ExemptIn,
    MemberRankingIn,
    MemberRankingOut,
    MemberStanding,
    MyUnits,
    UnitIn,
    UnitMoveIn,
    UnitNode,
    UnitRenameIn,
    UnitSummary,
    UnitTree,
)
from studyapp.org.service import unit_by_code
from studyapp.progress.days import cancel_excuse, excuse_day
from studyapp.progress.models import DailyActivity
from studyapp.progress.settings import for_actor
from studyapp.progress.settlement import reopen
from studyapp.reports import access


def only_branch(actor: Actor) -> str | None:
    """The code of the one 党支部 my secretary role covers, when it is just one
    (the 支部 tab then opens its dashboard; no query)."""
    roots = scope_roots(actor, Role.SECRETARY)
    if len(roots) == 1 and roots[0].kind == UnitKind.BRANCH.value:
        return roots[0].code
    return None


def my_units(session: Session, actor: Actor, now: datetime) -> MyUnits:
    """The units my secretary/admin role covers and every 党支部 under them,
    with their members counted."""
    access.require_secretary(actor)
    roots = [session.get(OrgUnit, r.id) for r in scope_roots(actor, Role.SECRETARY)]
    branches = [b for root in roots for b in queries.branches_under(session, root)]
    counts = people.member_counts(session, roots + branches)

    def summary(unit: OrgUnit) -> UnitSummary:
        total, exempt = counts[unit.id]
        return UnitSummary(code=unit.code, name=unit.name, kind=unit.kind,
                           members=total, exempt=exempt)  # fmt: skip

    only = len(roots) == 1 and roots[0].kind == UnitKind.BRANCH.value
    return MyUnits(
        roots=[summary(u) for u in roots],
        branches=[summary(b) for b in branches],
        only=roots[0].code if only else None,
    )


def excuse(
    session: Session, actor: Actor, username: str, body: ExcuseIn, now: datetime
) -> ExcusedDayOut:
    """Excuse a member's day: it keeps the streak and leaves that day's rate
    denominator; the branch's settled figures reopen from that day. Audited.

    ValidationFailed for a future day or an empty reason (a repeat updates the
    reason).
    """
    member = access.report_member(session, actor, username)
    row = excuse_day(
        session, member, body.day, reason=body.reason, by=actor,  # type: ignore[arg-type]
        now=now, settings=for_actor(session, member),
    )  # fmt: skip
    branch_id = membership.branch_on(session, member, body.day)
    if branch_id != member.branch_id:  # a day before a move counts for the old branch
        session.execute(
            update(DailyActivity)
            .where(DailyActivity.user_id == member.id,
                   DailyActivity.study_day == body.day)
            .values(branch_id=branch_id)
        )  # fmt: skip
    reopen(session, branch_id, body.day)
    record(
        session, action="member.excuse", at=now, actor_id=actor.id,
        target=f"user:{member.username}",
        detail={"day": body.day.isoformat(), "reason": row.reason},
    )  # fmt: skip
    return ExcusedDayOut(username=member.username, name=member.name,
                         day=row.study_day, reason=row.reason)  # fmt: skip


def withdraw_excuse(
    session: Session, actor: Actor, username: str, day: date, now: datetime
) -> ExcuseWithdrawn:
    """Withdraw an excuse given by mistake: the day counts again, the branch's
    settled figures reopen from it. Audited; a day not excused changes nothing."""
    member = access.report_member(session, actor, username)
    done = cancel_excuse(session, member, day, settings=for_actor(session, member))
    if done:
        reopen(session, membership.branch_on(session, member, day), day)
        record(
            session, action="member.excuse_withdrawn", at=now, actor_id=actor.id,
            target=f"user:{member.username}", detail={"day": day.isoformat()},
        )  # fmt: skip
    return ExcuseWithdrawn(username=member.username, name=member.name, day=day,
                           withdrawn=done)  # fmt: skip


def set_exempt(
    session: Session, actor: Actor, username: str, body: ExemptIn, now: datetime
) -> MemberStanding:
    """Mark a member exempt from every rate and ranking with a reason, or clear
    it (empty reason). Audited when it changes something."""
    member = access.report_member(session, actor, username)
    reason = (body.reason or "").strip()[:200] or None
    if member.exempt_reason != reason:
        record(
            session, action="member.exempt" if reason else "member.exempt_cleared",
            at=now, actor_id=actor.id, target=f"user:{member.username}",
            detail={"from": member.exempt_reason, "to": reason},
        )  # fmt: skip
        member.exempt_reason = reason
        session.flush()
    return MemberStanding(username=member.username, name=member.name,
                          exempt=reason is not None, exempt_reason=reason)  # fmt: skip


def set_member_ranking(
    session: Session, actor: Actor, code: str, body: MemberRankingIn, now: datetime
) -> MemberRankingOut:
    """Let a branch's members see the ranking inside it, or stop it (audited)."""
    branch = access.report_branch(session, actor, code)
    if access.member_ranking_on(session, branch) != body.on:
        unit_settings.save(session, branch.id, {"member_ranking": body.on},
                           by=actor.id, now=now)  # fmt: skip
        record(
            session, action="unit.member_ranking", at=now, actor_id=actor.id,
            target=f"unit:{branch.code}", detail={"on": body.on},
        )  # fmt: skip
        session.flush()
    return MemberRankingOut(code=branch.code, on=body.on)


def unit_tree(session: Session, actor: Actor, now: datetime) -> UnitTree:
    """The units of my admin scope in tree order, each with its active members
    (and exempt ones) counted over its subtree; closed units included."""
    units = units_in_scope(session, actor, Role.ADMIN)
    if not units:
        access.require_admin(actor)
    counts = people.member_counts(session, units)
    top = min((u.path.count("/") for u in units), default=0)
    parents = {u.id: u.code for u in units}
    return UnitTree(
        units=[
            UnitNode(
                code=u.code,
                name=u.name,
                kind=u.kind,
                depth=u.path.count("/") - top,
                parent=parents.get(u.parent_id) if u.parent_id else None,
                members=counts[u.id][0],
                exempt=counts[u.id][1],
                closed=u.closed_at is not None,
            )
            for u in units
        ]
    )


def add_unit(session: Session, actor: Actor, body: UnitIn, now: datetime) -> UnitNode:
    """Add a unit under an open unit of my admin scope. ValidationFailed names
    the field (a bad code or kind, a kind that may not sit there); Conflict for
    a code already used, even by a closed unit: codes are never reused."""
    code = body.code.strip()
    if not UNIT_CODE_RE.match(code):
        raise ValidationFailed("组织编码只能包含字母、数字、- 和 _", field="code")
    if unit_by_code(session, code) is not None:
        raise Conflict(f"组织编码 {code} 已被使用过，不能重复使用", field="code")
    if body.kind not in UnitKind.__members__.values():
        raise ValidationFailed("类型须为 党委、党总支、党支部 或 党小组", field="kind")
    parent = _open_unit(session, actor, body.parent, field="parent")
    unit = service.create_unit(
        session,
        code=code,
        name=_name(body.name),
        kind=UnitKind(body.kind),
        parent=parent,
        now=now,
    )
    record(
        session,
        action="unit.create",
        at=now,
        actor_id=actor.id,
        target=f"unit:{code}",
        detail={"name": unit.name, "parent": parent.code},
    )
    return _node(session, actor, unit)


def rename_unit(
    session: Session, actor: Actor, code: str, body: UnitRenameIn, now: datetime
) -> UnitNode:
    """Give a unit of my admin scope a new name (its code stays)."""
    unit = _admin_unit(session, actor, code)
    name = _name(body.name)
    if unit.name != name:
        record(
            session,
            action="unit.rename",
            at=now,
            actor_id=actor.id,
            target=f"unit:{unit.code}",
            detail={"from": unit.name, "to": name},
        )
        unit.name = name
        session.flush()
    return _node(session, actor, unit)


def move_unit(
    session: Session, actor: Actor, code: str, body: UnitMoveIn, now: datetime
) -> UnitNode:
    """Move a unit with its whole subtree under another open unit of my admin
    scope; never under itself or one of its own descendants."""
    unit = _admin_unit(session, actor, code)
    parent = _open_unit(session, actor, body.parent, field="parent")
    old = unit.parent.code if unit.parent else None
    if parent.id != unit.parent_id:
        service.move_unit(session, unit, parent)
        record(
            session,
            action="unit.move",
            at=now,
            actor_id=actor.id,
            target=f"unit:{unit.code}",
            detail={"from": old, "to": parent.code},
        )
        session.flush()
    return _node(session, actor, unit)


def close_unit(session: Session, actor: Actor, code: str, now: datetime) -> UnitNode:
    """Close a unit of my admin scope once no active member is left in it and
    its sub-units are closed (Conflict otherwise). Its history stays, and its
    code is never given out again."""
    unit = _admin_unit(session, actor, code)
    if unit.closed_at is None:
        active = people.member_counts(session, [unit])[unit.id][0]
        if active:
            raise Conflict(f"{unit.name} 还有 {active} 名在册党员，请先调出或停用")
        if queries.open_children(session, unit):
            raise Conflict(f"{unit.name} 还有未撤销的下级组织，请先撤销或移走")
        unit.closed_at = now
        record(
            session,
            action="unit.close",
            at=now,
            actor_id=actor.id,
            target=f"unit:{unit.code}",
        )
        session.flush()
    return _node(session, actor, unit)


#: Unit codes: letters, digits, ``-`` and ``_``.
UNIT_CODE_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def _admin_unit(
    session: Session, actor: Actor, code: str, field: str = "code"
) -> OrgUnit:
    """The unit when my admin scope covers it; NotFound otherwise (an unknown
    code and one outside my scope answer the same)."""
    access.require_admin(actor)
    unit = unit_by_code(session, code.strip())
    if unit is None or not can_manage_unit(actor, unit, Role.ADMIN):
        raise NotFound(f"没有编码为 {code} 的组织，或不在您管理的范围内", field=field)
    return unit


def _open_unit(session: Session, actor: Actor, code: str, *, field: str) -> OrgUnit:
    unit = _admin_unit(session, actor, code, field=field)
    if unit.closed_at is not None:
        raise ValidationFailed(f"{unit.name} 已撤销", field=field)
    return unit


def _name(text: str) -> str:
    name = text.strip()
    if not name:
        raise ValidationFailed("名称不能为空", field="name")
    return name[:200]


def _node(session: Session, actor: Actor, unit: OrgUnit) -> UnitNode:
    total, exempt = people.member_counts(session, [unit])[unit.id]
    top = min(r.path.count("/") for r in scope_roots(actor, Role.ADMIN))
    return UnitNode(
        code=unit.code,
        name=unit.name,
        kind=unit.kind,
        parent=unit.parent.code if unit.parent else None,
        depth=max(unit.path.count("/") - top, 0),
        members=total,
        exempt=exempt,
        closed=unit.closed_at is not None,
    )


def import_files(
    session: Session,
    paths: Iterable[Path],
    *,
    now: datetime,
    actor: Actor | None = None,
    progress: Callable[[int], None] | None = None,
) -> importer.Summary:
    """Import units and members from CSV/XLSX files, all or nothing; audited.

    Every bad row of every file is collected as ``file:row: message`` and raised
    together as ImportFailed before anything is written. Re-importing the same
    files changes nothing; existing users keep their passwords. ``actor`` is
    None for the command line.
    """
    paths = list(paths)
    tables = importer.load_files(paths)
    units, members, problems = members_importer.check_all(session, tables, actor)
    if problems:
        raise ImportFailed(problems)
    summary = members_importer.apply_all(session, units, members, now, progress)
    record(
        session, action="org.import", at=now,
        actor_id=actor.id if actor else None,
        target=",".join(p.name for p in paths), detail=summary.counts(),
    )  # fmt: skip
    return summary
