"""Where a member is in their reading: 已读/未读, progress, the next lesson.

A lesson is *read* (已读) once its ``lesson_finished`` event exists (credited
reading time reached ``rules.FINISH_SHARE`` of its minutes), or, where study
time is not tracked, once it was opened. It is *started* when it has credited
seconds or was opened, and *unread* otherwise. Series run in publish order
(``publish_at`` or first publish, then id), the order the authors released them.

The lesson catalogue (titles, series, audience) is cached per process for 30 s
and cleared by this process on every publish or withdrawal; a lesson published
by another process shows up in 首页's next-lesson choice up to 30 s late
(harmless). Per member it costs one statement: the opened and finished events
and the credited seconds per lesson, read together (``history``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, literal, literal_column, select, union_all
from sqlalchemy.orm import Session

from studyapp.cache import TTLCache
from studyapp.content.models import ACTIVE, Lesson
from studyapp.org.models import OrgUnit
from studyapp.progress.models import ActivityEvent, StudyTime
from studyapp.progress.rules import FINISH_SHARE

READ, STARTED, UNREAD = "read", "started", "unread"


@dataclass(frozen=True)
class Entry:
    """A lesson as the reading order needs it."""

    slug: str
    title: str
    series: str | None
    minutes: int
    published_at: datetime
    publish_at: datetime | None
    #: Unit paths whose subtrees may read it; None for everyone.
    paths: tuple[str, ...] | None

    def visible_to(self, unit_path: str, now: datetime) -> bool:
        if self.publish_at is not None and self.publish_at > now:
            return False
        return self.paths is None or any(unit_path.startswith(p) for p in self.paths)


@dataclass(frozen=True)
class State:
    """A member's reading of one lesson."""

    state: str
    #: Credited reading time as a share of what finishing needs, 0–100.
    percent: int


@dataclass(frozen=True)
class History:
    """What a member has opened and finished (lesson slugs)."""

    finished: frozenset[str]
    opened: frozenset[str]
    #: The lesson opened most recently, or None.
    last: str | None
    #: False: study time is not tracked, so opening a lesson reads it.
    tracking: bool = True
    #: Credited reading seconds per lesson slug, over all days.
    seconds: dict[str, int] = field(default_factory=dict)

    @property
    def read(self) -> frozenset[str]:
        return self.finished if self.tracking else self.finished | self.opened


_CATALOG: TTLCache[tuple[Entry, ...]] = TTLCache(ttl=30)


def catalog(session: Session) -> tuple[Entry, ...]:
    """Every active lesson in publish order (cached, see the module doc)."""
    return _CATALOG.get("all", lambda: _load_catalog(session))


def forget() -> None:
    """Drop this process's cached catalogue (after publishing or withdrawing)."""
    _CATALOG.clear()


def _load_catalog(session: Session) -> tuple[Entry, ...]:
    published = func.coalesce(Lesson.publish_at, Lesson.created_at)
    rows = session.execute(
        select(Lesson.slug, Lesson.title, Lesson.series, Lesson.minutes,
               published.label("published_at"), Lesson.publish_at, Lesson.audience)
        .where(Lesson.status == ACTIVE)
        .order_by(published, Lesson.id)
    ).all()  # fmt: skip
    codes = {c for r in rows if r.audience != "all" for c in r.audience}
    paths = dict(
        session.execute(
            select(OrgUnit.code, OrgUnit.path).where(OrgUnit.code.in_(codes))
        ).all()
    ) if codes else {}  # fmt: skip
    return tuple(
        Entry(r.slug, r.title, r.series, int(r.minutes), r.published_at, r.publish_at,
              None if r.audience == "all"
              else tuple(paths[c] for c in r.audience if c in paths))
        for r in rows
    )  # fmt: skip


def history(session: Session, user_id: int, *, tracking: bool = True) -> History:
    """The lessons a member opened and finished, the last one opened, and the
    credited seconds per lesson: one indexed statement (both ledgers by member)."""
    events = select(
        ActivityEvent.kind, ActivityEvent.source, literal(0).label("seconds"),
        ActivityEvent.at.label("at"), ActivityEvent.id.label("id"),
    ).where(
        ActivityEvent.user_id == user_id,
        ActivityEvent.kind.in_(("lesson_opened", "lesson_finished")),
    )  # fmt: skip
    seconds = (
        select(
            literal_column("'seconds'"), StudyTime.source, func.sum(StudyTime.seconds),
            func.max(StudyTime.updated_at), literal(0),
        )
        .where(StudyTime.user_id == user_id, StudyTime.kind == "lesson")
        .group_by(StudyTime.source)
    )  # fmt: skip
    stmt = union_all(events, seconds).order_by(
        literal_column("at"), literal_column("id")
    )
    finished, opened, last = set(), set(), None
    credited: dict[str, int] = {}
    for kind, source, secs, _at, _id in session.execute(stmt).all():
        if kind == "seconds":
            credited[source] = int(secs or 0)
        elif kind == "lesson_finished":
            finished.add(source)
        else:  # lesson_opened sources are "<day>:<slug>"
            last = source.partition(":")[2]
            opened.add(last)
    return History(frozenset(finished), frozenset(opened), last, tracking, credited)


def finish_seconds(minutes: int) -> int:
    """Credited seconds at which a lesson of ``minutes`` counts as read."""
    return math.ceil(minutes * 60 * FINISH_SHARE) or 1


def state_of(slug: str, minutes: int, seen: History, seconds: dict[str, int]) -> State:
    """已读, begun (with its share) or 未读 for one lesson."""
    if slug in seen.read:
        return State(READ, 100)
    percent = min(99, seconds.get(slug, 0) * 100 // finish_seconds(minutes))
    if percent > 0 or slug in seen.opened:
        return State(STARTED, percent)
    return State(UNREAD, 0)


def next_in_series(
    entries: tuple[Entry, ...], slug: str, unit_path: str, now: datetime
) -> Entry | None:
    """The lesson after ``slug`` in its series that the member may read now."""
    mine = [e for e in entries if e.visible_to(unit_path, now)]
    current = next((e for e in mine if e.slug == slug), None)
    if current is None or not current.series:
        return None
    series = [e for e in mine if e.series == current.series]
    at = series.index(current)
    return series[at + 1] if at + 1 < len(series) else None


def suggestion(
    entries: tuple[Entry, ...], seen: History, unit_path: str, now: datetime
) -> tuple[Entry | None, bool]:
    """首页's one next step: ``(lesson, continuing)``.

    The last lesson opened while it is not yet read (continuing); else the next
    unread lesson of its series; else the newest unread lesson; else None.
    """
    mine = [e for e in entries if e.visible_to(unit_path, now)]
    by_slug = {e.slug: e for e in mine}
    last = by_slug.get(seen.last or "")
    if last is not None and last.slug not in seen.read:
        return last, True
    unread = [e for e in mine if e.slug not in seen.read]
    if last is not None and last.series:
        after = [e for e in unread if e.series == last.series]
        later = [e for e in after if e.published_at >= last.published_at]
        if later or after:
            return (later or after)[0], False
    return (unread[-1] if unread else None), False
