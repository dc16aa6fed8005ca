"""SQL statements per member request (SPEC §8): at most 6 for a page or a write
(a submit at most 12), and the same number with 1 or 180 days of history and 10
or 1,000 lessons.

Two databases are built once per module with the demo organisation and content,
then filled with SQL bulk inserts: ``small`` (1 day of history, 10 lessons) and
``big`` (180 days for every demo member, 1,000 lessons). Each request is made as
a logged-in demo member (the 支部 page as a demo secretary) and every statement
the app sends is counted with a ``before_cursor_execute`` listener;
transaction control (``BEGIN``) is not a statement.
"""

from __future__ import annotations

import json
import os
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, event, insert, select, text

from studyapp import cache
from studyapp.auth.models import User
from studyapp.content.models import Lesson
from studyapp.db import get_engine, get_session
from studyapp.demo import demo_people, load_demo
from studyapp.demo_history import _answers
from studyapp.login import forget_actors
from studyapp.progress.models import (
    ActivityEvent,
    DailyActivity,
    PointsEntry,
    StudyTime,
    UserStats,
)
from studyapp.progress.settlement import settle
from studyapp.quiz import service as quiz_service
from studyapp.quiz.models import Attempt, QuizOccurrence
from studyapp.timeutil import study_day, utcnow
from tests.conftest import (
    IS_POSTGRES,
    csrf_from,
    empty_pg_database,
)
from tests.conftest import make_app as _make_app

MEMBER, SECRETARY, PASSWORD = "13900010001", "shuji01", "demo2026"
PAGE_LIMIT, SUBMIT_LIMIT = 6, 12
SHAPES = {"small": (1, 10), "big": (180, 1000)}


@dataclass
class Counted:
    """The statements one engine sends while ``on`` is set."""

    on: bool = False
    statements: list[str] = field(default_factory=list)

    def attach(self, engine: Engine) -> None:
        @event.listens_for(engine, "before_cursor_execute")
        def _count(_conn, _cursor, statement, _params, _context, _many):  # type: ignore[no-untyped-def]
            if self.on and not statement.lstrip().upper().startswith("BEGIN"):
                self.statements.append(" ".join(statement.split())[:160])


@dataclass
class Site:
    app: Flask
    counted: Counted
    lesson: str

    def client(self, username: str = MEMBER) -> FlaskClient:
        client = self.app.test_client()
        page = client.get("/login").get_data(as_text=True)
        data = {"username": username, "password": PASSWORD,
                "csrf_token": csrf_from(page)}  # fmt: skip
        assert client.post("/login", data=data).status_code == 302
        return client

    def count(self, call: Any) -> tuple[Any, list[str]]:
        self.counted.statements = []
        self.counted.on = True
        try:
            resp = call()
        finally:
            self.counted.on = False
        return resp, self.counted.statements


def _database(tmp_path_factory: pytest.TempPathFactory, name: str) -> str:
    if not IS_POSTGRES:
        return f"sqlite:///{tmp_path_factory.mktemp(name) / 'counts.db'}"
    return empty_pg_database(f"counts_{name}")


def _bulk_lessons(session: Any, n: int, now: datetime) -> None:
    have = session.scalar(select(Lesson.id).order_by(Lesson.id.desc()).limit(1)) or 0
    rows = [
        {"slug": f"bulk-{i}", "title": f"批量课文 {i}", "series": f"系列{i % 7}",
         "tags": [f"标签{i % 11}"], "minutes": 5, "body_html": "<p>正文</p>",
         "search_text": f"批量课文 {i} 正文", "content_hash": "x", "status": "active",
         "publish_at": now - timedelta(days=i % 300 + 2),
         "audience": "all" if i % 3 else ["DEMO-JG-02"],
         "source_path": f"bulk/{i}.md", "created_at": now, "updated_at": now}
        for i in range(max(0, n - have))
    ]  # fmt: skip
    if rows:
        session.execute(insert(Lesson), rows)


def _bulk_history(session: Any, days: int, now: datetime) -> None:
    """``days`` days of ledgers, daily figures and daily-quiz attempts for everyone."""
    rng = random.Random(days)
    users = session.execute(select(User.id, User.branch_id)).all()
    today = study_day(now)
    daily_def = session.execute(
        text("SELECT id FROM quiz_definition WHERE slug = 'daily'")
    ).scalar()
    acts, times, points, events, occs = [], [], [], [], []
    for d in range(1, days + 1):
        day = today - timedelta(days=d)
        at = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
        if daily_def is not None:
            occs.append({"definition_id": daily_def, "key": day.isoformat(),
                         "opens_at": at - timedelta(hours=12), "closes_at": at,
                         "created_at": at})  # fmt: skip
        for uid, branch in users:
            secs = rng.choice([0, 600, 1800, 2400])
            acts.append({"user_id": uid, "study_day": day, "branch_id": branch,
                         "study_seconds": secs, "points": secs // 300,
                         "goal_met": secs >= 1800, "lessons_finished": 1})  # fmt: skip
            key = {"user_id": uid, "study_day": day, "source": f"bulk-{d}"}
            times.append({**key, "kind": "lesson", "seconds": secs, "updated_at": at})
            points.append({**key, "rule": "lesson_finished", "points": 1, "at": at})
            events.append({**key, "kind": "lesson_finished", "at": at})
    stats = [{"user_id": uid, "current_streak": 0, "best_streak": 3,
              "total_points": 10 * days, "as_of": today - timedelta(days=1)}
             for uid, _b in users]  # fmt: skip
    for model, rows in ((UserStats, stats), (DailyActivity, acts), (StudyTime, times),
                        (PointsEntry, points), (ActivityEvent, events)):  # fmt: skip
        for start in range(0, len(rows), 5000):
            session.execute(insert(model), rows[start : start + 5000])
    if occs:
        session.execute(insert(QuizOccurrence), occs)
        ids = session.execute(
            select(QuizOccurrence.id, QuizOccurrence.closes_at).where(
                QuizOccurrence.definition_id == daily_def,
                QuizOccurrence.key < today.isoformat(),
            )
        ).all()
        attempts = [
            {"occurrence_id": oid, "user_id": uid, "number": 1, "seed": "bulk",
             "state": "graded", "started_at": closes - timedelta(hours=2),
             "deadline": closes, "submitted_at": closes - timedelta(hours=1),
             "correct_count": 3, "question_count": 5, "score": 60.0,
             "points_awarded": 3}
            for oid, closes in ids for uid, _b in users
        ]  # fmt: skip
        for start in range(0, len(attempts), 5000):
            session.execute(insert(Attempt), attempts[start : start + 5000])


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Site]]:
    built: dict[str, Site] = {}
    apps = []
    for name, (days, lessons) in SHAPES.items():
        tmp = tmp_path_factory.mktemp(f"app-{name}")
        app = _make_app(_database(tmp_path_factory, name), tmp)
        apps.append(app)
        with app.app_context():
            passwords = {p[0]: PASSWORD for p in demo_people()}
            load_demo(app, history_days=0, passwords=passwords)
            session, now = get_session(), utcnow()
            _bulk_lessons(session, lessons, now)
            _bulk_history(session, days, now)
            settle(session, now, study_day(now))  # as the nightly job leaves it
            session.commit()
            counted = Counted()
            counted.attach(get_engine())
            slug = session.scalar(
                select(Lesson.slug).where(~Lesson.slug.startswith("bulk-")).limit(1)
            )
        built[name] = Site(app, counted, slug)
    yield built
    for app in apps:
        app.extensions["studyapp.engine"].dispose()


def _csrf(client: FlaskClient) -> str:
    return csrf_from(client.get("/me").get_data(as_text=True))


def _open_attempt(client: FlaskClient) -> int:
    """Start (or resume) today's daily quiz; the attempt id."""
    headers = {"X-CSRFToken": _csrf(client)}
    resp = client.post("/api/v1/quizzes/daily/attempts", headers=headers)
    assert resp.status_code in (200, 201), resp.get_data(as_text=True)
    return int(resp.get_json()["attempt_id"])


def _answer_form(client: FlaskClient, attempt_id: int) -> dict[str, Any]:
    """A form answering question 1 (its first option, or any text for a blank)."""
    html = client.get(f"/attempts/{attempt_id}/q/1").get_data(as_text=True)
    data: dict[str, Any] = {"csrf_token": csrf_from(html)}
    for name, value in re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', html):
        if name not in data:
            data[name] = value
    for name in re.findall(r'<input[^>]*type="text"[^>]*name="(\w+)"', html):
        data[name] = "党组织"
    return data


def _answer_right(site: Site, attempt_id: int) -> None:
    """Save the right answer to every question but the first (the counted
    answer save sets that one)."""
    with site.app.app_context():
        session = get_session()
        user = session.scalars(select(User).where(User.username == MEMBER)).one()
        right = _answers(session, attempt_id, random.Random(1), skill=1.0)
        right.pop(next(iter(right)))
        quiz_service.save_answers(session, user, attempt_id, right, now=utcnow())
        session.commit()


def _requests(site: Site) -> dict[str, Any]:
    """Name → a callable making that request (set up outside the count)."""
    member, secretary = site.client(MEMBER), site.client(SECRETARY)
    attempt = _open_attempt(member)
    _answer_right(site, attempt)  # so the counted submit earns points
    form = _answer_form(member, attempt)
    token = form["csrf_token"]
    beat = json.dumps({"lesson_id": site.lesson, "page_id": "counts"})
    member.get(f"/lessons/{site.lesson}")
    json_headers = {"X-CSRFToken": token, "Content-Type": "application/json"}
    start = utcnow()

    def heartbeat(after: int) -> Any:  # a beat ``after`` seconds after the first
        with time_machine.travel(start + timedelta(seconds=after), tick=False):
            return member.post(
                "/api/v1/study/heartbeat", data=beat, headers=json_headers
            )

    heartbeat(0)
    return {
        "首页": lambda: member.get("/"),
        "学习": lambda: member.get("/lessons"),
        "学习 page 2": lambda: member.get("/lessons?page=2"),
        "课文": lambda: member.get(f"/lessons/{site.lesson}"),
        "答题": lambda: member.get("/quizzes"),
        "题目": lambda: member.get(f"/attempts/{attempt}/q/1"),
        "我的": lambda: member.get("/me"),
        "排行": lambda: member.get("/leaderboard"),
        "支部": lambda: secretary.get("/branch"),
        "GET /api/v1/me": lambda: member.get("/api/v1/me"),
        "heartbeat": lambda: heartbeat(30),
        "heartbeat, nothing to credit": lambda: heartbeat(30),
        "answer save": lambda: member.post(
            f"/attempts/{attempt}/q/1", data=form, headers={"HX-Request": "true"}),
        "submit": lambda: member.post(
            f"/attempts/{attempt}/submit", data={"csrf_token": token}),
    }  # fmt: skip


@pytest.fixture(scope="module")
def counts(sites: dict[str, Site]) -> dict[str, dict[str, list[str]]]:
    """Statements per request name, per database shape."""
    result: dict[str, dict[str, list[str]]] = {}
    for shape, site in sites.items():
        result[shape] = {}
        cache.forget("content")  # the two apps share this process
        cache.forget("org")
        forget_actors()
        requests = _requests(site)
        for name in WARM:  # counted as a member meets them: caches warm
            requests[name]()
        for name, call in requests.items():
            resp, statements = site.count(call)
            assert resp.status_code in (200, 201, 302), (name, resp.status_code)
            result[shape][name] = statements
    if os.environ.get("STATEMENT_REPORT"):  # a table for docs/performance.md
        for name in result["small"]:
            small, big = len(result["small"][name]), len(result["big"][name])
            print(f"| {name} | {small} | {big} |")
            if name == os.environ.get("STATEMENT_DEBUG"):
                print("\n".join(result["small"][name] + ["--"] + result["big"][name]))
    return result


#: Requests made once before counting (a submit is counted on its first call).
WARM = ["首页", "学习", "学习 page 2", "课文", "答题", "题目", "我的", "排行", "支部",
        "GET /api/v1/me", "answer save"]  # fmt: skip
NAMES = ["首页", "学习", "学习 page 2", "课文", "答题", "题目", "我的", "排行", "支部",
         "GET /api/v1/me", "heartbeat", "heartbeat, nothing to credit", "answer save",
         "submit"]  # fmt: skip


#: Requests known to be over the limit, as strict expected failures (the day
#: one is brought back under it, the list must lose it). Empty: every request
#: above is asserted.
OVER_LIMIT: set[str] = set()


@pytest.mark.parametrize("name", [
    pytest.param(n, marks=pytest.mark.xfail(strict=True, reason="over the limit"))
    if n in OVER_LIMIT else n
    for n in NAMES
])  # fmt: skip
def test_statements_per_request(
    counts: dict[str, dict[str, list[str]]], name: str
) -> None:
    limit = SUBMIT_LIMIT if name == "submit" else PAGE_LIMIT
    small, big = counts["small"][name], counts["big"][name]
    listing = "\n".join(big)
    assert len(big) <= limit, f"{name}: {len(big)} statements\n{listing}"
    assert len(big) == len(small), f"{name}: {len(small)} → {len(big)}\n{listing}"


def test_history_is_there(sites: dict[str, Site]) -> None:
    """The big database really holds 180 days and 1,000 lessons (else the
    comparison above proves nothing)."""
    with sites["big"].app.app_context():
        session = get_session()
        days = session.scalar(
            text("SELECT count(DISTINCT study_day) FROM daily_activity")
        )
        lessons = session.scalar(text("SELECT count(*) FROM lesson"))
    assert days >= 180 and lessons >= 1000
