"""Fixtures for job tests: fake robots, a database for scheduler processes."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select

from studyapp.db import Base, get_engine
from tests.conftest import (
    IS_POSTGRES,
    empty_pg_database,
)
from tests.jobs import fake_jobs
from tests.quiz.conftest import quiz_site  # noqa: F401  (fixture)
from tests.reports.conftest import world  # noqa: F401  (fixture)


@pytest.fixture
def jobs_app(app, tmp_path):  # type: ignore[no-untyped-def]
    """The app with the fake job table, its tick table, and backups in tmp."""
    app.config.update(
        JOBS_REGISTRY="tests.jobs.fake_jobs:JOBS",
        BACKUP_DIR=str(tmp_path / "backups"),
        WEBHOOK_HOSTS=[],
        WEBHOOK_TIMEOUT_SECONDS=1,
        WEBHOOK_BACKOFF_SECONDS=0.05,
    )
    with app.app_context():
        fake_jobs.metadata.create_all(get_engine())
    yield app
    if IS_POSTGRES:
        with app.app_context():
            fake_jobs.metadata.drop_all(get_engine())


def ticks(app, job: str | None = None) -> list[tuple[str, str, int]]:  # type: ignore[no-untyped-def]
    """(job, fire key, pid) of every fake-job execution, in order."""
    t = fake_jobs.tick
    stmt = select(t.c.job, t.c.fire, t.c.pid).order_by(t.c.id)
    if job:
        stmt = stmt.where(t.c.job == job)
    with app.app_context(), get_engine().connect() as conn:
        return [tuple(r) for r in conn.execute(stmt)]


def count(app, model, *where) -> int:  # type: ignore[no-untyped-def]
    with app.app_context(), get_engine().connect() as conn:
        return conn.scalar(select(func.count()).select_from(model).where(*where))


def wait_for(check: Callable[[], Any], timeout: float = 30, what: str = "") -> Any:
    """Poll ``check`` until it returns something truthy (generous timeouts only)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what or check}")


@dataclass
class Robot:
    """A fake group robot on 127.0.0.1: ``mode`` is ok | 500 | hang | refuse."""

    mode: str = "ok"
    hang_seconds: float = 3
    bodies: list[dict[str, Any]] = field(default_factory=list)
    times: list[float] = field(default_factory=list)
    url: str = ""


@pytest.fixture
def robot_factory() -> Iterator[Callable[[str], Robot]]:
    servers: list[ThreadingHTTPServer] = []

    def make(mode: str = "ok") -> Robot:
        robot = Robot(mode)
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(robot))
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        robot.url = f"http://127.0.0.1:{server.server_port}/cgi-bin/webhook/send?key=k"
        return robot

    yield make
    for server in servers:
        server.shutdown()
        server.server_close()


def _handler(robot: Robot) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length", 0))
            robot.bodies.append(json.loads(self.rfile.read(length)))
            robot.times.append(time.time())
            if robot.mode == "hang":
                time.sleep(robot.hang_seconds)
            status = 500 if robot.mode == "500" else 200
            answer = {"errcode": 93000 if robot.mode == "refuse" else 0, "errmsg": "x"}
            data = json.dumps(answer).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:  # the client gave up (timeout)
                pass

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def process_db(tmp_path) -> str:  # type: ignore[no-untyped-def]
    """A database with every table, for ``studyapp jobs run`` subprocesses:
    a SQLite file, or (suite on PostgreSQL) its own database ``…_jobs``."""
    if IS_POSTGRES:
        rendered = empty_pg_database("jobs")
        engine = create_engine(rendered)
    else:
        rendered = f"sqlite:///{tmp_path / 'jobs.db'}"
        engine = create_engine(rendered)
    Base.metadata.create_all(engine)
    fake_jobs.metadata.create_all(engine)
    engine.dispose()
    return rendered
