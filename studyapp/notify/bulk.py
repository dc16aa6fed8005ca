"""Send one in-app notification to many members at once. Flush, never commit.

The many-recipient twin of :func:`studyapp.notify.service.notify`, for scheduled
jobs that write thousands of rows: one query for the keys already used, then
one multi-row INSERT (one round trip, so a job keeps SQLite's write lock for
milliseconds, not seconds). Same ``dedupe_key`` rule: a key is used once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from studyapp.notify.models import Notification

#: Rows per INSERT (keeps statements under SQLite's variable limit).
CHUNK = 500


def notify_many(
    session: Session,
    user_ids: Iterable[int],
    *,
    kind: str,
    title: str | Callable[[int], str],
    body: str | Callable[[int], str],
    now: datetime,
    key: Callable[[int], str],
) -> int:
    """Add a notification for each user whose ``key(user_id)`` is unused; how many.

    ``title`` and ``body`` are texts, or functions of the user id (personal
    wording). Idempotent: a second call with the same keys adds nothing.
    """
    keys = {uid: key(uid) for uid in user_ids}
    used = _used(session, list(keys.values()))
    rows = [
        {
            "user_id": uid,
            "kind": kind,
            "title": title(uid) if callable(title) else title,
            "body": body(uid) if callable(body) else body,
            "created_at": now,
            "read_at": None,
            "sender_id": None,
            "dedupe_key": k,
        }
        for uid, k in keys.items()
        if k not in used
    ]
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(Notification), rows[start : start + CHUNK])
    return len(rows)


def _used(session: Session, keys: list[str]) -> set[str]:
    used: set[str] = set()
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        stmt = select(Notification.dedupe_key).where(Notification.dedupe_key.in_(chunk))
        used.update(k for k in session.scalars(stmt) if k)
    return used
