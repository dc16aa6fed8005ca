"""What an admin does with the audit trail: read it, filtered and paged.

``(session, actor, input, now) -> result``: a global admin reads every entry,
another admin only their own actions, anyone else is Forbidden.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from studyapp.audit.models import AuditEvent
from studyapp.audit.payloads import AuditActor, AuditEntry, AuditPage, AuditQuery
from studyapp.auth.actor import Actor
from studyapp.auth.models import User
from studyapp.auth.permissions import is_global_admin
from studyapp.auth.roles import Role
from studyapp.content.models import Lesson, QuestionBank, QuizDefinition
from studyapp.errors import Forbidden
from studyapp.org.models import OrgUnit
from studyapp.timeutil import day_bounds

PAGE_SIZE = 50


def audit_log(
    session: Session, actor: Actor, query: AuditQuery, now: datetime
) -> AuditPage:
    """Entries newest first (ties by id), ``PAGE_SIZE`` a page."""
    if not actor.has_role(Role.ADMIN):
        raise Forbidden("只有管理员可以查看操作记录")
    everyone = is_global_admin(actor)  # type: ignore[arg-type]
    stmt = select(AuditEvent, User.username, User.name).outerjoin(
        User, User.id == AuditEvent.actor_id
    )
    if not everyone:
        stmt = stmt.where(AuditEvent.actor_id == actor.id)
    stmt = _filtered(stmt, query).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    start = (query.page - 1) * PAGE_SIZE
    rows = session.execute(stmt.offset(start).limit(PAGE_SIZE + 1)).all()
    names = _target_names(session, [row[0].target for row in rows[:PAGE_SIZE]])
    return AuditPage(
        entries=[_entry(*row, names) for row in rows[:PAGE_SIZE]],
        page=query.page,
        has_more=len(rows) > PAGE_SIZE,
        everyone=everyone,
        query=query,
    )


def _filtered(stmt: Select[Any], q: AuditQuery) -> Select[Any]:
    if q.action:
        stmt = stmt.where(
            or_(AuditEvent.action == q.action,
                AuditEvent.action.startswith(q.action + ".", autoescape=True))
        )  # fmt: skip
    if q.actor:
        stmt = stmt.where(User.username == q.actor.strip())
    if q.target:
        stmt = stmt.where(AuditEvent.target.contains(q.target.strip(), autoescape=True))
    if q.since:
        stmt = stmt.where(AuditEvent.at >= day_bounds(q.since)[0])
    if q.until:
        stmt = stmt.where(AuditEvent.at < day_bounds(q.until)[1])
    return stmt


def _entry(
    event: AuditEvent, username: str | None, name: str | None, names: dict[str, str]
) -> AuditEntry:
    who = AuditActor(username=username, name=name or "") if username else None
    return AuditEntry(
        id=event.id,
        at=event.at,
        action=event.action,
        target=event.target,
        actor=who,
        detail=dict(event.detail or {}),
        target_name=names.get(event.target),
        address=event.address,
    )


#: Target prefix → (model, key column, name column).
_NAMED: dict[str, tuple[Any, Any, Any]] = {
    "user": (User, User.username, User.name),
    "unit": (OrgUnit, OrgUnit.code, OrgUnit.name),
    "lesson": (Lesson, Lesson.slug, Lesson.title),
    "bank": (QuestionBank, QuestionBank.slug, QuestionBank.title),
    "quiz": (QuizDefinition, QuizDefinition.slug, QuizDefinition.title),
}


def _target_names(session: Session, targets: list[str]) -> dict[str, str]:
    """``kind:key`` → the name of what it names, one query per kind on the page."""
    keys: dict[str, set[str]] = {}
    for target in targets:
        kind, _, key = target.partition(":")
        if kind in _NAMED and key:
            keys.setdefault(kind, set()).add(key)
    out = {}
    for kind, wanted in keys.items():
        _model, key_col, name_col = _NAMED[kind]
        for key, name in session.execute(
            select(key_col, name_col).where(key_col.in_(wanted))
        ):
            out[f"{kind}:{key}"] = name
    return out
