"""A member takes the daily quiz on a 360 px phone and sees why answers were wrong."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.test_member_study import log_in


def answer_current_question(phone) -> None:  # type: ignore[no-untyped-def]
    """Answer, tap 确定: the daily quiz (review: after_answer) shows the answer at
    once, in words, and locks it."""
    question = phone.locator("#quiz-question")
    choices = question.locator("label.choice")
    if choices.count():
        choices.first.tap()
    else:
        for blank in question.locator("input[name=blank]").all():
            blank.fill("党")
    question.get_by_role("button", name="确定，看答案").tap()
    reveal = phone.locator("#quiz-question #quiz-reveal")
    expect(reveal).to_contain_text("答")  # ✓ 答对了 or ✗ 答错了
    expect(phone.locator("#quiz-question #save-status")).to_have_text("已保存")
    assert phone.locator("#quiz-question input:not([type=hidden]):enabled").count() == 0


def test_member_takes_the_daily_quiz(live_server, phone, console_errors, artifacts_dir):
    log_in(phone, live_server)
    phone.get_by_role("navigation").get_by_text("答题", exact=True).tap()
    phone.locator("#quiz-daily").tap()
    phone.get_by_role("button", name="开始答题").tap()
    expect(phone.locator("#quiz-question")).to_be_visible()
    total = int(
        re.search(
            r"/(\d+)", phone.locator("#quiz-question .badge").first.inner_text()
        ).group(1)
    )
    phone.screenshot(path=str(artifacts_dir / "quiz-question-360.png"))
    for n in range(1, total + 1):
        expect(phone.locator("#quiz-question .badge").first).to_have_text(
            f"{n}/{total}"
        )
        answer_current_question(phone)
        if n == 1:
            phone.locator("#quiz-reveal").scroll_into_view_if_needed()
            phone.screenshot(path=str(artifacts_dir / "quiz-after-answer-360.png"))
        phone.locator("#quiz-question button[value=next]").tap()
    phone.get_by_role("button", name="交卷").tap()
    expect(phone.locator("#quiz-result")).to_be_visible()
    expect(phone.locator("#quiz-result .stat-label")).to_contain_text(f"/ {total} 题")
    # Every question is shown with its result; wrong ones carry the explanation.
    assert phone.locator("#quiz-result section[id^=result-]").count() == total
    assert phone.locator("#quiz-result .note.prose").count() >= 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path=str(artifacts_dir / "quiz-result-360.png"), full_page=True)
    assert console_errors == []
