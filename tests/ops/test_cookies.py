"""HTTPS-only cookies on a plain-HTTP login: the page and the log say why it fails."""

from __future__ import annotations

import logging

import pytest

from tests.conftest import csrf_from, make_app

SECRET = "k" * 43


@pytest.fixture
def production(database_url, tmp_path):  # type: ignore[no-untyped-def]
    return make_app(database_url, tmp_path, ENV="production", SECRET_KEY=SECRET)


def _browser_post_over_http(app):  # type: ignore[no-untyped-def]
    """What a browser does on http:// with a Secure cookie: it never sends it back."""
    client = app.test_client()
    token = csrf_from(client.get("/login").get_data(as_text=True))
    client.delete_cookie("session")
    return client.post(
        "/login", data={"username": "a", "password": "b", "csrf_token": token}
    )


def test_the_login_page_over_http_warns_the_operator(production) -> None:
    html = production.test_client().get("/login").get_data(as_text=True)
    assert 'id="login-insecure"' in html and "STUDYAPP_PROXY_COUNT=1" in html


def test_the_login_page_over_https_has_no_warning(production) -> None:
    client = production.test_client()
    html = client.get("/login", base_url="https://localhost").get_data(as_text=True)
    assert 'id="login-insecure"' not in html


def test_a_failed_login_over_http_explains_instead_of_page_expired(production, caplog):
    with caplog.at_level(logging.WARNING):
        resp = _browser_post_over_http(production)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert 'id="login-insecure"' in html and "页面已过期" not in html
    assert any("plain HTTP" in r.getMessage() for r in caplog.records)


def test_other_csrf_failures_still_say_page_expired(database_url, tmp_path) -> None:
    app = make_app(
        database_url, tmp_path, ENV="production", SECRET_KEY=SECRET, COOKIE_SECURE=False
    )
    resp = _browser_post_over_http(app)
    assert resp.status_code == 400 and "页面已过期" in resp.get_data(as_text=True)
