"""What a member does with quizzes: list, start, answer, hand in, read results, and
work through the 错题本.

Each action is ``(session, actor, [input,] now) -> result``. An attempt is only
ever the actor's own (anyone else's is NotFound); a result shows answers only as
the quiz's review policy allows. Actions flush; the edge commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from studyapp.auth.actor import Actor
from studyapp.errors import Conflict, NotFound
from studyapp.progress.settings import for_actor
from studyapp.quiz import catalog, prompts, queries, results, review, service
from studyapp.quiz.models import GRADED, Attempt
from studyapp.quiz.payloads import (
    AnswersIn,
    AttemptSummary,
    AttemptView,
    BookCard,
    Option,
    QuizCard,
    QuizIntro,
    QuizList,
    Result,
    ReviewAnswerIn,
    ReviewBook,
    ReviewCard,
    ReviewOutcome,
    Saved,
    SubmitIn,
)


def quiz_cards(session: Session, actor: Actor, now: datetime) -> list[QuizCard]:
    """The quizzes open to me now (the daily quiz has id ``daily``)."""
    rows = queries.quiz_cards(session, actor.id, actor.branch.path, now)
    return [card_of(c) for c in rows]


def card_of(c: queries.QuizCard) -> QuizCard:
    """The payload of one open quiz's card."""
    return QuizCard(
        id=c.slug,
        kind=c.kind,
        title=c.title,
        closes_at=c.closes_at,
        attempts_left=c.attempts_left,
        open_attempt_id=c.open_attempt_id,
        last_score=c.last_score,
        done=c.done,
    )


def quiz_list(session: Session, actor: Actor, now: datetime) -> QuizList:
    """答题: open quizzes, how many 错题本 cards are due, my latest results."""
    return QuizList(
        quizzes=quiz_cards(session, actor, now),
        review_due=review.due_count(session, actor.id, now),
        recent=attempt_history(session, actor, now),
    )


def attempt_history(
    session: Session, actor: Actor, now: datetime
) -> list[AttemptSummary]:
    """My latest graded attempts, newest first."""
    return [
        AttemptSummary(
            attempt_id=a.id,
            quiz_id=slug,
            title=title,
            score=a.score or 0.0,
            submitted_at=a.submitted_at,
        )
        for a, title, slug in queries.recent_attempts(session, actor.id)
    ]


def quiz_intro(session: Session, actor: Actor, slug: str, now: datetime) -> QuizIntro:
    """What a quiz is and its rules; NotFound when it is not for me."""
    definition = catalog.find_definition(session, slug)
    if definition is None or not catalog.audience_ok(
        session, definition, actor.branch.path
    ):
        raise NotFound("没有这个测验")
    card = next((c for c in quiz_cards(session, actor, now) if c.id == slug), None)
    cfg = definition.config
    return QuizIntro(
        id=slug,
        kind=definition.kind,
        title=definition.title,
        intro_html=definition.intro_html,
        time_limit_seconds=cfg.time_limit_seconds,
        pass_score=cfg.pass_score,
        review=cfg.review,
        card=card,
    )


def start_attempt(
    session: Session, actor: Actor, slug: str, now: datetime
) -> AttemptView:
    """Start an attempt at a quiz open now, or resume the open one.

    NotFound (no such quiz for me), Conflict (not open now, no attempts left).
    """
    if slug == catalog.DAILY:  # it draws due 错题本 cards first: bring them in
        review.record_closed(session, now, user_id=actor.id)
    attempt = service.start_attempt(
        session, actor, slug, now=now, settings=for_actor(session, actor)
    )
    return _view(session, attempt)


def get_attempt(
    session: Session, actor: Actor, attempt_id: int, now: datetime
) -> AttemptView:
    """One of my attempts with its questions and my saved responses."""
    return _view(session, service.get_attempt(session, actor, attempt_id))


def _view(session: Session, attempt: Attempt) -> AttemptView:
    definition = service.occurrence_definition(session, attempt.occurrence)
    return AttemptView(
        attempt_id=attempt.id,
        quiz_id=catalog.public_slug(definition),
        title=definition.title,
        kind=definition.kind,
        state=attempt.state,
        deadline=attempt.deadline,
        timed=bool(definition.config.time_limit_seconds),
        questions=prompts.build(prompts.attempt_rows(session, attempt.id)),
    )


def save_answers(
    session: Session, actor: Actor, attempt_id: int, body: AnswersIn, now: datetime
) -> Saved:
    """Save responses as they are given (all or none; the field names the bad one).

    Conflict after the deadline or once handed in.
    """
    service.save_answers(session, actor, attempt_id, dict(body.answers), now=now)
    return Saved(saved=len(body.answers))


def submit(
    session: Session, actor: Actor, attempt_id: int, body: SubmitIn, now: datetime
) -> Result:
    """Hand in: grade once (a repeat, a double tap or a second device gets the
    same result), with any final answers saved first if before the deadline."""
    attempt = service.submit_attempt(
        session,
        actor,
        attempt_id,
        dict(body.answers) or None,
        now=now,
        settings=for_actor(session, actor),
    )
    return _result(session, attempt, now)


def result(session: Session, actor: Actor, attempt_id: int, now: datetime) -> Result:
    """The result of my graded attempt; Conflict while it is still open."""
    attempt = service.get_attempt(session, actor, attempt_id)
    if attempt.state != GRADED:
        raise Conflict("还没有交卷")
    return _result(session, attempt, now)


def _result(session: Session, attempt: Attempt, now: datetime) -> Result:
    definition = service.occurrence_definition(session, attempt.occurrence)
    return results.build(session, attempt, definition, now)


def review_due(
    session: Session, actor: Actor, now: datetime, limit: int = 20
) -> list[ReviewCard]:
    """My 错题本 cards that are due, most overdue first."""
    return [
        ReviewCard(
            question_id=c.slug,
            type=c.revision.type,
            stem_html=c.revision.stem_html,
            options=[Option(key=o["key"], html=o["html"]) for o in c.revision.options],
            blanks=prompts.blank_count(c.revision.stem_html),
            leech=c.card.is_leech,
            lesson=c.source_lesson,
        )
        for c in review.due_cards(session, actor.id, now, limit=limit)
    ]


def review_book(session: Session, actor: Actor, now: datetime) -> ReviewBook:
    """My whole 错题本: due and not yet due cards, with when each is due."""
    cards = [
        BookCard(
            question_id=e.slug,
            type=e.revision.type,
            stem_html=e.revision.stem_html,
            options=[Option(key=o["key"], html=o["html"]) for o in e.revision.options],
            due_at=e.card.due_at,
            is_due=e.card.due_at <= now,
            reviews=e.card.reviews,
            lapses=max(e.card.lapses, 0),
            leech=e.card.is_leech,
            lesson=e.source_lesson,
            last_wrong=e.last_wrong,
            answer=e.revision.answer,
            explanation=e.revision.explanation_html or None,
        )
        for e in review.book(session, actor.id)
    ]
    return ReviewBook(due=sum(c.is_due for c in cards), cards=cards)


def review_due_count(session: Session, actor: Actor, now: datetime) -> int:
    return review.due_count(session, actor.id, now)


def answer_review(
    session: Session, actor: Actor, slug: str, body: ReviewAnswerIn, now: datetime
) -> ReviewOutcome:
    """Answer one card of my 错题本; returns the answer and the explanation."""
    outcome = review.answer_review(
        session,
        actor,
        slug,
        body.response,
        now=now,
        settings=for_actor(session, actor),
    )
    return ReviewOutcome(
        question_id=slug,
        correct=outcome.correct,
        answer=outcome.answer,
        explanation=outcome.explanation_html or None,
        lesson=outcome.source_lesson,
        leech=outcome.is_leech,
        points=outcome.points,
        options=[Option(key=o["key"], html=o["html"]) for o in outcome.options],
        response=outcome.response,
    )
