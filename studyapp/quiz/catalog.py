"""Which quizzes exist for a member and when each is open (from the definitions)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, lazyload

from studyapp.cache import TTLCache
from studyapp.content.models import ACTIVE, QuizDefinition
from studyapp.org.models import OrgUnit
from studyapp.quiz import schedule
from studyapp.quiz.models import Attempt, QuizOccurrence

DAILY = "daily"


@dataclass(frozen=True)
class Opening:
    """A quiz definition with the window that is open now."""

    definition: QuizDefinition
    window: schedule.Window

    @property
    def slug(self) -> str:
        return public_slug(self.definition)


def public_slug(definition: QuizDefinition) -> str:
    """The id members and the API use for a quiz: ``daily`` for the daily quiz."""
    return DAILY if definition.kind == DAILY else definition.slug


def current_window(definition: QuizDefinition, now: datetime) -> schedule.Window | None:
    """The window of ``definition`` open at ``now`` (newest if several), or None.

    Open and close are data: this is decided from the definition and the clock,
    whether or not a scheduler job ran. A cron schedule is evaluated once per
    stretch of time in which nothing opens or closes (``_cron_state``). An
    admin's close or extension is not in it: members get :func:`open_window`.
    """
    cfg = definition.config
    if definition.kind == DAILY:
        return schedule.daily_window(now)
    if definition.kind == "weekly":
        return _cron_state(cfg.schedule, cfg.open_for, now)[0]
    window = schedule.fixed_window(cfg.opens_at, cfg.closes_at)
    return window if schedule.is_open(window, now) else None


def open_window(
    session: Session, definition: QuizDefinition, now: datetime
) -> schedule.Window | None:
    """The window of ``definition`` members may answer in at ``now``: the
    schedule's, unless an admin closed that occurrence early or extended one
    (then its row's ``closes_at`` decides)."""
    return open_windows(session, [definition], now).get(definition.id)


def open_windows(
    session: Session, definitions: list[QuizDefinition], now: datetime
) -> dict[int, schedule.Window]:
    """:func:`open_window` of each definition (one query), by definition id."""
    planned = {d.id: current_window(d, now) for d in definitions}
    # The daily quiz is never closed or extended: no query for it alone.
    adjustable = {d.id: planned[d.id] for d in definitions if d.kind != DAILY}
    rows = _adjusted(session, adjustable, now)
    found = {i: _effective(w, rows.get(i, []), now) for i, w in planned.items()}
    return {i: w for i, w in found.items() if w is not None}


def _adjusted(
    session: Session, planned: dict[int, schedule.Window | None], now: datetime
) -> dict[int, list[QuizOccurrence]]:
    """Adjusted occurrences that matter at ``now``: still open, or the one the
    schedule says is open."""
    if not planned:
        return {}
    current = [
        and_(QuizOccurrence.definition_id == i, QuizOccurrence.key == w.key)
        for i, w in planned.items()
        if w is not None
    ]
    stmt = select(QuizOccurrence).where(
        QuizOccurrence.definition_id.in_(list(planned)),
        QuizOccurrence.scheduled_closes_at.is_not(None),
        or_(QuizOccurrence.closes_at > now, *current),
    )
    out: dict[int, list[QuizOccurrence]] = {}
    for row in session.scalars(stmt):
        out.setdefault(row.definition_id, []).append(row)
    return out


def _effective(
    window: schedule.Window | None, rows: list[QuizOccurrence], now: datetime
) -> schedule.Window | None:
    adjusted = {r.key for r in rows}
    candidates = [r.window() for r in rows if schedule.is_open(r.window(), now)]
    if window is not None and window.key not in adjusted:
        candidates.append(window)
    return max(candidates, key=lambda w: w.opens_at, default=None)


def next_opening(definition: QuizDefinition, now: datetime) -> datetime | None:
    """When the definition next opens after ``now`` (None if never again)."""
    cfg = definition.config
    if definition.kind == DAILY:
        return None
    if definition.kind == "weekly":
        return _cron_state(cfg.schedule, cfg.open_for, now)[1]
    opens = cfg.opens_at
    return opens if opens and opens > now else None


#: (schedule, open_for) → (computed at, valid until, open window, next opening).
#: Between two events of a schedule (a firing, a window closing) the answer is
#: the same, so it is kept until the first of them; a different schedule is a
#: different key, so an edited definition never reads an old answer.
_CRON: dict[tuple[str, object], tuple[datetime, datetime, object, object]] = {}


def _cron_state(
    cron: str, open_for: object, now: datetime
) -> tuple[schedule.Window | None, datetime | None]:
    key = (cron, open_for)
    hit = _CRON.get(key)
    if hit is not None and hit[0] <= now < hit[1]:
        return hit[2], hit[3]  # type: ignore[return-value]
    windows = schedule.current_windows(cron, open_for, now)  # type: ignore[arg-type]
    following = schedule.next_opening(cron, now)
    events = [w.closes_at for w in windows] + ([following] if following else [])
    until = min(events, default=schedule.FOREVER)
    if len(_CRON) > 1000:
        _CRON.clear()
    _CRON[key] = (now, until, windows[0] if windows else None, following)
    return (windows[0] if windows else None), following


def audience_ok(session: Session, definition: QuizDefinition, unit_path: str) -> bool:
    """``all``, or the member's unit lies under one of the listed units."""
    audience = definition.config.audience
    if audience == "all":
        return True
    paths = session.scalars(select(OrgUnit.path).where(OrgUnit.code.in_(audience)))
    return any(unit_path.startswith(p) for p in paths)


#: The active definitions with their audiences' unit paths (None: everyone),
#: read once per process and kept 30 s: a publish or withdrawal clears this
#: process's copy at once (cache group ``content``); another process sees it
#: within 30 s. Starting an attempt re-reads the definition, so a withdrawn quiz
#: can be listed that long but never started.
_ACTIVE: TTLCache[tuple[tuple[QuizDefinition, tuple[str, ...] | None], ...]] = TTLCache(
    ttl=30, group="content"
)


def definitions_for(session: Session, unit_path: str) -> list[QuizDefinition]:
    """Active quiz definitions whose audience includes the member's unit."""
    return [
        d
        for d, paths in _ACTIVE.get("active", lambda: _load_active(session))
        if paths is None or any(unit_path.startswith(p) for p in paths)
    ]


def cached_definition(session: Session, definition_id: int) -> QuizDefinition | None:
    """An active definition from this process's copy (None when not active)."""
    found = _ACTIVE.get("active", lambda: _load_active(session))
    return next((d for d, _paths in found if d.id == definition_id), None)


def _load_active(
    session: Session,
) -> tuple[tuple[QuizDefinition, tuple[str, ...] | None], ...]:
    # A Session of its own on the same connection: the rows are detached when it
    # closes, so nothing a request does to its session (a rollback expiring
    # everything) can touch the copies other threads read.
    with Session(bind=session.connection()) as own:
        rows = own.scalars(
            select(QuizDefinition).where(QuizDefinition.status == ACTIVE)
        ).all()
        lists = [d.config.audience for d in rows if d.config.audience != "all"]
        codes = {c for audience in lists for c in audience}
        stmt = select(OrgUnit.code, OrgUnit.path).where(OrgUnit.code.in_(codes))
        path_of = dict(own.execute(stmt).all()) if codes else {}
    return tuple(
        (d, None if d.config.audience == "all"
         else tuple(path_of[c] for c in d.config.audience if c in path_of))
        for d in rows
    )  # fmt: skip


def open_now_with_attempts(
    session: Session,
    unit_path: str,
    now: datetime,
    user_id: int,
    definitions: list[QuizDefinition] | None = None,
) -> tuple[list[Opening], dict[tuple[int, str], list[Attempt]]]:
    """Quizzes open to a member of ``unit_path`` at ``now``, daily first, and the
    member's attempts at each occurrence by (definition id, window key), in one
    query. ``definitions``: the member's definitions when the caller has them.

    The windows members may answer in are decided from the schedule and the
    adjusted occurrences as in :func:`open_windows`; every occurrence that can
    be one of them (each schedule's current one, and the adjusted ones still
    open) is read with the member's attempts at it joined.
    """
    if definitions is None:
        definitions = definitions_for(session, unit_path)
    planned = {d.id: current_window(d, now) for d in definitions}
    adjustable = {d.id for d in definitions if d.kind != DAILY}
    current = [
        and_(QuizOccurrence.definition_id == i, QuizOccurrence.key == w.key)
        for i, w in planned.items()
        if w is not None
    ]
    wanted = list(current)
    if adjustable:
        wanted.append(
            and_(
                QuizOccurrence.definition_id.in_(adjustable),
                QuizOccurrence.scheduled_closes_at.is_not(None),
                QuizOccurrence.closes_at > now,
            )
        )
    rows = []
    if wanted:
        stmt = (
            select(QuizOccurrence, Attempt)
            .outerjoin(
                Attempt,
                and_(
                    Attempt.occurrence_id == QuizOccurrence.id,
                    Attempt.user_id == user_id,
                ),
            )
            .where(or_(*wanted))
            .options(lazyload(Attempt.occurrence))
            .order_by(QuizOccurrence.id, Attempt.number)
        )
        rows = session.execute(stmt).all()
    adjusted: dict[int, list[QuizOccurrence]] = {}
    attempts: dict[tuple[int, str], list[Attempt]] = {}
    seen: set[int] = set()
    for occ, attempt in rows:
        if attempt is not None:
            attempts.setdefault((occ.definition_id, occ.key), []).append(attempt)
        if occ.id in seen:
            continue
        seen.add(occ.id)
        window = planned.get(occ.definition_id)
        if (
            occ.definition_id in adjustable
            and occ.scheduled_closes_at is not None
            and (occ.closes_at > now or (window is not None and occ.key == window.key))
        ):  # what _adjusted reads
            adjusted.setdefault(occ.definition_id, []).append(occ)
    windows = {i: _effective(w, adjusted.get(i, []), now) for i, w in planned.items()}
    openings = [
        Opening(d, found) for d in definitions if (found := windows[d.id]) is not None
    ]
    order = {"daily": 0, "weekly": 1, "special": 2, "exam": 3}
    openings.sort(key=lambda o: (order.get(o.definition.kind, 9), o.window.closes_at))
    return openings, attempts


def find_definition(session: Session, slug: str) -> QuizDefinition | None:
    """The active definition for an API/URL id (``daily`` means the daily quiz)."""
    stmt = select(QuizDefinition).where(QuizDefinition.status == ACTIVE)
    if slug == DAILY:
        stmt = stmt.where(QuizDefinition.kind == DAILY)
    else:
        stmt = stmt.where(QuizDefinition.slug == slug)
    return session.scalars(stmt).first()


def ensure_occurrence(
    session: Session, definition: QuizDefinition, window: schedule.Window, now: datetime
) -> QuizOccurrence:
    """The occurrence row for a window, created once even under concurrency."""
    stmt = select(QuizOccurrence).where(
        QuizOccurrence.definition_id == definition.id, QuizOccurrence.key == window.key
    )
    found = session.scalar(stmt)
    if found is not None:
        return found
    try:
        with session.begin_nested():
            row = QuizOccurrence(
                definition_id=definition.id,
                key=window.key,
                opens_at=window.opens_at,
                closes_at=window.closes_at,
                created_at=now,
            )
            session.add(row)
        return row
    except IntegrityError:  # another request created it first
        return session.scalars(stmt).one()
