"""The UI in Chinese by default and in English on request; the catalog is complete.

Every UI string is written in Chinese inside ``_()`` / ``_l()``; the English
catalog lives in ``studyapp/translations/en/LC_MESSAGES/messages.po``. When you
add or change a UI string, update the catalog before this module can pass::

    .venv/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext \\
        -o studyapp/translations/messages.pot .
    .venv/bin/pybabel update -i studyapp/translations/messages.pot \\
        -d studyapp/translations
    # translate the new/changed entries in en/LC_MESSAGES/messages.po and
    # remove their "#, fuzzy" flags, then:
    .venv/bin/pybabel compile -d studyapp/translations

(``make install`` compiles the catalog; so does the session fixture below when
the ``.mo`` is missing or older than the ``.po``.)
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask.testing import FlaskClient
from sqlalchemy import select

import studyapp
from studyapp.auth.models import User
from tests.conftest import csrf_token, login
from tests.factories import make_unit, make_user

TRANSLATIONS = Path(studyapp.__file__).parent / "translations"
EN_PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
EN_MO = EN_PO.with_suffix(".mo")

ZH_HTML = '<html lang="zh-CN"'
EN_HTML = '<html lang="en"'
#: Key strings of the pages in English; tab labels are shown once logged in.
EN_LOGIN = ["Log in", "Log in with your mobile number or Party membership number"]
EN_TABS = [">Home<", ">Study<", ">Quizzes<", ">Me<"]
EN_ME = ["Log out", "Change password", "Points history", "Language 语言"]
ZH_TABS = [">首页<", ">学习<", ">答题<", ">我的<"]


def _read_catalog(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale="en")


@pytest.fixture(scope="session", autouse=True)
def compiled_en_catalog() -> Iterator[None]:
    """Compile the English ``.mo`` if it is missing or older than the ``.po``."""
    if not EN_MO.exists() or EN_MO.stat().st_mtime < EN_PO.stat().st_mtime:
        catalog = _read_catalog(EN_PO)
        tmp = EN_MO.with_suffix(".mo.tmp")
        with tmp.open("wb") as f:
            write_mo(f, catalog)  # fuzzy entries are left out, as pybabel does
        os.replace(tmp, EN_MO)
        # Flask-Babel caches loaded catalogs on the process-wide extension
        # object (a cached property, present once a page has been translated).
        from studyapp.extensions import babel

        domain = vars(babel).get("domain_instance")
        if domain is not None:
            domain.cache.clear()
    yield


@pytest.fixture
def member(db):  # type: ignore[no-untyped-def]
    with db() as s:
        unit = make_unit(s, "BR1", name="第一支部")
        user = make_user(s, unit, "13800000001", name="王建国")
        return user.username


def _page(client: FlaskClient, path: str) -> str:
    resp = client.get(path)
    assert resp.status_code == 200, (path, resp.status_code)
    return resp.get_data(as_text=True)


def _choose(client: FlaskClient, lang: str, page: str = "/login") -> None:
    resp = client.post(
        "/lang", data={"lang": lang, "csrf_token": csrf_token(client, page)}
    )
    assert resp.status_code == 302


def _locale_of(db, username: str) -> str | None:  # type: ignore[no-untyped-def]
    with db() as s:
        return s.scalar(select(User.locale).where(User.username == username))


def test_login_and_home_are_chinese_by_default(client, member, login_as):
    page = _page(client, "/login")
    assert ZH_HTML in page
    assert "登录" in page and "用手机号或党员编号登录" in page
    assert "Log in" not in page

    login_as(member)
    home = _page(client, "/")
    assert ZH_HTML in home
    assert all(tab in home for tab in ZH_TABS)
    assert "王建国，您好" in home


def test_choosing_english_translates_login_home_and_me(client, member):
    _choose(client, "en")
    assert client.get_cookie("lang").value == "en"

    page = _page(client, "/login")
    assert EN_HTML in page
    assert all(s in page for s in EN_LOGIN)
    assert "用手机号或党员编号登录" not in page

    assert login(client, member).status_code == 302
    home = _page(client, "/")
    assert EN_HTML in home
    assert all(tab in home for tab in EN_TABS)
    assert "Hello, 王建国" in home

    me = _page(client, "/me")
    assert EN_HTML in me
    assert all(tab in me for tab in EN_TABS)
    assert all(s in me for s in EN_ME)
    assert "退出登录" not in me


def test_english_can_be_switched_back_to_chinese(client, member):
    _choose(client, "en")
    _choose(client, "zh_Hans_CN")
    assert client.get_cookie("lang").value == "zh_Hans_CN"
    page = _page(client, "/login")
    assert ZH_HTML in page and "登录" in page


def test_logged_in_choice_is_saved_on_the_account_and_the_cookie(
    app, db, member, login_as
):
    client = login_as(member)
    assert _locale_of(db, member) is None
    _choose(client, "en", page="/me")
    assert _locale_of(db, member) == "en"
    assert client.get_cookie("lang").value == "en"
    assert EN_HTML in _page(client, "/me")

    # Another device without the cookie: the account's choice applies after login.
    other = app.test_client()
    assert ZH_HTML in _page(other, "/login")
    assert login(other, member).status_code == 302
    home = _page(other, "/")
    assert EN_HTML in home and all(tab in home for tab in EN_TABS)

    # Switching back is remembered on the account too.
    _choose(other, "zh_Hans_CN", page="/me")
    assert _locale_of(db, member) == "zh_Hans_CN"
    me = _page(client, "/me")  # the first device follows the account
    assert ZH_HTML in me and all(tab in me for tab in ZH_TABS)


def test_unknown_language_falls_back_to_chinese(client):
    _choose(client, "xx")
    assert client.get_cookie("lang").value == "zh_Hans_CN"
    assert ZH_HTML in _page(client, "/login")


def test_every_english_msgid_has_a_translation():
    """Keeps the English catalog complete as the UI grows (see the module doc)."""
    catalog = _read_catalog(EN_PO)
    messages = [m for m in catalog if m.id]
    assert messages, "empty catalog: run pybabel extract/update"

    # Plural entries (ngettext) carry a tuple of forms: every form must be filled.
    def filled(m) -> bool:  # type: ignore[no-untyped-def]
        forms = m.string if m.pluralizable else [m.string]
        return all(form.strip() for form in forms)

    untranslated = [m.id for m in messages if not filled(m)]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert not untranslated, f"untranslated msgids: {untranslated}"
    assert not fuzzy, f"fuzzy (not compiled) msgids: {fuzzy}"
    errors = [(m.id, err) for m, errs in catalog.check() for err in errs]
    assert not errors, f"placeholder mismatches: {errors}"
