"""/healthz and /readyz for load balancers, and the request id and JSON request log."""

from __future__ import annotations

import json
import logging

import pytest

from studyapp.ops import reqlog
from tests.conftest import login, make_app


def test_healthz_answers_without_a_database(tmp_path) -> None:
    app = make_app("sqlite:///" + str(tmp_path / "never-created.db"), tmp_path)
    resp = app.test_client().get("/healthz")
    assert resp.status_code == 200 and resp.json == {"status": "ok"}
    assert not (tmp_path / "never-created.db").exists()


def test_readyz_is_503_before_db_upgrade(empty_database_url, tmp_path) -> None:
    app = make_app(empty_database_url, tmp_path)
    resp = app.test_client().get("/readyz")
    assert resp.status_code == 503
    assert "studyapp db upgrade" in resp.json["database"]


def test_readyz_is_ok_at_head(empty_database_url, tmp_path) -> None:
    from studyapp.migrate import upgrade

    app = make_app(empty_database_url, tmp_path)
    with app.app_context():
        upgrade()
    resp = app.test_client().get("/readyz")
    assert resp.status_code == 200 and resp.json["status"] == "ok"


def test_readyz_is_503_when_the_database_is_unreachable(tmp_path) -> None:
    url = "postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=1"
    app = make_app(url, tmp_path)
    resp = app.test_client().get("/readyz")
    assert resp.status_code == 503 and "unreachable" in resp.json["database"]


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_set_no_cookie_and_need_no_login_or_csrf(app, path) -> None:
    app.config["RATELIMIT_ENABLED"] = True
    resp = app.test_client().get(path)
    assert resp.status_code in (200, 503)
    assert "Set-Cookie" not in resp.headers


def test_a_sane_request_id_is_returned_as_given(client) -> None:
    resp = client.get("/healthz", headers={"X-Request-ID": "nginx-7f3a.1"})
    assert resp.headers["X-Request-ID"] == "nginx-7f3a.1"


def test_a_strange_request_id_is_replaced(client) -> None:
    resp = client.get("/healthz", headers={"X-Request-ID": "a b<script>"})
    assert resp.headers["X-Request-ID"] != "a b<script>"
    assert len(resp.headers["X-Request-ID"]) == 32


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture
def request_lines():  # type: ignore[no-untyped-def]
    handler = _Lines()
    reqlog.log.addHandler(handler)
    yield handler.lines
    reqlog.log.removeHandler(handler)


def test_json_request_log_has_id_user_status_and_duration(
    database_url, tmp_path, member, request_lines
) -> None:
    app = make_app(database_url, tmp_path, REQUEST_LOG="json")
    client = app.test_client()
    login(client, member)
    client.get("/", headers={"X-Request-ID": "req-42"})
    line = json.loads(request_lines[-1])
    assert line["request_id"] == "req-42" and line["path"] == "/"
    assert line["method"] == "GET" and line["status"] == 200
    assert isinstance(line["user_id"], int) and line["duration_ms"] >= 0


def test_request_log_is_off_when_configured_off(database_url, tmp_path, request_lines):
    app = make_app(database_url, tmp_path, REQUEST_LOG="off")
    app.test_client().get("/healthz")
    assert request_lines == []


def test_a_database_host_that_never_answers_gives_503_not_a_hang(tmp_path) -> None:
    """A PostgreSQL host that accepts the connection and then says nothing (a
    network that drops packets) must not hold the request until the operating
    system gives up: the connect waits SQLITE_BUSY_TIMEOUT seconds, then 503."""
    import socket
    import threading

    silent = socket.create_server(("127.0.0.1", 0))
    port = silent.getsockname()[1]
    url = f"postgresql+psycopg://nobody@127.0.0.1:{port}/none"
    app = make_app(url, tmp_path, SQLITE_BUSY_TIMEOUT=1)
    answered: list[int] = []
    probe = threading.Thread(
        target=lambda: answered.append(app.test_client().get("/readyz").status_code),
        daemon=True,
    )
    probe.start()
    probe.join(timeout=30)  # a bound against hanging, not a speed target
    silent.close()
    assert answered == [503]
