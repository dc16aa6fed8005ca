"""``/api/v1``: my notifications (消息): the inbox, reading one, the bell's count."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from pydantic import RootModel

from studyapp.api.kit import Router
from studyapp.db import get_session
from studyapp.notify import actions
from studyapp.notify.payloads import Notice, ReadAll, Unread
from studyapp.timeutil import utcnow

router = Router("notify", "notifications", "消息: nudges, reminders, digests.")


class Notices(RootModel[list[Notice]]):
    pass


@router.get("/notifications", ok=Notices, errors=(401,))
def notifications() -> Any:
    """My latest notifications, newest first; a text shows once it is read."""
    return Notices(actions.inbox(get_session(), current_user, utcnow()))


@router.get("/notifications/unread", ok=Unread, errors=(401,))
def unread_count() -> Any:
    """How many of my notifications are unread."""
    return actions.unread(get_session(), current_user, utcnow())


@router.post("/notifications/<int:notification_id>/read", ok=Notice,
             errors=(401, 404))  # fmt: skip
def read_notification(notification_id: int) -> Any:
    """One of my notifications with its text, marked read."""
    session = get_session()
    result = actions.open_notice(session, current_user, notification_id, utcnow())
    session.commit()
    return result


@router.post("/notifications/read", ok=ReadAll, errors=(401,))
def read_all_notifications() -> Any:
    """Mark all my notifications read."""
    session = get_session()
    result = actions.read_all(session, current_user, utcnow())
    session.commit()
    return result
