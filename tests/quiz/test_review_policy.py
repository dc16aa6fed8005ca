"""The review policy also governs the 错题本: no card shows an answer early.

Before this rule a wrong answer entered the book at grading, and the book's
``POST /api/v1/review/{question}`` answered any card with its key: an
``after_close`` 竞赛 leaked every key after the first attempt, a ``never`` quiz
too, and 404-versus-200 told which answers had been right.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import time_machine
from sqlalchemy import select

from studyapp.content.format.checker import check_tree
from studyapp.content.models import Question
from studyapp.content.publishing import publish_report
from studyapp.quiz import jobs
from studyapp.quiz.models import QuizOccurrence, ReviewCard, ReviewLog
from studyapp.timeutil import utcnow
from tests.api.test_api import get_token
from tests.content_helpers import write
from tests.factories import keyed
from tests.quiz.conftest import fmt

WRONG = {"q-single": "B", "q-multi": ["A"], "q-tf": False, "q-fill": ["错"]}


def bearer(client, username):  # type: ignore[no-untyped-def]
    token = get_token(client, username).get_json()["token"]
    return {"Authorization": f"Bearer {token}"}


def sit_wrong(client, auth, slug, db):  # type: ignore[no-untyped-def]
    started = client.post(f"/api/v1/quizzes/{slug}/attempts", headers=auth)
    assert started.status_code == 200, started.get_json()
    body = started.get_json()
    with db() as s:
        answers = keyed(s, {q["id"]: WRONG[q["id"]] for q in body["questions"]})
    done = client.post(
        f"/api/v1/attempts/{body['attempt_id']}/submit",
        json={"answers": answers},
        headers=auth,
    )
    assert done.status_code == 200
    return body


def answer_card(client, auth, question, db):  # type: ignore[no-untyped-def]
    with db() as s:
        response = keyed(s, {question: "A"})[question]
    return client.post(
        f"/api/v1/review/{question}", json={"response": response}, headers=auth
    )


def test_after_close_cards_wait_until_the_quiz_closes(client, quiz_site, db):
    auth = bearer(client, quiz_site)
    sit_wrong(client, auth, "special", db)
    assert client.get("/api/v1/review", headers=auth).get_json() == []
    refused = [answer_card(client, auth, q, db) for q in ("q-single", "q-tf", "nope")]
    # Wrong, or never asked: the same answer, and no key in it.
    assert {r.status_code for r in refused} == {404}
    assert len({r.get_data() for r in refused}) == 1
    with db() as s:
        closes = s.scalar(select(QuizOccurrence.closes_at))
    with time_machine.travel(closes + timedelta(minutes=1), tick=False), db() as s:
        assert jobs.close_attempts(s, utcnow())["into_review_book"] == 1
    # A card answered wrong is due again after FSRS's first learning step.
    with time_machine.travel(closes + timedelta(minutes=5), tick=False):
        cards = client.get("/api/v1/review", headers=auth).get_json()
    assert {c["question_id"] for c in cards} >= {"q-single", "q-tf"}


def test_a_never_quiz_puts_nothing_in_the_book(client, quiz_site, app, db):
    root = Path(app.config["CONTENT_DIR"])
    now = utcnow()
    write(
        root,
        "quizzes/quizzes/secret.md",
        f"""---
id: secret
title: 保密测验
kind: exam
opens_at: "{fmt(now - timedelta(days=1))}"
closes_at: "{fmt(now + timedelta(hours=1))}"
draw:
  - {{bank: bank, count: 4}}
review: never
---
""",
    )
    with db() as s:
        publish_report(s, check_tree([root]), content_root=root, scope=[root], now=now)
    auth = bearer(client, quiz_site)
    sit_wrong(client, auth, "secret", db)
    with time_machine.travel(now + timedelta(hours=2), tick=False):
        with db() as s:
            jobs.close_attempts(s, utcnow())
        assert client.get("/api/v1/review", headers=auth).get_json() == []
        assert answer_card(client, auth, "q-single", db).status_code == 404


def test_an_after_submit_card_is_answerable_once_while_due(client, quiz_site, db):
    auth = bearer(client, quiz_site)
    sit_wrong(client, auth, "practice", db)
    with time_machine.travel(utcnow() + timedelta(minutes=5), tick=False):
        first = answer_card(client, auth, "q-single", db)
        assert first.status_code == 200 and first.get_json()["correct"] is True
        # Answered right it is no longer due: a second answer is refused.
        assert answer_card(client, auth, "q-single", db).status_code == 404


def test_simultaneous_answers_to_one_card_count_once(app, client, quiz_site, db):
    auth = bearer(client, quiz_site)
    sit_wrong(client, auth, "practice", db)
    later = utcnow() + timedelta(minutes=5)
    codes: list[int] = []
    start = threading.Barrier(8)

    def answer() -> None:
        own = app.test_client()
        start.wait()
        codes.append(answer_card(own, auth, "q-single", db).status_code)

    with time_machine.travel(later, tick=False):
        threads = [threading.Thread(target=answer) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    with db() as s:
        card = s.scalar(
            select(ReviewCard).join(Question).where(Question.slug == "q-single")
        )
        logs = s.scalars(select(ReviewLog).where(ReviewLog.via == "review")).all()
    assert sorted(codes) == [200] + [404] * 7
    assert len(logs) == 1 and card.reviews == 2  # entering the book, and this one


def test_the_whole_book_lists_cards_not_yet_due_with_my_wrong_answer(
    client, quiz_site, db
):
    auth = bearer(client, quiz_site)
    sit_wrong(client, auth, "practice", db)
    book = client.get("/api/v1/review/book", headers=auth).get_json()
    cards = {c["question_id"]: c for c in book["cards"]}
    single = cards["q-single"]
    assert book["due"] == 0 and single["is_due"] is False and single["due_at"]
    with db() as s:
        key = keyed(s, {"q-single": ["A", "B", "C"]})
    assert single["last_wrong"] == key["q-single"][1]
    assert single["answer"] == key["q-single"][0]
    # the question's own option order, whatever order the quiz showed them in
    assert [o["key"] for o in single["options"]] == key["q-single"]
    assert not set(key["q-single"]) & {"A", "B", "C"}  # opaque, not the letters
    assert cards["q-tf"]["last_wrong"] is False
