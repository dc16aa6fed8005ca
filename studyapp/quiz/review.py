"""错题本: wrong answers become FSRS review cards (right → Good, wrong → Again)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fsrs import Card, Rating, Scheduler
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from studyapp.auth.models import User
from studyapp.content.models import ACTIVE, Question, QuestionRevision, QuizDefinition
from studyapp.errors import NotFound, ValidationFailed
from studyapp.progress import service as progress
from studyapp.progress.settings import ProgressSettings
from studyapp.quiz import grading
from studyapp.quiz.models import GRADED, Attempt, QuizOccurrence, ReviewCard, ReviewLog

#: Forgotten this many times, a card is a leech: the member is sent to the lesson.
LEECH_LAPSES = 8
_scheduler = Scheduler(enable_fuzzing=False)


def _review(card: ReviewCard, correct: bool, now: datetime) -> None:
    now = now.astimezone(UTC)  # py-fsrs accepts UTC datetimes only
    state = Card.from_dict(card.fsrs)
    state, _log = _scheduler.review_card(
        state, Rating.Good if correct else Rating.Again, now
    )
    card.fsrs = state.to_dict()
    card.due_at = state.due
    card.reviews += 1
    card.last_review_at = now
    if not correct:
        card.lapses += 1
        card.is_leech = card.is_leech or card.lapses >= LEECH_LAPSES


def book_may_show(
    occurrence: QuizOccurrence, definition: QuizDefinition, now: datetime
) -> bool:
    """Whether an attempt's graded answers may enter the 错题本 now.

    A card shows the question's answer and explanation, so it follows the quiz's
    review policy: at once for ``after_submit`` (and ``after_answer``), once the
    occurrence has closed for ``after_close``, never for ``never``.
    """
    policy = definition.config.review
    if policy == "never":
        return False
    return policy != "after_close" or now >= occurrence.closes_at


def record_closed(session: Session, now: datetime, user_id: int | None = None) -> int:
    """Put into the 错题本 the graded answers whose quiz has closed since grading
    (``after_close``); for one member or everyone. Returns how many attempts."""
    stmt = (
        select(Attempt, QuizDefinition)
        .join(QuizOccurrence, QuizOccurrence.id == Attempt.occurrence_id)
        .join(QuizDefinition, QuizDefinition.id == QuizOccurrence.definition_id)
        .where(
            Attempt.state == GRADED,
            Attempt.in_review_book.is_(False),
            QuizOccurrence.closes_at <= now,
        )
        .with_for_update(of=Attempt, skip_locked=True)
    )
    if user_id is not None:
        stmt = stmt.where(Attempt.user_id == user_id)
    done = 0
    for attempt, definition in session.execute(stmt).all():
        if not book_may_show(attempt.occurrence, definition, now):
            continue
        graded = [
            (a.question_id, bool(a.is_correct), a.response) for a in attempt.answers
        ]
        after_answers(session, attempt.user_id, graded, now=now,
                      via=f"attempt:{attempt.id}")  # fmt: skip
        attempt.in_review_book = True
        done += 1
    session.flush()
    return done


def after_answers(
    session: Session,
    user_id: int,
    graded: list[tuple[int, bool, Any]],
    *,
    now: datetime,
    via: str,
) -> None:
    """Record graded answers in the book, with one look-up of the cards.

    A wrong answer enters (or re-enters) the book as Again; a right one reviews
    an existing card as Good, and adds nothing when there is no card.
    """
    ids = [qid for qid, _ok, _r in graded]
    cards = {
        c.question_id: c
        for c in session.scalars(
            select(ReviewCard).where(
                ReviewCard.user_id == user_id, ReviewCard.question_id.in_(ids)
            )
        )
    }
    touched = []
    for qid, correct, response in graded:
        card = cards.get(qid)
        if card is None and correct:
            continue
        if card is None:
            card = _new_card(user_id, qid, now)
            session.add(card)
        _review(card, correct, now)
        touched.append((card, correct, response))
    session.flush()
    session.add_all(
        ReviewLog(card_id=card.id, correct=ok, response=r, via=via, reviewed_at=now)
        for card, ok, r in touched
    )
    session.flush()
    held = session.info.setdefault("studyapp.cards", {})
    held.update({(user_id, card.question_id): card for card, _ok, _r in touched})


def held_due(
    session: Session, user_id: int, question_ids: list[int]
) -> list[datetime] | None:
    """When each of these cards is due, from the cards :func:`after_answers`
    wrote in this Session (the same objects, so a later review in it shows);
    None unless it wrote them all and they are still loaded (then read the book)."""
    held = session.info.get("studyapp.cards", {})
    cards = [held.get((user_id, q)) for q in dict.fromkeys(question_ids)]
    if any(c is None or "due_at" in inspect(c).unloaded for c in cards):
        return None
    return [c.due_at for c in cards]  # type: ignore[union-attr]


def _new_card(user_id: int, question_id: int, now: datetime) -> ReviewCard:
    fresh = Card(card_id=question_id, due=now.astimezone(UTC))
    # lapses starts at -1: entering the book is not yet a lapse.
    return ReviewCard(
        user_id=user_id,
        question_id=question_id,
        fsrs=fresh.to_dict(),
        due_at=now,
        created_at=now,
        reviews=0,
        lapses=-1,
    )


@dataclass(frozen=True)
class DueCard:
    card: ReviewCard
    slug: str
    revision: QuestionRevision
    source_lesson: str | None


def due_cards(
    session: Session, user_id: int, now: datetime, limit: int = 20
) -> list[DueCard]:
    """Cards due now, most overdue first, with the current revision of each."""
    stmt = (
        select(ReviewCard, Question.slug, QuestionRevision, Question.source_lesson)
        .join(Question, Question.id == ReviewCard.question_id)
        .join(QuestionRevision, QuestionRevision.id == Question.current_revision_id)
        .where(
            ReviewCard.user_id == user_id,
            ReviewCard.due_at <= now,
            Question.status == ACTIVE,
        )
        .order_by(ReviewCard.due_at)
        .limit(limit)
    )
    return [DueCard(*row) for row in session.execute(stmt)]


@dataclass(frozen=True)
class BookEntry:
    card: ReviewCard
    slug: str
    revision: QuestionRevision
    source_lesson: str | None
    #: The member's latest wrong response to it (None if only ever right since).
    last_wrong: Any


def book(session: Session, user_id: int, limit: int = 200) -> list[BookEntry]:
    """The whole 错题本, due first then by due time, with the last wrong answer.

    Only cards whose quiz's review policy allowed them in (see ``book_may_show``)
    exist, so every entry may show its answer.
    """
    last_wrong = (
        select(ReviewLog.response)
        .where(ReviewLog.card_id == ReviewCard.id, ReviewLog.correct.is_(False))
        .order_by(ReviewLog.reviewed_at.desc(), ReviewLog.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    stmt = (
        select(ReviewCard, Question.slug, QuestionRevision, Question.source_lesson,
               last_wrong)
        .join(Question, Question.id == ReviewCard.question_id)
        .join(QuestionRevision, QuestionRevision.id == Question.current_revision_id)
        .where(ReviewCard.user_id == user_id, Question.status == ACTIVE)
        .order_by(ReviewCard.due_at, ReviewCard.id)
        .limit(limit)
    )  # fmt: skip
    return [BookEntry(*row) for row in session.execute(stmt)]


def due_count(session: Session, user_id: int, now: datetime) -> int:
    stmt = (
        select(func.count(ReviewCard.id))
        .join(Question, Question.id == ReviewCard.question_id)
        .where(
            ReviewCard.user_id == user_id,
            ReviewCard.due_at <= now,
            Question.status == ACTIVE,
        )
    )
    return session.scalar(stmt)


@dataclass(frozen=True)
class ReviewResult:
    correct: bool
    answer: Any
    explanation_html: str
    source_lesson: str | None
    is_leech: bool
    points: int
    revision: QuestionRevision
    response: Any
    #: When the card is due again.
    due_at: datetime


def answer_review(
    session: Session,
    user: User,
    question_slug: str,
    response: Any,
    *,
    now: datetime,
    settings: ProgressSettings,
) -> ReviewResult:
    """Answer one due card; returns the answer and explanation to show.

    Raises NotFound when the question is not in the member's book, and
    ValidationFailed for a malformed response.
    """
    row = session.execute(
        select(ReviewCard, QuestionRevision, Question.source_lesson)
        .join(Question, Question.id == ReviewCard.question_id)
        .join(QuestionRevision, QuestionRevision.id == Question.current_revision_id)
        .where(
            ReviewCard.user_id == user.id,
            Question.slug == question_slug,
            Question.status == ACTIVE,
            ReviewCard.due_at <= now,
        )
        .with_for_update(of=ReviewCard)
        .execution_options(populate_existing=True)
    ).first()
    if row is None:
        # The same answer whether the question is unknown, not in the book, or
        # not due: the API must not tell which answers a member got wrong.
        raise NotFound("这道题现在不用复习")
    card, revision, lesson = row
    try:
        clean = grading.validate_response(
            revision.type,
            response,
            option_keys=[o["key"] for o in revision.options],
            blanks=len(revision.answer) if revision.type == "fill" else 0,
        )
    except ValueError as exc:
        raise ValidationFailed(str(exc), field="response") from None
    correct = grading.grade(revision.type, revision.answer, clean).correct
    after_answers(
        session, user.id, [(card.question_id, correct, clean)], now=now, via="review"
    )
    points = progress.record_review(
        session,
        user,
        source=f"review:{card.id}:{card.reviews}",
        right=correct,
        now=now,
        settings=settings,
    )
    return ReviewResult(
        correct,
        revision.answer,
        revision.explanation_html,
        lesson,
        card.is_leech,
        points,
        revision,
        clean,
        card.due_at,
    )
