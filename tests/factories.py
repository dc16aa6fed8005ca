"""Plain factory functions for tests: flush, never commit."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from studyapp.auth import service as auth_service
from studyapp.auth.models import User
from studyapp.auth.roles import Role
from studyapp.content.models import Question, QuestionRevision
from studyapp.org.models import OrgUnit, UnitKind
from studyapp.org.service import create_unit
from studyapp.timeutil import utcnow

PASSWORD = "correct-horse-1"
_seq = itertools.count(1)


def make_unit(
    session: Session,
    code: str | None = None,
    *,
    kind: UnitKind = UnitKind.BRANCH,
    parent: OrgUnit | None = None,
    name: str | None = None,
) -> OrgUnit:
    n = next(_seq)
    code = code or f"U{n:04d}"
    return create_unit(
        session,
        code=code,
        name=name or f"测试组织{code}",
        kind=kind,
        parent=parent,
        now=utcnow(),
    )


def make_user(
    session: Session,
    unit: OrgUnit,
    username: str | None = None,
    *,
    role: Role = Role.MEMBER,
    name: str | None = None,
    exempt_reason: str | None = None,
    password: str = PASSWORD,
) -> User:
    n = next(_seq)
    return auth_service.create_user(
        session,
        username=username or f"1380000{n:04d}",
        name=name or f"党员{n}",
        unit=unit,
        password=password,
        now=utcnow(),
        role=role,
        exempt_reason=exempt_reason,
    )


def make_tree(session: Session) -> dict[str, OrgUnit]:
    """A committee with a general branch holding branches A and B, and branch C."""
    root = make_unit(session, "ROOT", kind=UnitKind.COMMITTEE, name="县委")
    gen = make_unit(
        session, "GEN", kind=UnitKind.GENERAL_BRANCH, parent=root, name="总支"
    )
    a = make_unit(session, "A", parent=gen, name="甲支部")
    b = make_unit(session, "B", parent=gen, name="乙支部")
    c = make_unit(session, "C", parent=root, name="丙支部")
    return {"root": root, "gen": gen, "a": a, "b": b, "c": c}


def keyed(session: Session, table: dict[str, Any]) -> dict[str, Any]:
    """Answers written with the author's letters (``"A"``, ``["A", "C"]``) as
    the opaque option keys members send; other answers pass through unchanged.

    Keys are not the letters (see ``content.publishing.option_keys``), so a test
    looks them up from each question's current revision, as a member's page
    would show them.
    """
    slugs = list(table)
    rows = session.execute(
        select(Question.slug, QuestionRevision.options)
        .join(QuestionRevision, QuestionRevision.id == Question.current_revision_id)
        .where(Question.slug.in_(slugs))
    ).all()
    labels = {
        slug: {o.get("label"): o["key"] for o in options} for slug, options in rows
    }
    return {
        slug: _keyed(labels.get(slug, {}), answer) for slug, answer in table.items()
    }


def _keyed(labels: dict[Any, str], answer: Any) -> Any:
    if isinstance(answer, str) and answer in labels:
        return labels[answer]
    if isinstance(answer, list) and answer and all(a in labels for a in answer):
        return [labels[a] for a in answer]
    return answer
