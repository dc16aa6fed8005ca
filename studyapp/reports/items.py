"""Item analysis: which questions a branch finds hard, and how well they separate.

For every question answered in the branch's graded attempts over a period:

- **facility**: the share of answers that were right;
- **most-chosen wrong option** (single and multiple choice): among wrong
  answers, the option key picked most often that is not part of the key
  (ties: the earlier key);
- **discrimination index** (Kelley's upper–lower groups): the period's graded
  attempts of eligible members are ranked by their percent score (ties by
  attempt id); the top and bottom 27 % (at least one attempt each, needs two
  or more attempts) form the groups. For each question, D = share right in the
  upper group − share right in the lower group, counting only the attempts in
  each group that asked that question (draws differ between members); None
  when either group never saw it. Quizzes are pooled over the period.

Weakest first: lowest facility, then most answered, then question id.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from studyapp.auth.models import User
from studyapp.content.models import Question, QuestionBank, QuestionRevision
from studyapp.org.models import OrgUnit
from studyapp.progress.participation import eligible_user
from studyapp.quiz.models import GRADED, Attempt, AttemptAnswer

#: Share of attempts in each of the upper and lower groups.
GROUP_SHARE = 0.27


@dataclass(frozen=True)
class ItemStat:
    """One question's statistics (see the module docstring)."""

    question_id: int
    slug: str
    type: str
    stem: str  #: plain text, shortened
    answered: int
    correct: int
    wrong_key: str | None
    wrong_text: str | None
    wrong_count: int
    discrimination: float | None
    lesson: str | None  #: lesson slug that explains the question

    @property
    def facility(self) -> float:
        return self.correct / self.answered if self.answered else 0.0


def item_analysis(
    session: Session, branch: OrgUnit, start: datetime, end: datetime
) -> list[ItemStat]:
    """Per-question statistics of the branch's attempts submitted in
    ``start``–``end`` (UTC instants), weakest first (see the module doc)."""
    attempts = dict(
        session.execute(
            select(Attempt.id, Attempt.score)
            .join(User, User.id == Attempt.user_id)
            .where(
                User.branch_id == branch.id,
                eligible_user(),
                Attempt.state == GRADED,
                Attempt.submitted_at >= start,
                Attempt.submitted_at < end,
            )
        ).all()
    )
    if not attempts:
        return []
    answers = session.execute(
        select(
            AttemptAnswer.attempt_id,
            AttemptAnswer.question_id,
            AttemptAnswer.revision_id,
            AttemptAnswer.is_correct,
            AttemptAnswer.response,
        ).where(AttemptAnswer.attempt_id.in_(list(attempts)))
    ).all()
    groups = upper_lower(attempts)
    return _stats(session, answers, groups)


def upper_lower(scores: dict[int, float | None]) -> tuple[set[int], set[int]]:
    """PURE: (upper, lower) 27 % groups of attempt ids by score; empty when
    there are fewer than two attempts."""
    if len(scores) < 2:
        return set(), set()
    ranked = sorted(scores, key=lambda a: (-(scores[a] or 0.0), a))
    k = max(1, round(GROUP_SHARE * len(ranked)))
    return set(ranked[:k]), set(ranked[-k:])


def discrimination(
    results: list[tuple[int, bool]], upper: set[int], lower: set[int]
) -> float | None:
    """PURE: share right in the upper group minus in the lower group, over the
    (attempt id, right) results of one question; None if a group lacks it."""
    up = [ok for a, ok in results if a in upper]
    down = [ok for a, ok in results if a in lower]
    if not up or not down:
        return None
    return sum(up) / len(up) - sum(down) / len(down)


def wrong_choices(qtype: str, response: Any, key: Any) -> list[str]:
    """PURE: the option keys of a wrong answer that are not in the key."""
    if qtype not in ("single", "multiple") or response is None:
        return []
    chosen = [response] if isinstance(response, str) else list(response)
    correct = {key} if isinstance(key, str) else set(key or [])
    return [str(c) for c in chosen if c not in correct]


def _stats(
    session: Session, answers: list[Any], groups: tuple[set[int], set[int]]
) -> list[ItemStat]:
    by_question: dict[int, list[tuple[int, bool]]] = defaultdict(list)
    wrong: dict[int, Counter[str]] = defaultdict(Counter)
    revisions = _revisions(session, {a.revision_id for a in answers})
    for a in answers:
        by_question[a.question_id].append((a.attempt_id, bool(a.is_correct)))
        if not a.is_correct:
            rev = revisions[a.revision_id]
            wrong[a.question_id].update(wrong_choices(rev.type, a.response, rev.answer))
    info = _questions(session, list(by_question))
    out = []
    for qid, results in by_question.items():
        q, rev, lesson = info[qid]
        top = min(wrong[qid].items(), key=lambda kv: (-kv[1], kv[0]), default=None)
        out.append(
            ItemStat(
                qid, q.slug, q.type, _plain(rev.stem_html if rev else "", 60),
                len(results), sum(ok for _, ok in results),
                _option_label(rev, top[0]) if top else None,
                _option_text(rev, top[0]) if top else None,
                top[1] if top else 0,
                discrimination(results, *groups), lesson,
            )
        )  # fmt: skip
    out.sort(key=lambda s: (s.facility, -s.answered, s.question_id))
    return out


def _revisions(session: Session, ids: set[int]) -> dict[int, QuestionRevision]:
    stmt = select(QuestionRevision).where(QuestionRevision.id.in_(ids))
    return {r.id: r for r in session.scalars(stmt)}


def _questions(
    session: Session, ids: list[int]
) -> dict[int, tuple[Question, QuestionRevision | None, str | None]]:
    """question → (question, its current revision, the lesson that explains it)."""
    stmt = (
        select(Question, QuestionRevision, QuestionBank.lesson_slug)
        .outerjoin(
            QuestionRevision, QuestionRevision.id == Question.current_revision_id
        )
        .outerjoin(QuestionBank, QuestionBank.id == Question.bank_id)
        .where(Question.id.in_(ids))
    )
    return {
        q.id: (q, rev, q.source_lesson or bank_lesson)
        for q, rev, bank_lesson in session.execute(stmt)
    }


def _option_label(rev: QuestionRevision | None, key: str) -> str:
    """The author's letter of an option (keys are opaque; older revisions used
    the letters as keys, so the key itself is the label there)."""
    for option in (rev.options if rev else None) or []:
        if option.get("key") == key:
            return str(option.get("label") or key)
    return key


def _option_text(rev: QuestionRevision | None, key: str) -> str | None:
    for option in (rev.options if rev else None) or []:
        if option.get("key") == key:
            return _plain(option.get("html", ""), 40)
    return None


def _plain(html: str, limit: int) -> str:
    """Sanitised HTML as short plain text (tables and exports show no markup)."""
    text = " ".join(Markup(html).striptags().split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
