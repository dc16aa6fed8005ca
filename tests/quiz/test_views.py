"""Taking a quiz on a phone: one question per screen, saved on tap, no answer leaks."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine

from studyapp.timeutil import utcnow
from tests.conftest import csrf_token
from tests.factories import keyed
from tests.quiz.conftest import SECRET
from tests.quiz.test_service import RIGHT


@pytest.fixture
def member_client(quiz_site, login_as):  # type: ignore[no-untyped-def]
    return login_as(quiz_site)


def start(client, slug="practice"):  # type: ignore[no-untyped-def]
    token = csrf_token(client, f"/quizzes/{slug}")
    resp = client.post(f"/quizzes/{slug}/start", data={"csrf_token": token})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    attempt_id = int(
        re.search(r"/attempts/(\d+)/q/", resp.headers["Location"]).group(1)
    )
    return attempt_id, token


def test_quiz_list_shows_open_quizzes_and_the_review_book(member_client):
    page = member_client.get("/quizzes").get_data(as_text=True)
    assert "每日答题" in page and "党史竞赛" in page and "错题本" in page


def test_explanation_is_hidden_until_submit_and_shown_after(member_client):
    attempt_id, token = start(member_client)
    for n in range(1, 5):
        for headers in ({}, {"HX-Request": "true"}):
            body = member_client.get(f"/attempts/{attempt_id}/q/{n}", headers=headers)
            assert SECRET not in body.get_data(as_text=True)
    confirm = member_client.get(f"/attempts/{attempt_id}/submit").get_data(as_text=True)
    assert SECRET not in confirm
    member_client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token})
    result = member_client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)
    assert SECRET in result


def test_answer_keys_are_not_in_the_question_page(member_client):
    attempt_id, _ = start(member_client)
    pages = "".join(
        member_client.get(f"/attempts/{attempt_id}/q/{n}").get_data(as_text=True)
        for n in range(1, 5)
    )
    # The fill-in answers and the correct-option markers never appear.
    assert "党组织" not in pages.replace("党组织生活", "")
    assert "is-correct" not in pages and "checked" not in pages


def test_htmx_gets_the_question_card_only(member_client):
    attempt_id, _ = start(member_client)
    resp = member_client.get(
        f"/attempts/{attempt_id}/q/2", headers={"HX-Request": "true"}
    )
    body = resp.get_data(as_text=True)
    assert body.lstrip().startswith('<section class="card stack" id="quiz-question"')
    assert "<html" not in body and 'id="quiz-strip"' not in body
    assert "HX-Request" in resp.headers["Vary"]


def test_an_answer_saved_on_tap_is_there_when_coming_back(member_client):
    attempt_id, token = start(member_client)
    page = member_client.get(f"/attempts/{attempt_id}/q/1").get_data(as_text=True)
    value = re.search(r'name="response" value="([^"]+)"', page).group(1)
    saved = member_client.post(
        f"/attempts/{attempt_id}/q/1",
        data={"csrf_token": token, "response": value},
        headers={"HX-Request": "true"},
    )
    assert saved.status_code == 200 and "已保存" in saved.get_data(as_text=True)
    again = member_client.get(f"/attempts/{attempt_id}/q/1").get_data(as_text=True)
    assert f'value="{value}" checked' in again


def test_without_javascript_next_saves_and_moves_on(member_client):
    attempt_id, token = start(member_client)
    resp = member_client.post(
        f"/attempts/{attempt_id}/q/1", data={"csrf_token": token, "go": "next"}
    )
    assert resp.headers["Location"].endswith(f"/attempts/{attempt_id}/q/2")
    last = member_client.post(
        f"/attempts/{attempt_id}/q/4", data={"csrf_token": token, "go": "next"}
    )
    assert last.headers["Location"].endswith(f"/attempts/{attempt_id}/submit")


def test_a_bad_answer_is_refused_with_the_question_named(member_client):
    attempt_id, token = start(member_client)
    page = member_client.get(f"/attempts/{attempt_id}/q/1").get_data(as_text=True)
    if 'name="response"' not in page:
        pytest.skip("question 1 is a fill-in")
    resp = member_client.post(
        f"/attempts/{attempt_id}/q/1",
        data={"csrf_token": token, "response": "Z"},
        headers={"HX-Request": "true"},
    )
    assert resp.status_code == 400


def test_submitting_twice_shows_the_same_result(member_client):
    attempt_id, token = start(member_client)
    first = member_client.post(
        f"/attempts/{attempt_id}/submit", data={"csrf_token": token}
    )
    second = member_client.post(
        f"/attempts/{attempt_id}/submit", data={"csrf_token": token}
    )
    assert first.headers["Location"] == second.headers["Location"]
    assert first.headers["HX-Trigger"] == "progress-changed"


def test_submit_without_csrf_is_refused(member_client):
    attempt_id, _ = start(member_client)
    assert member_client.post(f"/attempts/{attempt_id}/submit").status_code == 400


def test_another_members_attempt_is_404(member_client, app, db):
    from tests.conftest import login
    from tests.factories import make_user

    attempt_id, _ = start(member_client)
    with db() as s:
        from sqlalchemy import select

        from studyapp.auth.models import User

        branch = s.scalar(select(User).where(User.username == "13800000001")).branch
        make_user(s, branch, "13800000002")
    other = app.test_client()
    login(other, "13800000002")
    assert other.get(f"/attempts/{attempt_id}/q/1").status_code == 404
    assert other.get(f"/attempts/{attempt_id}/result").status_code == 404


def test_after_close_result_says_when_answers_come(member_client):
    attempt_id, token = start(member_client, "special")
    member_client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token})
    page = member_client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)
    assert "测验结束后公布" in page and SECRET not in page


def test_review_page_shows_a_due_card_and_the_explanation_after(member_client):
    attempt_id, token = start(member_client)
    member_client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token})
    seen = {}
    with time_machine.travel(utcnow() + timedelta(minutes=5)):
        for left in range(4, 0, -1):
            page = member_client.get("/review").get_data(as_text=True)
            assert f"还有 {left} 道题该复习" in page and SECRET not in page
            slug = re.search(r'action="/review/([^"]+)"', page).group(1)
            kind = re.search(r'name="type" value="(\w+)"', page).group(1)
            choice = re.search(r'name="response" value="([^"]+)"', page)
            answer = {"truefalse": {"response": "true"}, "fill": {"blank": "党组织"}}
            data = answer.get(kind) or {"response": choice.group(1)}
            resp = member_client.post(
                f"/review/{slug}",
                data={"csrf_token": token, "type": kind, **data},
                headers={"HX-Request": "true"},
            )
            assert resp.status_code == 200
            seen[slug] = resp.get_data(as_text=True)
        done = member_client.get("/review").get_data(as_text=True)
    assert "错题都复习完了" in done
    single = seen["q-single"]
    assert SECRET in single  # the explanation, once answered
    # the answer as the options themselves, not as an opaque key
    assert all(text in single for text in ("党课", "团课", "形势课"))
    assert "你的选择" in single and not re.search(r">\s*K\d{6}", single)


def test_home_shows_the_daily_quiz_card(member_client):
    page = member_client.get("/").get_data(as_text=True)
    assert 'id="home-quizzes"' in page and "每日一练" in page


def answer_all(client, db, attempt_id, token, table):  # type: ignore[no-untyped-def]
    """Answer every question page as a member would, choosing from ``table``
    (authored letters) the options shown on the page."""
    with db() as s:
        wanted = keyed(s, table)
    keys = {k for v in wanted.values() if not isinstance(v, bool) for k in v}
    keys |= {v for v in wanted.values() if isinstance(v, str)}
    for n in range(1, 5):
        page = client.get(f"/attempts/{attempt_id}/q/{n}").get_data(as_text=True)
        shown = re.findall(r'name="response" value="([^"]+)"', page)
        if 'name="blank"' in page:
            data = {"blank": wanted["q-fill"]}
        elif shown == ["true", "false"]:
            data = {"response": "true" if wanted["q-tf"] else "false"}
        else:
            data = {"response": [k for k in shown if k in keys]}
        client.post(f"/attempts/{attempt_id}/q/{n}", data={"csrf_token": token, **data})
    client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token})
    return client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)


def test_the_result_page_shows_the_score(member_client, db):
    attempt_id, token = start(member_client)
    page = answer_all(member_client, db, attempt_id, token, RIGHT)
    assert re.search(r'class="stat-value">100<', page)
    assert "答对 4 / 4" in page


def test_the_result_page_shows_my_choice_and_the_right_option(member_client, db):
    attempt_id, token = start(member_client)
    page = answer_all(member_client, db, attempt_id, token, RIGHT | {"q-single": "B"})
    assert re.search(r'class="stat-value">75<', page)
    single = page[page.index('id="result-q-single"') :]
    single = single[: single.index("</section>")]
    assert all(text in single for text in ("党课", "团课", "形势课"))  # the options
    items = re.findall(r"<li[^>]*>.*?</li>", single, re.S)
    mine = [li for li in items if "你的选择" in li]
    right = [li for li in items if "is-correct" in li]
    assert len(mine) == 1 and "团课" in mine[0]
    assert len(right) == 1 and "党课" in right[0]


def test_the_countdown_of_a_timed_quiz_speaks_the_members_language(member_client):
    """The script writes 剩余 m:ss from the page's own words, so it follows the
    language the member chose."""
    attempt_id, token = start(member_client, "special")
    page = member_client.get(f"/attempts/{attempt_id}/q/1").get_data(as_text=True)
    assert re.search(r'id="countdown"[^>]*data-timed="1" data-left="剩余"', page)
    member_client.post("/lang", data={"lang": "en", "csrf_token": token})
    page = member_client.get(f"/attempts/{attempt_id}/q/1").get_data(as_text=True)
    assert re.search(r'id="countdown"[^>]*data-left="Time left"', page)
