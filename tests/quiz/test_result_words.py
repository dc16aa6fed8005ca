"""Small words on the result page that members read literally: deadlines at
midnight, blanks left empty, and when the 错题本 will ask."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from flask import render_template_string
from sqlalchemy import select

from studyapp.quiz.models import ReviewCard
from studyapp.timeutil import utcnow
from studyapp.web import deadline
from tests.quiz.test_quiz_flow import wrong_submit


def test_a_deadline_at_midnight_is_the_end_of_the_day_before():
    midnight = datetime(2026, 12, 2, 16, 0, tzinfo=UTC)  # 12-03 00:00 in Shanghai
    assert deadline(midnight, "%m-%d %H:%M") == "12-02 24:00"
    assert deadline(midnight + timedelta(minutes=1), "%m-%d %H:%M") == "12-03 00:01"
    assert deadline(None) == ""


def test_an_empty_blank_leaves_no_stray_separator(app):
    with app.test_request_context():
        html = render_template_string(
            '{% with qtype="fill", options=[], response=["人民", ""], answer=none %}'
            '{% include "quiz/_marks.html" %}{% endwith %}'
        )
    assert "人民" in html and "人民、" not in html


def test_the_book_note_says_how_many_are_due_now_and_when_the_rest(
    quiz_site, login_as, db, keys
):
    client = login_as(quiz_site)
    attempt_id = wrong_submit(client, keys)
    now = utcnow()
    with db() as s:
        cards = s.scalars(select(ReviewCard).order_by(ReviewCard.id)).all()
        cards[0].due_at = now - timedelta(hours=1)  # already due
        for card in cards[1:]:
            card.due_at = now + timedelta(days=1)
        s.commit()
    page = client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)
    note = re.search(r'id="book-note">([^<]+)<', page).group(1)
    assert f"答错的 {len(cards)} 题已放进错题本：1 题现在就可以复习，其余" in note
