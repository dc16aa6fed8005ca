"""Login rate limits slow password guessing without locking members out.

Only failures count; they are counted per username + address and, with a higher
ceiling, per address, in a store every worker shares (the database here).
"""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, login, make_app
from tests.factories import make_unit, make_user

LIMITS = {
    "RATELIMIT_ENABLED": True,
    "LOGIN_FAILURE_LIMIT": "5 per 15 minutes",
    "LOGIN_ADDRESS_FAILURE_LIMIT": "12 per 15 minutes",
}


@pytest.fixture
def limited(app, database_url, tmp_path):  # type: ignore[no-untyped-def]
    # Created after ``app``: Flask-Limiter keeps one state per process, the
    # last app's (as a gunicorn worker has one app).
    return make_app(database_url, tmp_path, **LIMITS)


@pytest.fixture
def branch_members(db):  # type: ignore[no-untyped-def]
    with db() as s:
        unit = make_unit(s, "BR1", name="第一支部")
        return [make_user(s, unit, f"1390000{i:04d}").username for i in range(30)]


def client_at(app, address: str):  # type: ignore[no-untyped-def]
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_a_branch_meeting_on_one_wifi_all_get_in(limited, branch_members):
    statuses = [
        login(client_at(limited, "10.1.1.1"), name).status_code
        for name in branch_members
    ]
    assert statuses == [302] * 30


def test_guesses_from_many_addresses_do_not_lock_the_member_out(
    limited, branch_members
):
    victim = branch_members[0]
    for i in range(25):
        resp = login(client_at(limited, f"10.2.0.{i + 1}"), victim, "wrong-password")
        assert resp.status_code == 422
    assert login(client_at(limited, "10.3.0.1"), victim).status_code == 302


def test_repeated_guesses_for_one_member_from_one_address_are_slowed(
    limited, branch_members
):
    victim = branch_members[0]
    guesser = client_at(limited, "10.4.0.1")
    statuses = [login(guesser, victim, "wrong-password").status_code for _ in range(6)]
    assert statuses == [422] * 5 + [429]
    page = login(guesser, victim)
    text = page.get_data(as_text=True)
    assert page.status_code == 429
    assert "请 15 分钟后再试" in text and 'name="username"' in text
    assert page.headers["Retry-After"].isdigit()
    # The member on their own phone, elsewhere, is not held up.
    assert login(client_at(limited, "10.4.0.2"), victim).status_code == 302


def test_one_address_guessing_many_usernames_meets_the_address_ceiling(
    limited, branch_members
):
    guesser = client_at(limited, "10.5.0.1")
    statuses = [
        login(guesser, name, "wrong-password").status_code
        for name in branch_members[:13]
    ]
    assert statuses == [422] * 12 + [429]
    assert login(client_at(limited, "10.5.0.2"), branch_members[20]).status_code == 302


def test_failures_counted_by_one_worker_hold_in_another(
    limited, branch_members, database_url, tmp_path
):
    victim = branch_members[0]
    for _ in range(5):
        login(client_at(limited, "10.6.0.1"), victim, "wrong-password")
    # A second worker: its own app object and limiter, the same database.
    other = make_app(database_url, tmp_path, **LIMITS)
    assert login(client_at(other, "10.6.0.1"), victim).status_code == 429


def test_token_endpoint_shares_the_login_counters(limited, branch_members):
    victim = branch_members[0]
    web = client_at(limited, "10.7.0.1")
    for _ in range(5):
        login(web, victim, "wrong-password")
    resp = web.post(
        "/api/v1/auth/token", json={"username": victim, "password": PASSWORD}
    )
    body = resp.get_json()
    assert resp.status_code == 429 and body["error"]["code"] == "rate_limited"
    assert "分钟后再试" in body["error"]["message"]
    assert int(resp.headers["Retry-After"]) > 0


def test_token_failures_count_and_successes_do_not(limited, branch_members):
    api = client_at(limited, "10.8.0.1")

    def token(name: str, password: str = PASSWORD) -> int:
        payload = {"username": name, "password": password}
        return api.post("/api/v1/auth/token", json=payload).status_code

    assert [token(n) for n in branch_members[:20]] == [201] * 20
    assert [token(branch_members[0], "nope-nope") for _ in range(6)] == [401] * 5 + [
        429
    ]


def test_with_redis_configured_the_counters_are_kept_there(
    app, database_url, tmp_path, branch_members
):
    import uuid

    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/13"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    # A unique address marks this test's keys in the shared Redis.
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.9"
    config = {**LIMITS, "REDIS_URL": url}
    first = make_app(database_url, tmp_path, **config)
    victim = branch_members[0]
    for _ in range(5):
        login(client_at(first, address), victim, "wrong-password")
    second = make_app(database_url, tmp_path, **config)
    try:
        assert login(client_at(second, address), victim).status_code == 429
        keys = redis.Redis.from_url(url).keys(f"*{address}*")
        assert keys, "the counters are in Redis"
        with second.app_context():
            from sqlalchemy import func, select

            from studyapp.db import get_session
            from studyapp.ratelimit import RateLimitCounter

            count = get_session().scalar(select(func.count(RateLimitCounter.key)))
        assert count == 0
    finally:
        client = redis.Redis.from_url(url)
        for key in client.keys(f"*{address}*"):
            client.delete(key)
