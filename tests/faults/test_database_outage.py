"""The database goes away for 30 s under a running gunicorn (PostgreSQL: the
connection cut and refused; SQLite: another process holds the write lock).
Meanwhile pages and API writes answer a clear 503 — the page says in Chinese
that the database is unavailable, the API an ``{"error": …}`` body, both with
``Retry-After`` — never a 500 or a traceback; afterwards the same processes
serve again by themselves and what was refused can simply be sent again."""

from __future__ import annotations

import json
import threading
import time
from contextlib import nullcontext
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from studyapp.content.models import Question
from studyapp.quiz.models import AttemptAnswer
from tests.conftest import IS_POSTGRES
from tests.faults.conftest import SLUG, member_browser, members, response_for
from tests.faults.outage import OUTAGE_SECONDS, Proxy, sqlite_locked
from tests.ops.deploy_helpers import FORM

pytestmark = pytest.mark.slow

UNAVAILABLE = "系统暂时无法访问数据库"


def form_for(question: dict[str, Any], csrf: str, seq: int) -> bytes:
    """The question page's form, as the phone posts it."""
    given = response_for(question, 0)
    if question["type"] == "fill":
        fields = [("blank", b) for b in given]
    elif question["type"] == "truefalse":
        fields = [("response", "true" if given else "false")]
    else:
        fields = [
            ("response", k) for k in ([given] if isinstance(given, str) else given)
        ]
    return urlencode([*fields, ("seq", str(seq)), ("csrf_token", csrf)]).encode()


def test_a_30_second_outage_answers_clear_503s_and_recovers_without_a_restart(
    site, serve
):
    proxy = None
    if IS_POSTGRES:
        pg = make_url(site.url)
        proxy = Proxy((pg.host or "127.0.0.1", pg.port or 5432))
        server = serve(database_url=proxy.url(site.url))
    else:
        server = serve()
    browser, csrf = member_browser(server.port, members()[0])
    status, view = browser.api("POST", f"/api/v1/quizzes/{SLUG}/attempts", {}, csrf)
    assert status == 200
    attempt, questions = view["attempt_id"], view["questions"]
    api = f"/api/v1/attempts/{attempt}"

    def save(i: int, seq: int) -> tuple[int, Any]:
        body = {
            "answers": {questions[i]["id"]: response_for(questions[i], 0)},
            "seq": seq,
        }
        return browser.api("PUT", f"{api}/answers", body, csrf)

    assert save(0, 1)[0] == 200
    page = f"/attempts/{attempt}/q/3"
    requests: dict[str, Any] = {
        "home page": lambda: browser.get("/"),
        "question page": lambda: browser.get(page),
        "API save": lambda: browser.request(
            "PUT", f"{api}/answers", json.dumps({"answers": {questions[1]["id"]:
            response_for(questions[1], 0)}, "seq": 2}).encode(),
            {"Content-Type": "application/json", "X-CSRFToken": csrf}),
        "page save": lambda: browser.request(
            "POST", page, form_for(questions[2], csrf, 3),
            {**FORM, "HX-Request": "true"}),
        "API submit": lambda: browser.request(
            "POST", f"{api}/submit", b"{}",
            {"Content-Type": "application/json", "X-CSRFToken": csrf}),
    }  # fmt: skip
    seen: list[tuple[str, int, dict[str, str], str]] = []
    end = threading.Event()

    def keep_asking(name: str) -> None:
        while not end.is_set():
            status, headers, body = requests[name]()
            seen.append((name, status, headers, body))
            end.wait(0.2)

    booted = server.text().count("Booting worker")
    started = time.monotonic()
    with (
        sqlite_locked(site.url.removeprefix("sqlite:///"))
        if not IS_POSTGRES
        else nullcontext()
    ):
        if proxy is not None:
            proxy.cut()
        askers = [threading.Thread(target=keep_asking, args=(n,)) for n in requests]
        for t in askers:
            t.start()
        time.sleep(OUTAGE_SECONDS)
        end.set()  # the last requests still meet the outage (a locked write
        for t in askers:  # waits its busy timeout, 10 s, then fails)
            t.join(timeout=60)
        if proxy is not None:
            proxy.restore()
    outage = time.monotonic() - started

    statuses = {(name, status) for name, status, _, _ in seen}
    assert {n for n, _ in statuses} == set(requests), statuses  # each was answered
    writes = {"API save", "page save", "API submit"}
    for name, status, headers, body in seen:
        assert "Traceback" not in body and status != 500, (name, status, body)
        if name in writes or IS_POSTGRES:  # SQLite still reads while locked
            assert status == 503, (name, status, body[:300])
        if status != 503:
            assert status == 200, (name, status)
            continue
        assert headers["Retry-After"] == "30"
        if name.startswith("API"):
            assert json.loads(body)["error"]["code"] == "unavailable", body
        else:
            assert UNAVAILABLE in body, body[:300]

    # The same gunicorn serves again, by itself (the pool reconnects).
    back = time.monotonic()
    while browser.get("/")[0] != 200:
        assert time.monotonic() - back < 30, "no recovery"
        time.sleep(0.2)
    recovered = time.monotonic() - back
    assert server.proc.poll() is None  # no restart, no worker replaced
    assert server.text().count("Booting worker") == booted
    assert save(1, 4)[0] == 200  # what was refused is sent again
    status, _, _ = browser.request(
        "POST", page, form_for(questions[2], csrf, 5), {**FORM, "HX-Request": "true"}
    )
    assert status == 200
    status, result = browser.api("POST", f"{api}/submit", {}, csrf)
    assert status == 200 and result["total"] == len(questions)
    with Session(site.engine) as s:
        slugs = dict(s.execute(select(Question.id, Question.slug)).all())
        answered = {
            slugs[a.question_id]
            for a in s.scalars(
                select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt)
            )
            if a.response is not None
        }
    assert answered == {q["id"] for q in questions[:3]}
    counts = {n: sum(1 for m, *_ in seen if m == n) for n in requests}
    print(f"\noutage {outage:.0f} s: answers {sorted(statuses)}, requests {counts}; "
          f"served again {recovered:.1f} s after it ended")  # fmt: skip
