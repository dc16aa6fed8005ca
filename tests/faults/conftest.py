"""Fault tests: the demo site on a real database (a SQLite file, or PostgreSQL
when the suite runs there), served by real gunicorn processes that the tests
kill with SIGKILL, cut off from their database, and start again."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine

from studyapp.demo import PASSWORD, demo_people
from studyapp.timeutil import local, utcnow
from tests.conftest import (
    IS_POSTGRES,
    csrf_from,
    empty_pg_database,
    make_app,
)
from tests.e2e.conftest import browser_chromium, console_errors, phone  # noqa: F401
from tests.jobs.conftest import process_db  # noqa: F401  (fixture)
from tests.jobs.test_processes import db_rows, start  # noqa: F401  (fixtures)
from tests.ops.deploy_helpers import Browser, free_port, wait_until

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
#: The practice quiz every fault test answers: untimed, unlimited attempts.
SLUG = "faults-10"
QUESTIONS = 10


def members() -> list[str]:
    return [p[0] for p in demo_people() if p[3].value == "member" and not p[4]]


def _quiz_file() -> str:
    fmt = "%Y-%m-%d %H:%M"
    opens = local(utcnow() - timedelta(days=1)).strftime(fmt)
    closes = local(utcnow() + timedelta(days=2)).strftime(fmt)
    return f"""---
id: {SLUG}
title: 党史十题练习
kind: special
opens_at: "{opens}"
closes_at: "{closes}"
draw:
  - {{tags: [党史], count: {QUESTIONS}}}
attempts: unlimited
review: after_submit
---
十道党史题，不限时。
"""


def fault_database(tmp_path: Path) -> str:
    """An empty database of this test's own: a SQLite file, or ``…_faults``."""
    if not IS_POSTGRES:
        return f"sqlite:///{tmp_path / 'site.db'}"
    return empty_pg_database("faults")


@dataclass
class Site:
    """The migrated demo site: database, content folder, environment."""

    url: str
    tmp: Path
    content: Path
    engine: Engine

    def env(self, database_url: str | None = None, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("STUDYAPP_")}
        env.update(
            STUDYAPP_DATABASE_URL=database_url or self.url,
            STUDYAPP_ENV="development",  # plain http on 127.0.0.1
            STUDYAPP_SECRET_KEY="fault-tests-secret-key-0123456789abcdef",
            STUDYAPP_CONTENT_DIR=str(self.content),
            STUDYAPP_INSTANCE_PATH=str(self.tmp / "instance"),
            STUDYAPP_RATELIMIT_ENABLED="false",
            STUDYAPP_REQUEST_LOG="off",
            PYTHONPATH=str(ROOT),
        )
        env.update(extra)
        return env


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    from studyapp.demo import load_demo
    from studyapp.ops.paths import sample_content_dir

    url = fault_database(tmp_path)
    content = tmp_path / "content"
    shutil.copytree(sample_content_dir(), content)
    (content / "quizzes" / "quizzes" / f"{SLUG}.md").write_text(
        _quiz_file(), encoding="utf-8"
    )
    app = make_app(url, tmp_path, ENV="development", CONTENT_DIR=str(content))
    with app.app_context():
        load_demo(app, history_days=0)
    engine = create_engine(url)
    yield Site(url, tmp_path, content, engine)
    engine.dispose()


class Server:
    """gunicorn (master and workers in a process group of their own), as
    docs/operations.md runs it; ``kill()`` is SIGKILL to the whole group."""

    def __init__(self, env: dict[str, str], log: Path, port: int, workers: int = 2):
        self.port, self.log = port, log
        command = [
            BIN / "gunicorn", "-c", "python:studyapp.ops.gunicorn_conf",
            "-b", f"127.0.0.1:{port}", "-w", str(workers), "--threads", "4",
            "studyapp:create_app()",
        ]  # fmt: skip
        with log.open("a") as out:
            self.proc = subprocess.Popen(
                [str(c) for c in command], cwd=ROOT, env=env, stdout=out,
                stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        wait_until(self._answers, 60, f"gunicorn on {port}", self)  # type: ignore[arg-type]

    def _answers(self) -> bool:
        try:
            return Browser(self.port, https=False).get("/healthz")[0] == 200
        except OSError:
            return False

    def text(self) -> str:
        return self.log.read_text()

    def kill(self) -> None:
        """SIGKILL the master and every worker at once: no cleanup anywhere."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=30)


@pytest.fixture
def serve(site: Site) -> Iterator[Any]:
    """``serve(port=None, database_url=None)``: a gunicorn on the site."""
    started: list[Server] = []

    def _serve(port: int | None = None, database_url: str | None = None,
               **extra: str) -> Server:  # fmt: skip
        server = Server(
            site.env(database_url, **extra), site.tmp / "gunicorn.log",
            port or free_port(),
        )  # fmt: skip
        started.append(server)
        return server

    yield _serve
    for server in started:
        server.stop()


def member_browser(port: int, username: str) -> tuple[Browser, str]:
    """A member logged in over plain http, and the CSRF token for API writes."""
    browser = Browser(port, https=False)
    status, headers, _ = browser.login(username, PASSWORD)
    assert status == 302 and headers["Location"] == "/", (status, headers)
    return browser, csrf_from(browser.get("/")[2])


def response_for(question: dict[str, Any], pick: int) -> Any:
    """An answer to a question as the API takes it (``pick`` chooses the option)."""
    keys = [o["key"] for o in question["options"]]
    if question["type"] == "single":
        return keys[pick % len(keys)]
    if question["type"] == "multiple":
        return sorted(keys[: 1 + pick % len(keys)])
    if question["type"] == "truefalse":
        return pick % 2 == 0
    return ["党"] * question["blanks"]
