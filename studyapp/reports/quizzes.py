"""Quiz reports of a branch: results per occurrence, and item analysis.

Only graded attempts count, and only those of the branch's eligible members
(active, not exempt). A member's result for an occurrence is their best
attempt. Daily quizzes are left out of the occurrence list (one per member per
day) but are part of the item analysis.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from studyapp.auth.models import User
from studyapp.content.models import QuizDefinition
from studyapp.errors import NotFound
from studyapp.org.models import OrgUnit
from studyapp.progress.participation import eligible_user
from studyapp.quiz.models import GRADED, Attempt, QuizOccurrence

#: Pass mark (percent) when a quiz definition sets none.


@dataclass(frozen=True)
class OccurrenceSummary:
    """One quiz occurrence for a branch: who could take it, took it, passed."""

    occurrence_id: int
    title: str
    kind: str
    key: str
    opens_at: datetime
    closes_at: datetime
    pass_score: float
    eligible: int
    taken: int
    passed: int
    avg_score: float | None

    @property
    def take_rate(self) -> float | None:
        return self.taken / self.eligible if self.eligible else None

    @property
    def pass_rate(self) -> float | None:
        """Share of the members who took it that passed."""
        return self.passed / self.taken if self.taken else None


@dataclass(frozen=True)
class MemberResult:
    """One eligible member's best result in an occurrence."""

    user_id: int
    username: str
    name: str
    score: float | None  #: best graded score; None: not taken
    passed: bool
    submitted_at: datetime | None


def _covers(definition: QuizDefinition, ancestor_codes: set[str]) -> bool:
    audience = definition.config.audience
    return audience == "all" or bool(set(audience) & ancestor_codes)


def _ancestor_codes(session: Session, branch: OrgUnit) -> set[str]:
    ids = [int(x) for x in branch.path.strip("/").split("/") if x]
    return set(session.scalars(select(OrgUnit.code).where(OrgUnit.id.in_(ids))))


def _pass_score(definition: QuizDefinition) -> float:
    return float(definition.config.pass_score)


def occurrences(
    session: Session, branch: OrgUnit, now: datetime, days: int = 90
) -> list[OccurrenceSummary]:
    """Non-daily quiz occurrences opened in the last ``days`` days for the
    branch's audience, newest first, with taken / passed / average score."""
    rows = session.execute(
        select(QuizOccurrence, QuizDefinition)
        .join(QuizDefinition, QuizDefinition.id == QuizOccurrence.definition_id)
        .where(
            QuizDefinition.kind != "daily",
            QuizOccurrence.opens_at >= now - timedelta(days=days),
            QuizOccurrence.opens_at <= now,
        )
        .order_by(QuizOccurrence.opens_at.desc(), QuizOccurrence.id.desc())
    ).all()
    codes = _ancestor_codes(session, branch)
    rows = [(o, d) for o, d in rows if _covers(d, codes)]
    best = _best_scores(session, branch, [o.id for o, _ in rows])
    eligible = len(_eligible_members(session, branch))
    return [_summary(o, d, eligible, best.get(o.id, {})) for o, d in rows]


def _summary(
    occ: QuizOccurrence,
    definition: QuizDefinition,
    eligible: int,
    scores: dict[int, tuple[float, datetime | None]],
) -> OccurrenceSummary:
    mark = _pass_score(definition)
    values = [s for s, _ in scores.values()]
    return OccurrenceSummary(
        occ.id, definition.title, definition.kind, occ.key, occ.opens_at,
        occ.closes_at, mark, eligible, len(values),
        sum(1 for s in values if s >= mark),
        sum(values) / len(values) if values else None,
    )  # fmt: skip


def _eligible_members(session: Session, branch: OrgUnit) -> list[User]:
    stmt = (
        select(User)
        .where(User.branch_id == branch.id, eligible_user())
        .order_by(User.name)
    )
    return list(session.scalars(stmt))


def _best_scores(
    session: Session, branch: OrgUnit, occurrence_ids: list[int]
) -> dict[int, dict[int, tuple[float, datetime | None]]]:
    """occurrence → member → (best score, last submit) of eligible members."""
    stmt = (
        select(
            Attempt.occurrence_id,
            Attempt.user_id,
            func.max(Attempt.score),
            func.max(Attempt.submitted_at),
        )
        .join(User, User.id == Attempt.user_id)
        .where(
            User.branch_id == branch.id,
            eligible_user(),
            Attempt.state == GRADED,
            Attempt.occurrence_id.in_(occurrence_ids),
        )
        .group_by(Attempt.occurrence_id, Attempt.user_id)
    )
    out: dict[int, dict[int, tuple[float, Any]]] = {}
    for occ, uid, score, at in session.execute(stmt):
        out.setdefault(occ, {})[uid] = (float(score or 0), at)
    return out


def occurrence_results(
    session: Session, branch: OrgUnit, occurrence_id: int
) -> tuple[OccurrenceSummary, list[MemberResult]]:
    """One occurrence for the branch: the summary and every eligible member's
    best result (not taken first). NotFound if unknown or not for this branch."""
    row = session.execute(
        select(QuizOccurrence, QuizDefinition)
        .join(QuizDefinition, QuizDefinition.id == QuizOccurrence.definition_id)
        .where(QuizOccurrence.id == occurrence_id)
    ).first()
    if row is None or not _covers(row[1], _ancestor_codes(session, branch)):
        raise NotFound("没有这次答题")
    occ, definition = row
    scores = _best_scores(session, branch, [occ.id]).get(occ.id, {})
    members = _eligible_members(session, branch)
    mark = _pass_score(definition)
    results = [
        MemberResult(
            m.id,
            m.username,
            m.name,
            scores[m.id][0] if m.id in scores else None,
            m.id in scores and scores[m.id][0] >= mark,
            scores[m.id][1] if m.id in scores else None,
        )  # fmt: skip
        for m in members
    ]
    results.sort(key=lambda r: (r.score is not None, -(r.score or 0), r.name))
    return _summary(occ, definition, len(members), scores), results
