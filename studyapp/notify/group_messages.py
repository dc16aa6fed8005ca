"""Messages to a branch's group robot: an outbox, one row per branch and key.

A job queues a message in its own transaction (``queue``: unique per branch and
key, e.g. ``reminder:2026-11-22``, so a rerun queues nothing twice); the
sender claims it (pending → sending, committed) before any HTTP, then records
the outcome. A message is therefore posted at most once, even if the process
dies mid-way (a ``sending`` row is never posted again; it expires). Flush only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from studyapp.audit.models import record
from studyapp.auth.models import User
from studyapp.db import Base, intpk
from studyapp.errors import ValidationFailed
from studyapp.notify.webhook import KINDS, check_url
from studyapp.org.models import OrgUnit
from studyapp.timeutil import day_bounds, study_day

PENDING, SENDING, SENT, FAILED, EXPIRED = (
    "pending",
    "sending",
    "sent",
    "failed",
    "expired",
)


class GroupMessage(Base):
    __tablename__ = "group_message"
    __table_args__ = (UniqueConstraint("unit_id", "key"),)

    id: Mapped[intpk]
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="CASCADE"))
    #: What it is for, once per branch: ``reminder:2026-11-22``.
    key: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    #: pending | sending | sent | failed | expired
    status: Mapped[str] = mapped_column(String(10), default=PENDING, index=True)
    #: HTTP tries made by the last delivery.
    tries: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


@dataclass(frozen=True)
class Outgoing:
    """A claimed message with where it goes (read before any HTTP)."""

    id: int
    unit_code: str
    url: str
    kind: str
    text: str


def queue(
    session: Session, unit: OrgUnit, key: str, text: str, now: datetime
) -> GroupMessage | None:
    """Queue a message for the unit's robot; None if ``key`` was already queued."""
    stmt = select(GroupMessage.id).where(
        GroupMessage.unit_id == unit.id, GroupMessage.key == key
    )
    if session.scalar(stmt) is not None:
        return None
    message = GroupMessage(unit_id=unit.id, key=key, text=text, created_at=now)
    try:
        with session.begin_nested():
            session.add(message)
    except IntegrityError:
        return None
    return message


def expire_stale(session: Session, now: datetime) -> int:
    """Unsent messages from before today (Asia/Shanghai) will never be sent."""
    start, _ = day_bounds(study_day(now))
    result = session.execute(
        update(GroupMessage)
        .where(
            GroupMessage.status.in_((PENDING, SENDING)),
            GroupMessage.created_at < start,
        )
        .values(status=EXPIRED)
    )
    return result.rowcount or 0


def claim_pending(session: Session, hosts: list[str]) -> list[Outgoing]:
    """Mark pending messages ``sending`` and return them (the caller commits
    before posting). Each is taken with a compare-and-set UPDATE, so two
    senders never both take one. A branch whose robot was removed, or now
    points at a host not in ``hosts``, gets its message marked failed instead.
    """
    rows = session.execute(
        select(GroupMessage.id, OrgUnit, GroupMessage.text)
        .join(OrgUnit, OrgUnit.id == GroupMessage.unit_id)
        .where(GroupMessage.status == PENDING)
        .order_by(GroupMessage.id)
    ).all()
    out = []
    for message_id, unit, text in rows:
        problem = _robot_problem(unit, hosts)
        status = FAILED if problem else SENDING
        if not _take(session, message_id, status, problem):
            continue
        if not problem:
            out.append(
                Outgoing(
                    message_id, unit.code, unit.webhook_url, unit.webhook_kind, text
                )
            )
    return out


def _take(session: Session, message_id: int, status: str, error: str | None) -> bool:
    result = session.execute(
        update(GroupMessage)
        .where(GroupMessage.id == message_id, GroupMessage.status == PENDING)
        .values(status=status, error=error)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _robot_problem(unit: OrgUnit, hosts: list[str]) -> str | None:
    if not unit.webhook_url:
        return "no robot configured"
    try:
        check_url(unit.webhook_url, hosts)
    except ValidationFailed as exc:
        return exc.message
    return None


def record_outcome(
    session: Session,
    message_id: int,
    *,
    ok: bool,
    tries: int,
    error: str | None,
    now: datetime,
) -> None:
    """Store what happened to one claimed message."""
    message = session.get(GroupMessage, message_id)
    if message is None:
        return
    message.status = SENT if ok else FAILED
    message.tries, message.error = tries, error
    message.sent_at = now if ok else None
    session.flush()


def configure_robot(
    session: Session,
    branch: OrgUnit,
    *,
    url: str | None,
    kind: str,
    show_names: bool,
    hosts: list[str],
    by: User,
    now: datetime,
) -> None:
    """Set (or, with an empty ``url``, remove) the branch's group robot; audited
    without the URL's secret key. Raises ValidationFailed for a bad URL or kind.
    """
    url = check_url(url, hosts) if url and url.strip() else None
    if kind not in KINDS:
        raise ValueError(f"unknown robot kind {kind!r}")
    branch.webhook_url, branch.webhook_kind = url, kind
    branch.webhook_show_names = show_names
    host = urlsplit(url).hostname if url else None
    record(
        session,
        action="unit.webhook",
        at=now,
        actor_id=by.id,
        target=f"unit:{branch.code}",
        detail={"host": host, "kind": kind, "show_names": show_names},
    )
    session.flush()
