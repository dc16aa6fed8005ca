"""Reading that flows: 已读/未读 and progress, 首页's one next step, and the end of
a lesson (本课已学完, the next lesson of its series)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from studyapp.auth.actor import Actor
from studyapp.auth.models import User
from studyapp.content.format.checker import check_tree
from studyapp.content.publishing import publish_report
from studyapp.progress.clock import Activity, credit_beat
from studyapp.progress.settings import defaults
from studyapp.timeutil import utcnow
from tests.content_helpers import lesson, write
from tests.factories import make_unit, make_user

SERIES = [
    ("one", "第一课：入党誓词"),
    ("two", "第二课：党员义务"),
    ("three", "第三课：党员权利"),
]


@pytest.fixture
def series(db, tmp_path):  # type: ignore[no-untyped-def]
    """Three lessons of one series, published a day apart, and a member."""
    root = tmp_path / "reading-content"
    for day, (slug, title) in enumerate(SERIES, start=1):
        when = f'publish_at: "2026-01-0{day} 08:00"\n'
        write(root, f"lessons/{slug}.md", lesson(slug, title, extra=when))
    write(root, "lessons/other.md", lesson("other", "另一专题", extra=(
        'publish_at: "2026-01-05 08:00"\n')).replace("组织生活", "党史"))  # fmt: skip
    with db() as s:
        unit = make_unit(s, "R1", name="读书支部")
        make_user(s, unit, "reader1", name="李学文")
        report = check_tree([root])
        publish_report(s, report, content_root=root, scope=[root], now=utcnow())


def read_for(db, slug: str, seconds: int, minutes: int = 5) -> None:  # type: ignore[no-untyped-def]
    """Heartbeats every 30 s for ``seconds``, ending now, as a visible page sends."""
    with db() as s:
        user = s.query(User).filter_by(username="reader1").one()
        actor = Actor.of(user)
        end = utcnow()
        for n in range(seconds // 30 + 1):
            at = end - timedelta(seconds=seconds - n * 30)
            credit_beat(s, actor, Activity.lesson(slug, minutes), page_id="p",
                        now=at, settings=defaults(s))  # fmt: skip


def item(page: str, title: str) -> str:
    """The list item of one lesson in the 学习 list."""
    start = page.index(title)
    return page[page.rindex("<li", 0, start) : page.index("</li>", start)]


def test_a_new_member_is_offered_to_start_with_the_newest_lesson(series, login_as):
    page = login_as("reader1").get("/").get_data(as_text=True)
    step = page[page.index('id="next-step"') :]
    step = step[: step.index("</section>")]
    assert "开始学习" in step and "另一专题" in step
    # The primary action comes before the day's figures, so it is above the fold.
    assert page.index('id="next-step"') < page.index('id="today-card"')


def test_the_list_marks_unread_started_and_read_lessons(series, login_as, db):
    read_for(db, "one", 5 * 60)  # past the 80 % of 5 minutes: finished
    read_for(db, "two", 60)
    page = login_as("reader1").get("/lessons").get_data(as_text=True)
    assert "已读" in item(page, "第一课：入党誓词")
    assert "读到 25%" in item(page, "第二课：党员义务")
    assert "未读" in item(page, "第三课：党员权利")
    assert "已读 1 / 4 篇" in page


def test_home_continues_the_lesson_left_unfinished(series, login_as, db):
    read_for(db, "two", 60)
    page = login_as("reader1").get("/").get_data(as_text=True)
    step = page[page.index('id="next-step"') : page.index('id="today-card"')]
    assert "继续阅读" in step and "第二课：党员义务" in step and "已读 25%" in step


def test_home_offers_the_next_lesson_of_the_series_once_one_is_read(
    series, login_as, db
):
    read_for(db, "one", 5 * 60)
    page = login_as("reader1").get("/").get_data(as_text=True)
    step = page[page.index('id="next-step"') : page.index('id="today-card"')]
    assert "读下一篇" in step and "第二课：党员义务" in step
    assert "继续阅读" not in step


def test_a_read_lesson_ends_with_done_and_the_next_of_its_series(
    series, login_as, db
):
    read_for(db, "one", 5 * 60)
    page = login_as("reader1").get("/lessons/one").get_data(as_text=True)
    end = page[page.index('id="lesson-end"') :]
    assert 'id="lesson-done"' in end and 'id="lesson-done" hidden' not in end
    assert "本课已学完" in end
    assert 'href="/lessons/two"' in end and "第二课：党员义务" in end


def test_an_unread_lesson_says_how_long_until_it_is_done(series, login_as):
    page = login_as("reader1").get("/lessons/two").get_data(as_text=True)
    assert 'id="lesson-done" hidden' in page
    assert "再读约 4 分钟，本课记为学完" in page  # 80 % of 5 minutes
    assert 'data-to-finish="240"' in page
    assert 'href="/lessons/three"' in page


def test_the_last_lesson_of_a_series_says_so(series, login_as):
    page = login_as("reader1").get("/lessons/three").get_data(as_text=True)
    assert "这是「组织生活」的最后一课。" in page
    assert 'id="next-lesson"' not in page


def test_the_api_gives_reading_state_and_the_next_lesson(series, client, login_as, db):
    read_for(db, "one", 5 * 60)
    login_as("reader1")
    lessons = client.get("/api/v1/lessons").get_json()["lessons"]
    states = {row["id"]: row["reading"] for row in lessons}
    assert states == {"one": "read", "two": "unread", "three": "unread",
                      "other": "unread"}  # fmt: skip
    one = client.get("/api/v1/lessons/one").get_json()
    assert one["next"]["id"] == "two" and one["seconds_to_finish"] == 0
    home = client.get("/api/v1/home").get_json()
    assert home["next_lesson"]["id"] == "two"
