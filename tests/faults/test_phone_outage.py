"""A member answers on a 360 px phone (real chromium) while the SQLite
database behind gunicorn is write-locked for 30 s: each answer is kept on the
phone and the page says it is not saved yet; when the database is back the
phone sends them by itself and every one is stored."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import IS_POSTGRES
from tests.e2e.conftest import CHROMIUM
from tests.e2e.test_quiz_flow import answer, log_in
from tests.faults.conftest import QUESTIONS, SLUG, members
from tests.faults.outage import OUTAGE_SECONDS, sqlite_locked

pytestmark = [
    pytest.mark.slow,
    pytest.mark.e2e,
    pytest.mark.skipif(IS_POSTGRES, reason="browser tests run in the SQLite run"),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no chromium"),
]

#: A save meeting the lock waits the busy timeout (10 s) before its 503.
SAVE_TIMEOUT = 25_000


def at(phone: Any, n: int) -> Any:
    card = phone.locator("#quiz-question")
    expect(card.locator(".badge").first).to_have_text(f"{n}/{QUESTIONS}")
    return card


def test_answers_given_during_an_outage_are_kept_and_sent_after(
    site, serve, phone, console_errors
):
    server = serve()
    base = f"http://127.0.0.1:{server.port}"
    log_in(phone, base, members()[2])
    phone.goto(f"{base}/quizzes/{SLUG}")
    phone.get_by_role("button", name="开始答题").tap()
    card = at(phone, 1)
    answer(card)
    expect(card.locator("#save-status")).to_have_text("已保存")
    attempt = phone.url.split("/attempts/")[1].split("/")[0]
    started = time.monotonic()
    with sqlite_locked(site.url.removeprefix("sqlite:///")):
        for n in (2, 3):
            card.locator("button[value=next]").tap()
            card = at(phone, n)
            answer(card)
            expect(card.locator("#save-status")).to_contain_text(
                "未保存", timeout=SAVE_TIMEOUT
            )
        expect(phone.locator("#quiz-sync")).to_contain_text("个答案没发出")
        kept = phone.evaluate(
            "Object.keys(localStorage).filter(k => k.startsWith('studyapp.quiz.'))"
        )
        assert kept, "the answers are kept on the phone"
        time.sleep(max(0, OUTAGE_SECONDS - (time.monotonic() - started)))
    # Back: the phone sends what waited, with no tap (its retry timer).
    expect(card.locator("#save-status")).to_have_text("已保存", timeout=60_000)
    expect(phone.locator("#quiz-sync")).to_have_text("", timeout=60_000)
    sent_after = time.monotonic() - started - OUTAGE_SECONDS
    saved = phone.request.get(f"{base}/api/v1/attempts/{attempt}").json()
    answered = [q["position"] for q in saved["questions"] if q["response"] is not None]
    assert answered == [1, 2, 3]
    expected = ("503", "Service Unavailable")
    assert [e for e in console_errors if not any(x in e for x in expected)] == []
    print(f"\nphone outage {OUTAGE_SECONDS} s: 2 answers kept, all sent "
          f"{sent_after:.0f} s after the database came back")  # fmt: skip
