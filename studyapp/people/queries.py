"""Read-only queries over people in a scope (paged in SQL)."""

from __future__ import annotations

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from studyapp.auth.models import User
from studyapp.org.models import OrgUnit


def people_stmt(
    in_scope: ColumnElement[bool],
    *,
    text: str | None,
    subtree: OrgUnit | None,
    status: str,
) -> Select[tuple[User]]:
    """SQL: the people whose branch meets ``in_scope`` (and ``subtree``), whose
    name or username contains ``text``, by branch code then name."""
    stmt = select(User).join(OrgUnit, OrgUnit.id == User.branch_id).where(in_scope)
    if subtree is not None:
        stmt = stmt.where(OrgUnit.path.startswith(subtree.path, autoescape=True))
    if text:
        stmt = stmt.where(
            or_(
                User.name.contains(text, autoescape=True),
                User.username.contains(text, autoescape=True),
            )
        )
    if status != "all":
        stmt = stmt.where(User.is_active.is_(status == "active"))
    return stmt.order_by(OrgUnit.code, User.name, User.id)


def page_of(
    session: Session, stmt: Select[tuple[User]], page: int, size: int
) -> tuple[list[User], int]:
    """One page of ``stmt`` and the total count (two queries)."""
    total = session.scalar(
        select(func.count()).select_from(stmt.order_by(None).subquery())
    )
    rows = list(session.scalars(stmt.limit(size).offset((page - 1) * size)))
    return rows, total or 0
