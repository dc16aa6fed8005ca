"""月读一本书: log a book, its progress and a note; a finished book scores once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from studyapp.auth.models import User
from studyapp.errors import Forbidden, ValidationFailed
from studyapp.progress.models import BookLog
from studyapp.progress.service import award
from studyapp.progress.settings import ProgressSettings
from studyapp.timeutil import month_key, study_day


def add_book(
    session: Session, user: User, *, title: str, author: str, now: datetime
) -> BookLog:
    """Log a book for the current month."""
    title = title.strip()
    if not title:
        raise ValidationFailed("请填写书名", field="title")
    book = BookLog(
        user_id=user.id,
        month=month_key(study_day(now)),
        title=title[:200],
        author=author.strip()[:100],
        progress_percent=0,
        note="",
        created_at=now,
        updated_at=now,
    )
    session.add(book)
    session.flush()
    return book


def update_book(
    session: Session,
    user: User,
    book: BookLog,
    *,
    progress_percent: int,
    note: str,
    now: datetime,
    settings: ProgressSettings,
) -> int:
    """Save progress and note; reaching 100 % finishes the book (+5 points for
    the month's first finished book: finishing four in a minute earns 5, not 20).

    Returns the points earned by this update.
    """
    if book.user_id != user.id:
        raise Forbidden("只能修改自己的读书记录")
    if not 0 <= progress_percent <= 100:
        raise ValidationFailed("进度应在 0 到 100 之间", field="progress_percent")
    if len(note) > 2000:
        raise ValidationFailed("心得最多 2000 字", field="note")
    book.progress_percent, book.note, book.updated_at = (
        progress_percent,
        note.strip(),
        now,
    )
    if progress_percent < 100 or book.finished_at is not None:
        session.flush()
        return 0
    book.finished_at = now
    session.flush()
    return award(
        session,
        user,
        rule="book_finished",
        # 月读一本书: one finished book a month scores, however many are logged.
        source=f"month:{book.month}",
        points=settings.rules["book_finished"].points,
        day=study_day(now),
        now=now,
        settings=settings,
    )
