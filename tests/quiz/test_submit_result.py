"""The result a submit answers with is the one the result page shows later.

A submit builds its result from what it has just written (the 错题本 cards, the
questions' lessons, how many attempts are used); the result page of a later
request reads them from the database. The two must agree, word for word.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from studyapp.quiz.models import ReviewCard
from studyapp.timeutil import utcnow
from tests.api.test_api import get_token


@pytest.fixture
def auth(client, quiz_site):  # type: ignore[no-untyped-def]
    token = get_token(client, quiz_site).get_json()["token"]
    return {"Authorization": f"Bearer {token}"}


def _submit(client, auth, slug):  # type: ignore[no-untyped-def]
    """Start ``slug`` and hand it in unanswered (every answer wrong)."""
    started = client.post(f"/api/v1/quizzes/{slug}/attempts", headers=auth)
    assert started.status_code in (200, 201), started.get_data(as_text=True)
    url = f"/api/v1/attempts/{started.get_json()['attempt_id']}"
    first = client.post(f"{url}/submit", json={"answers": {}}, headers=auth)
    assert first.status_code == 200, first.get_data(as_text=True)
    return url, first.get_json()


def test_a_submit_into_the_book_answers_as_the_result_page_does(client, auth, db):
    url, first = _submit(client, auth, "practice")
    assert first["in_book"] == 4 and first["can_retry"] is True
    assert first["lesson"] and all(r["lesson"] for r in first["results"])
    with db() as s:
        due = sorted(c.due_at for c in s.scalars(select(ReviewCard)))
    later = [d for d in due if d > utcnow()]
    assert first["book_due_now"] == len(due) - len(later)
    assert client.get(f"{url}/result", headers=auth).get_json() == first
    assert (
        client.post(f"{url}/submit", json={"answers": {}}, headers=auth).get_json()
        == first
    )


def test_the_book_note_follows_a_card_due_sooner_than_the_new_ones(client, auth, db):
    _url, first = _submit(client, auth, "practice")
    with db() as s:  # a card already in the book comes due now
        card = s.scalars(select(ReviewCard).order_by(ReviewCard.id)).first()
        card.due_at = utcnow() - timedelta(hours=1)
        s.commit()
    url, second = _submit(client, auth, "practice")
    assert client.get(f"{url}/result", headers=auth).get_json() == second
    assert second["in_book"] == 4 and first["in_book"] == 4


def test_try_again_is_offered_while_attempts_are_left(client, auth):
    url, first = _submit(client, auth, "special")  # two attempts allowed
    assert first["can_retry"] is True
    assert client.get(f"{url}/result", headers=auth).get_json() == first
    url, last = _submit(client, auth, "special")
    assert last["can_retry"] is False
    assert client.get(f"{url}/result", headers=auth).get_json() == last


def test_the_daily_quiz_is_not_offered_again_the_same_day(client, auth):
    url, first = _submit(client, auth, "daily")
    assert first["can_retry"] is False
    assert client.get(f"{url}/result", headers=auth).get_json() == first
