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

from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from studyapp.audit.models import record
from studyapp.auth import importer as members_importer
from studyapp.auth import queries as people
from studyapp.auth.actor import Actor
from studyapp.auth.permissions import scope_roots
from studyapp.auth.roles import Role
from studyapp.errors import ImportFailed
from studyapp.org import importer, queries
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
    UnitSummary,
)
from studyapp.progress.days import cancel_excuse, excuse_day
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
    reopen(session, member.branch_id, body.day)
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
        reopen(session, member.branch_id, day)
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
    if branch.show_member_ranking != body.on:
        branch.show_member_ranking = body.on
        record(
            session, action="unit.member_ranking", at=now, actor_id=actor.id,
            target=f"unit:{branch.code}", detail={"on": body.on},
        )  # fmt: skip
        session.flush()
    return MemberRankingOut(code=branch.code, on=branch.show_member_ranking)


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
    problems: list[str] = []
    units, known = importer.check_units(session, tables, problems)
    members = members_importer.check_members(tables, known, problems)
    if problems:
        raise ImportFailed(problems)
    step = progress or (lambda _n: None)
    summary = importer.Summary()
    importer.apply_units(session, units, now, summary, step)
    members_importer.apply_members(session, members, now, summary, step)
    session.flush()
    record(
        session, action="org.import", at=now,
        actor_id=actor.id if actor else None,
        target=",".join(p.name for p in paths), detail=summary.counts(),
    )  # fmt: skip
    return summary
