"""Members answer and hand in through real gunicorn from many threads; the
master and its workers are SIGKILLed in the middle, gunicorn is started again
on the same database, and the database is held to what the clients were told:
every acknowledged save stored once, every acknowledged submit graded once,
nothing half graded, and an unacknowledged submit can simply be sent again."""

from __future__ import annotations

import http.client
import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from studyapp.content.models import Question
from studyapp.progress.models import PointsEntry
from studyapp.quiz import grading
from studyapp.quiz.models import Attempt, AttemptAnswer, ReviewCard, ReviewLog
from tests.faults.conftest import QUESTIONS, SLUG, member_browser, members, response_for

pytestmark = pytest.mark.slow

THREADS = 8
#: Acknowledged submits before the kill: the kill lands mid-run, not at the start.
SUBMITS_BEFORE_KILL = 12
GRADED, OPEN = "graded", "open"


@dataclass
class Seen:
    """What one member's client was told (2xx) and what it never heard back."""

    username: str
    answers: dict[tuple[int, str], Any] = field(default_factory=dict)
    submitted: dict[int, dict[str, Any]] = field(default_factory=dict)
    started: list[int] = field(default_factory=list)
    unanswered: list[tuple[str, int]] = field(default_factory=list)


def _member(port: int, username: str, seen: Seen, stop: threading.Event) -> None:
    browser, csrf = member_browser(port, username)
    rng, seq = random.Random(username), 0
    try:
        while not stop.is_set():
            seen.unanswered.append(("start", 0))
            status, view = browser.api(
                "POST", f"/api/v1/quizzes/{SLUG}/attempts", {}, csrf
            )
            assert status == 200, (status, view)
            attempt = view["attempt_id"]
            seen.unanswered.pop()
            seen.started.append(attempt)
            for question in view["questions"]:
                seq += 1
                given = response_for(question, rng.randrange(4))
                body = {"answers": {question["id"]: given}, "seq": seq}
                seen.unanswered.append(("save", attempt))
                status, _ = browser.api(
                    "PUT", f"/api/v1/attempts/{attempt}/answers", body, csrf
                )
                assert status == 200, status
                seen.unanswered.pop()
                seen.answers[(attempt, question["id"])] = (given, question)
            seen.unanswered.append(("submit", attempt))
            status, result = browser.api(
                "POST", f"/api/v1/attempts/{attempt}/submit", {}, csrf
            )
            assert status == 200, (status, result)
            seen.unanswered.pop()
            seen.submitted[attempt] = result
    except (OSError, http.client.HTTPException):
        pass  # the server was killed under this request: it stays unanswered


def _canonical(given: Any, question: dict[str, Any]) -> Any:
    keys = [o["key"] for o in question["options"]]
    return grading.validate_response(
        question["type"], given, option_keys=keys, blanks=question["blanks"]
    )


def _check_whole(s: Session, attempt: Attempt) -> None:
    """Graded with everything grading writes, or open with none of it."""
    source = f"attempt:{attempt.id}"
    points = s.scalars(select(PointsEntry).where(PointsEntry.source == source)).all()
    logs = s.scalars(select(ReviewLog).where(ReviewLog.via == source)).all()
    answers = s.scalars(
        select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt.id)
    ).all()
    if attempt.state == OPEN:
        assert attempt.score is None and attempt.submitted_at is None, attempt.id
        assert not points and not logs, attempt.id
        assert all(a.is_correct is None for a in answers), attempt.id
        return
    assert attempt.state == GRADED and attempt.submitted_at is not None
    assert all(a.is_correct is not None for a in answers), attempt.id
    assert attempt.correct_count == sum(1 for a in answers if a.is_correct)
    assert len(points) <= 1 and sum(p.points for p in points) == attempt.points_awarded
    # 错题本: each wrong answer logged (a right one only on an existing card),
    # with the grade it got, none doubled
    card_of = dict(s.execute(select(ReviewCard.id, ReviewCard.question_id)).all())
    logged = {card_of[log.card_id]: log.correct for log in logs}
    assert len(logged) == len(logs), attempt.id
    graded = {a.question_id: a.is_correct for a in answers}
    assert {q for q, ok in graded.items() if not ok} <= set(logged), attempt.id
    assert all(graded[q] == ok for q, ok in logged.items()), attempt.id


def test_sigkill_mid_submit_keeps_every_acknowledged_answer_and_grades_once(
    site, serve
):
    server = serve()
    stop = threading.Event()
    seen = [Seen(u) for u in members()[:THREADS]]
    threads = [
        threading.Thread(target=_member, args=(server.port, s.username, s, stop))
        for s in seen
    ]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 90
    while sum(len(s.submitted) for s in seen) < SUBMITS_BEFORE_KILL:
        assert time.monotonic() < deadline and any(t.is_alive() for t in threads)
        time.sleep(0.05)
    server.kill()  # mid-run: every thread has a request in flight
    stop.set()
    for t in threads:
        t.join(timeout=60)
    in_flight = [u for s in seen for u in s.unanswered]
    assert in_flight, "the kill landed between requests"

    again = serve(port=server.port)  # the same database, the same address
    with Session(site.engine) as s:
        slugs = dict(s.execute(select(Question.id, Question.slug)).all())
        stored = {
            (a.attempt_id, slugs[a.question_id]): a
            for a in s.scalars(select(AttemptAnswer))
        }
        for member in seen:
            for (attempt, slug), (given, question) in member.answers.items():
                assert stored[(attempt, slug)].response == _canonical(given, question)
            for attempt_id, result in member.submitted.items():
                attempt = s.get(Attempt, attempt_id)
                assert attempt.state == GRADED and attempt.score == result["score"]
        attempts = s.scalars(select(Attempt)).all()
        for attempt in attempts:
            _check_whole(s, attempt)
        cards = s.execute(select(ReviewCard.user_id, ReviewCard.question_id)).all()
        assert len(cards) == len(set(cards))
        points = s.execute(
            select(PointsEntry.user_id, PointsEntry.rule, PointsEntry.source)
        ).all()
        assert len(points) == len(set(points))
        open_ids = {a.id for a in attempts if a.state == OPEN}
        before = {a.id: (a.score, a.points_awarded) for a in attempts}

    # Carry on: each member hands in what was left unanswered; graded once.
    resubmitted = 0
    for member in seen:
        browser, csrf = member_browser(again.port, member.username)
        for attempt in set(member.started) - set(member.submitted):
            status, result = browser.api(
                "POST", f"/api/v1/attempts/{attempt}/submit", {}, csrf
            )
            assert status == 200, (status, result)
            resubmitted += attempt in open_ids
            if attempt not in open_ids:  # graded by the killed server: the same
                assert result["score"] == before[attempt][0]
            repeat = browser.api("POST", f"/api/v1/attempts/{attempt}/submit", {}, csrf)
            assert repeat == (200, result)
    with Session(site.engine) as s:
        for attempt in s.scalars(select(Attempt)):
            _check_whole(s, attempt)
            assert attempt.state == GRADED or attempt.id not in _started(seen)
            if attempt.id in before and attempt.id not in open_ids:
                assert (attempt.score, attempt.points_awarded) == before[attempt.id]
        logs = s.execute(select(ReviewLog.card_id, ReviewLog.via)).all()
        assert len(logs) == len(set(logs))
    total = sum(len(m.submitted) for m in seen)
    print(f"\nkill mid-submit: {total} acknowledged submits, "
          f"{sum(len(m.answers) for m in seen)} acknowledged saves, "
          f"{len(in_flight)} requests in flight, "
          f"{resubmitted} re-submitted after the restart; "
          f"questions per attempt {QUESTIONS}")  # fmt: skip


def _started(seen: list[Seen]) -> set[int]:
    return {a for m in seen for a in m.started}
