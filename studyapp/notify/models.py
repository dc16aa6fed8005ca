"""Notification: one in-app message to one user (a nudge, a reminder, …)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from studyapp.db import Base, intpk

#: Kinds of notification. Add new kinds here (e.g. scheduled reminders).
NUDGE = "nudge"


class Notification(Base):
    """An in-app message to one user: a nudge now, scheduled reminders later."""

    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_user_read", "user_id", "read_at"),)

    id: Mapped[intpk]
    #: The recipient.
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    #: ``nudge`` (from a secretary) or another kind, e.g. a scheduled reminder.
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    #: When the recipient opened it; None while unread.
    read_at: Mapped[datetime | None]
    #: Who sent it; None for the system (jobs).
    sender_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL")
    )
    #: Makes a notification once-only, e.g. ``nudge:42:2026-11-20`` (one nudge per
    #: member per day) or ``reminder:42:2026-11-20``; None when repeats are fine.
    dedupe_key: Mapped[str | None] = mapped_column(String(100), unique=True)
