"""Input no person types: NUL in text, JSON nested thousands deep. A clear 400,
nothing stored, on SQLite and PostgreSQL alike (PostgreSQL cannot store NUL in
text: the form fuzz found the 500 there)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from studyapp.progress.models import BookLog
from tests.conftest import PASSWORD, csrf_token, login
from tests.factories import make_unit, make_user


@pytest.fixture
def member(db, client):  # type: ignore[no-untyped-def]
    with db() as s:
        make_user(s, make_unit(s, "BR1"), "13800000001")
    assert login(client, "13800000001").status_code == 302
    return client


def books(db) -> int:  # type: ignore[no-untyped-def]
    with db() as s:
        return s.scalar(select(func.count(BookLog.id)))


def test_nul_in_a_form_field_is_a_400_naming_the_field(member, db):
    token = csrf_token(member, "/books")
    resp = member.post("/books", data={"title": "党\x00章", "csrf_token": token})
    assert resp.status_code == 400
    assert "“title”中含有不可见的控制字符（NUL）" in resp.text
    assert books(db) == 0
    member.post("/books", data={"title": "党章", "csrf_token": token})
    assert books(db) == 1


def test_nul_in_a_json_string_is_a_400_naming_the_field(client, db):
    with db() as s:
        make_user(s, make_unit(s, "BR1"), "13800000001")
    token = client.post("/api/v1/auth/token", json={"username": "13800000001",
                        "password": PASSWORD}).get_json()["token"]  # fmt: skip
    resp = client.post(
        "/api/v1/books",
        json={"title": "党章", "author": "a\x00b"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert resp.status_code == 400
    assert resp.get_json()["error"]["field"] == "author"
    assert books(db) == 0
    clean = client.post(
        "/api/v1/books",
        json={"title": "党章", "author": "ab"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert clean.status_code == 201 and books(db) == 1


@pytest.mark.parametrize("body", ["[" * 100_000, '{"a":' * 100_000])
def test_json_nested_thousands_deep_is_malformed_not_a_500(client, body):
    resp = client.post("/api/v1/auth/token", data=body, content_type="application/json")
    assert resp.status_code == 400
    assert resp.get_json()["error"]["code"] == "invalid"
