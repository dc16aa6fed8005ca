"""The quiz on a phone: cards swapped in place, numbered saves, answers shown at
once where the quiz allows it (and nowhere else), results and the 错题本 in words."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from studyapp.quiz.models import ReviewCard
from studyapp.timeutil import local
from tests.conftest import csrf_token
from tests.quiz.conftest import SECRET
from tests.quiz.test_views import start

HX = {"HX-Request": "true"}


def page_of(client, attempt_id, n, headers=None):  # type: ignore[no-untyped-def]
    resp = client.get(f"/attempts/{attempt_id}/q/{n}", headers=headers or {})
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def find(client, attempt_id, slug):  # type: ignore[no-untyped-def]
    """The position of question ``slug`` in the attempt."""
    for n in range(1, 5):
        if f'data-qid="{slug}"' in page_of(client, attempt_id, n, HX):
            return n
    raise AssertionError(slug)


def post(client, attempt_id, n, token, headers=None, **data):  # type: ignore[no-untyped-def]
    return client.post(
        f"/attempts/{attempt_id}/q/{n}",
        data={"csrf_token": token, **data},
        headers=headers or {},
    )


def test_a_question_card_swaps_in_place_and_the_full_page_has_the_strip(
    quiz_site, login_as
):
    client = login_as(quiz_site)
    attempt_id, _ = start(client)
    card = page_of(client, attempt_id, 2, HX)
    assert "<html" not in card and 'id="quiz-strip"' not in card
    assert (
        f'hx-get="/attempts/{attempt_id}/q/3"' in card and 'hx-push-url="true"' in card
    )
    assert f'hx-get="/attempts/{attempt_id}/q/1"' in card
    full = page_of(client, attempt_id, 2)
    assert full.count('class="pip') == 4 and 'aria-current="step"' in full
    assert 'src="/static/js/quizsync.js' in full
    # A refresh or a pushed URL opened anew gets the whole page, same question.
    assert 'data-n="2"' in full and "<html" in full


def test_numbered_saves_keep_the_highest_and_the_strip_shows_answered(
    quiz_site, login_as, key
):
    client = login_as(quiz_site)
    attempt_id, token = start(client)
    n = find(client, attempt_id, "q-single")
    assert (
        post(client, attempt_id, n, token, HX, response=key["C"], seq="5").status_code
        == 200
    )
    again = post(client, attempt_id, n, token, HX, response=key["A"], seq="4")  # stale
    assert again.status_code == 200 and "已保存" in again.get_data(as_text=True)
    full = page_of(client, attempt_id, n)
    assert (
        f'value="{key["C"]}" checked' in full
        and f'value="{key["A"]}" checked' not in full
    )
    assert 'data-seq="5"' in full
    assert re.search(rf'data-n="{n}" class="pip is-done"', full)
    bad = post(client, attempt_id, n, token, HX, response=key["A"], seq="abc")
    assert bad.status_code == 400


def test_after_answer_shows_each_answer_once_given_and_then_locks_it(
    drill, login_as, key
):
    client = login_as(drill)
    attempt_id, token = start(client, "drill")
    n = find(client, attempt_id, "q-single")
    before = page_of(client, attempt_id, n, HX)
    assert (
        SECRET not in before and "正确答案" not in before and "确定，看答案" in before
    )
    shown = post(client, attempt_id, n, token, HX, response=key["B"], seq="1")
    body = shown.get_data(as_text=True)
    assert shown.status_code == 200 and 'id="quiz-question"' in body
    assert "✗ 答错了" in body and SECRET in body and "✓ 正确答案" in body
    assert (
        'href="/lessons/sanhui"' in body and '<fieldset class="stack" disabled>' in body
    )
    # The same save again (its reply lost) is fine; a different one is refused.
    assert (
        post(client, attempt_id, n, token, HX, response=key["B"], seq="1").status_code
        == 200
    )
    assert (
        post(client, attempt_id, n, token, HX, response=key["A"], seq="2").status_code
        == 409
    )
    # The other questions still carry no answer.
    others = [page_of(client, attempt_id, m, HX) for m in range(1, 5) if m != n]
    for p in others:
        assert "解析：" not in p and "✓ 正确答案" not in p and "quiz-reveal" not in p


def test_after_answer_without_javascript_shows_the_answer_before_moving_on(
    drill, login_as
):
    client = login_as(drill)
    attempt_id, token = start(client, "drill")
    n = find(client, attempt_id, "q-tf")
    first = post(client, attempt_id, n, token, response="true", go="next")
    assert first.headers["Location"].endswith(f"/q/{n}")  # the answer, first
    assert "✓ 答对了" in page_of(client, attempt_id, n)
    moved = post(client, attempt_id, n, token, go="next", seen="1")
    assert not moved.headers["Location"].endswith(f"/q/{n}")


def test_the_api_reveals_only_where_the_policy_allows(drill, login_as, key):
    client = login_as(drill)
    headers = {"X-CSRFToken": csrf_token(client, "/quizzes")}
    for slug, reveals in (("practice", False), ("drill", True)):
        started = client.post(f"/api/v1/quizzes/{slug}/attempts", headers=headers)
        view = started.get_json()
        assert SECRET not in str(view) and "explanation" not in str(view)
        saved = client.put(
            f"/api/v1/attempts/{view['attempt_id']}/answers",
            json={"answers": {"q-single": key["A"]}, "seq": 3},
            headers=headers,
        ).get_json()
        assert saved["saved"] == 1
        if reveals:
            assert saved["revealed"][0]["answer"] == key["A"]
            assert saved["revealed"][0]["explanation"].count(SECRET) == 1
        else:
            assert saved["revealed"] == [] and SECRET not in str(saved)


def wrong_submit(client, keys, slug="practice"):  # type: ignore[no-untyped-def]
    attempt_id, token = start(client, slug)
    table = {"q-single": {"response": keys["q-single"]["B"]},
             "q-multi": {"response": keys["q-multi"]["A"]},
             "q-tf": {"response": "false"}, "q-fill": {"blank": "人民"}}  # fmt: skip
    for n in range(1, 5):
        qid = re.search(r'data-qid="([^"]+)"', page_of(client, attempt_id, n, HX))
        post(client, attempt_id, n, token, HX, **table[qid.group(1)])
    client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token})
    return attempt_id


def test_results_say_in_words_what_was_right_chosen_and_missed(
    quiz_site, login_as, db, keys
):
    client = login_as(quiz_site)
    attempt_id = wrong_submit(client, keys)
    page = client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)
    multi = page[page.index('id="result-q-multi"') :].split("</section>")[0]
    assert "✗ 答错了" in multi and "漏选" in multi and "✓ 正确答案 · 你的选择" in multi
    single = page[page.index('id="result-q-single"') :].split("</section>")[0]
    assert (
        "✗ 你的选择（不对）" in single and "✓ 正确答案" in single and SECRET in single
    )
    assert "再练一次" in page and "去错题本" in page and "看课文" in page
    with db() as s:
        count, due = s.execute(
            select(func.count(ReviewCard.id), func.min(ReviewCard.due_at))
        ).one()
    assert count == 4
    # The text says when the book will really ask (FSRS), not “in a few days”.
    note = re.search(r'id="book-note">([^<]+)<', page).group(1)
    assert f"答错的 {count} 题已放进错题本" in note
    assert local(due).strftime("%m-%d %H:%M") in note or "现在就可以复习" in note


def test_the_book_shows_options_the_wrong_choice_and_the_right_one(
    quiz_site, login_as, keys
):
    client = login_as(quiz_site)
    wrong_submit(client, keys)
    page = client.get("/review/book").get_data(as_text=True)
    card = page[page.index('id="book-q-single"') :].split("</section>")[0]
    # The author's own order and letters, whatever order the quiz showed.
    assert (
        card.index("A.</b> 党课")
        < card.index("B.</b> 团课")
        < card.index("C.</b> 形势课")
    )
    assert re.search(r"党课\s*<span class=\"mark mark-ok\">✓ 正确答案</span>", card)
    assert re.search(r"团课\s*<span class=\"mark mark-bad\">✗ 上次的选择（不对）", card)
    assert SECRET in card


def test_an_after_close_result_and_book_keep_the_answers_back(quiz_site, login_as):
    client = login_as(quiz_site)
    attempt_id, token = start(client, "special")
    client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token})
    for path in (f"/attempts/{attempt_id}/result", "/review/book"):
        for headers in ({}, HX):
            body = client.get(path, headers=headers).get_data(as_text=True)
            assert SECRET not in body and "✓ 正确答案" not in body
