"""The quiz API: no answers before submit, the same result on a repeat."""

from __future__ import annotations

import pytest

from tests.api.test_api import get_token
from tests.factories import keyed
from tests.quiz.conftest import SECRET
from tests.quiz.test_service import RIGHT


@pytest.fixture
def auth(client, quiz_site):  # type: ignore[no-untyped-def]
    token = get_token(client, quiz_site).get_json()["token"]
    return {"Authorization": f"Bearer {token}"}


def test_open_quizzes_include_daily(client, auth):
    body = client.get("/api/v1/quizzes", headers=auth).get_json()
    daily = next(q for q in body if q["id"] == "daily")
    assert daily["kind"] == "daily" and daily["attempts_left"] == 1


def test_attempt_questions_carry_no_answers(client, auth):
    resp = client.post("/api/v1/quizzes/practice/attempts", headers=auth)
    body = resp.get_json()
    assert resp.status_code == 200 and len(body["questions"]) == 4
    text = str(body)
    assert SECRET not in text and "answer" not in text and "党组织" not in text


def test_submit_then_repeat_returns_the_same_result(client, auth, db):
    attempt = client.post("/api/v1/quizzes/practice/attempts", headers=auth).get_json()
    url = f"/api/v1/attempts/{attempt['attempt_id']}"
    with db() as s:
        right = keyed(s, RIGHT)
    saved = client.put(f"{url}/answers", json={"answers": {"q-tf": True}}, headers=auth)
    assert saved.status_code == 200
    first = client.post(
        f"{url}/submit", json={"answers": right}, headers=auth
    ).get_json()
    assert first["score"] == 100.0 and first["max_score"] == 100
    assert any(
        r.get("explanation") and SECRET in r["explanation"] for r in first["results"]
    )
    repeat = client.post(f"{url}/submit", json={"answers": {}}, headers=auth).get_json()
    assert repeat == first


def test_bad_response_is_400_naming_the_question(client, auth):
    attempt = client.post("/api/v1/quizzes/practice/attempts", headers=auth).get_json()
    resp = client.put(
        f"/api/v1/attempts/{attempt['attempt_id']}/answers",
        json={"answers": {"q-multi": ["Z"]}},
        headers=auth,
    )
    assert resp.status_code == 400 and resp.get_json()["error"]["field"] == "q-multi"


def test_unknown_quiz_is_404_and_closed_attempts_are_409(client, auth):
    assert client.post("/api/v1/quizzes/nope/attempts", headers=auth).status_code == 404
    for _ in range(2):
        a = client.post("/api/v1/quizzes/special/attempts", headers=auth).get_json()
        client.post(f"/api/v1/attempts/{a['attempt_id']}/submit", json={}, headers=auth)
    resp = client.post("/api/v1/quizzes/special/attempts", headers=auth)
    assert resp.status_code == 409 and resp.get_json()["error"]["code"] == "conflict"


def test_review_api(client, auth):
    attempt = client.post("/api/v1/quizzes/practice/attempts", headers=auth).get_json()
    client.post(
        f"/api/v1/attempts/{attempt['attempt_id']}/submit",
        json={"answers": {}},
        headers=auth,
    )
    from datetime import timedelta

    import time_machine

    from studyapp.timeutil import utcnow

    with time_machine.travel(utcnow() + timedelta(minutes=5)):
        due = client.get("/api/v1/review", headers=auth).get_json()
        assert len(due) == 4 and all("answer" not in c for c in due)
        resp = client.post("/api/v1/review/q-tf", json={"response": True}, headers=auth)
        assert (
            resp.get_json()["correct"] is True and resp.get_json()["lesson"] == "sanhui"
        )
