"""Send and read in-app notifications. Flush, never commit.

Nudges are private: only the recipient sees one, in their own inbox, and the
text is a friendly reminder, never a reproach. A member gets at most one nudge
a day (the ``dedupe_key`` is unique), however many people tap the button.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from studyapp.auth.models import User
from studyapp.errors import NotFound, ValidationFailed
from studyapp.notify.models import NUDGE, Notification
from studyapp.timeutil import study_day

#: The nudge as the member reads it (stored with the notification).
NUDGE_TITLE = "学习小提醒"
NUDGE_BODY = (
    "{sender}给您捎来一声问候：今天有空的话，读一篇课文或做几道题吧。"
    "量力而行，身体和工作要紧。"
)


def nudge_key(user_id: int, day: date) -> str:
    """The once-a-day key of a nudge to ``user_id`` on ``day`` (Asia/Shanghai)."""
    return f"{NUDGE}:{user_id}:{day.isoformat()}"


def notify(
    session: Session,
    to_user: User,
    *,
    kind: str,
    title: str,
    body: str,
    now: datetime,
    sender: User | None = None,
    dedupe_key: str | None = None,
) -> Notification | None:
    """Add a notification; None when ``dedupe_key`` was already used (no change).

    Generic: nudges use it, and scheduled reminders can too (kind, key).
    """
    if dedupe_key and is_used(session, dedupe_key):
        return None
    item = Notification(
        user_id=to_user.id,
        kind=kind,
        title=title,
        body=body,
        created_at=now,
        sender_id=sender.id if sender else None,
        dedupe_key=dedupe_key,
    )
    try:
        with session.begin_nested():  # a concurrent twin loses quietly
            session.add(item)
    except IntegrityError:
        return None
    return item


def is_used(session: Session, key: str) -> bool:
    """True when a notification with this ``dedupe_key`` was already sent."""
    stmt = select(Notification.id).where(Notification.dedupe_key == key)
    return session.scalar(stmt) is not None


def send_nudge(
    session: Session, from_user: User, to_user: User, now: datetime
) -> Notification | None:
    """Nudge a member privately; None if they were already nudged today.

    The caller checked that ``from_user`` may manage ``to_user``'s branch.
    Raises ValidationFailed for exempt or deactivated members.
    """
    if to_user.is_exempt or not to_user.is_active:
        raise ValidationFailed("这位党员免于统计，不需要提醒", field="member")
    return notify(
        session,
        to_user,
        kind=NUDGE,
        title=NUDGE_TITLE,
        body=NUDGE_BODY.format(sender=from_user.name),
        now=now,
        sender=from_user,
        dedupe_key=nudge_key(to_user.id, study_day(now)),
    )


def nudged_today(session: Session, user_ids: list[int], now: datetime) -> set[int]:
    """Which of these members already got today's nudge."""
    keys = {nudge_key(uid, study_day(now)): uid for uid in user_ids}
    if not keys:
        return set()
    stmt = select(Notification.dedupe_key).where(Notification.dedupe_key.in_(keys))
    return {keys[k] for k in session.scalars(stmt)}


def inbox(session: Session, user_id: int, limit: int = 50) -> list[Notification]:
    """The user's notifications, newest first."""
    stmt = (
        select(Notification)
        .where(Notification.user_id == user_id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


def unread_count(session: Session, user_id: int) -> int:
    """How many of the user's notifications are unread."""
    stmt = select(func.count()).where(
        Notification.user_id == user_id, Notification.read_at.is_(None)
    )
    return session.scalar(stmt) or 0


def open_notification(
    session: Session, user_id: int, notification_id: int, now: datetime
) -> Notification:
    """The user's own notification, marked read (the first time it is opened).

    Raises NotFound for someone else's notification, so ids reveal nothing.
    """
    item = session.get(Notification, notification_id)
    if item is None or item.user_id != user_id:
        raise NotFound("没有这条消息")
    if item.read_at is None:
        item.read_at = now
        session.flush()
    return item


def mark_all_read(session: Session, user_id: int, now: datetime) -> int:
    """Mark every unread notification of the user read; returns how many."""
    result = session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=now)
    )
    return result.rowcount or 0
