"""AuditEvent: an append-only record of an administrative action."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from studyapp.db import CLIENT_ADDRESS, Base, intpk


class AuditEvent(Base):
    __tablename__ = "audit_event"

    id: Mapped[intpk]
    at: Mapped[datetime] = mapped_column(index=True)
    #: The acting user; None for the command line and scheduled jobs.
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    #: Dotted verb such as ``org.import`` or ``content.publish``.
    action: Mapped[str] = mapped_column(String(64))
    #: What it acted on, e.g. ``unit:DY-XM-03`` or ``user:13800000001``.
    target: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: The address the request came from (None for the command line and jobs).
    address: Mapped[str | None] = mapped_column(String(45))


def record(
    session: Session,
    *,
    action: str,
    at: datetime,
    actor_id: int | None = None,
    target: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append an audit event to the session (flushed with the caller's work);
    a request's client address comes along from the Session."""
    event = AuditEvent(
        at=at, actor_id=actor_id, action=action, target=target, detail=detail or {},
        address=session.info.get(CLIENT_ADDRESS),
    )  # fmt: skip
    session.add(event)
    return event
