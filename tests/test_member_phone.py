"""For older members and slow phones: 大字 on every page, a back bar on every
sub-page, chart numbers, hashed and compressed static files, the offline kit."""

from __future__ import annotations

import gzip
import re

import pytest
from sqlalchemy import select

from studyapp.auth.models import User
from studyapp.auth.roles import Role
from tests.conftest import csrf_token
from tests.factories import make_unit, make_user

MEMBER_PAGES = ["/", "/lessons", "/quizzes", "/me", "/books", "/me/password",
                "/inbox", "/review", "/leaderboard"]  # fmt: skip


@pytest.fixture
def member(db):  # type: ignore[no-untyped-def]
    with db() as s:
        unit = make_unit(s, "BR1", name="第一支部")
        make_user(s, unit, "13800000001", name="王建国")
        make_user(s, unit, "sec1", name="张书记", role=Role.SECRETARY)
    return "13800000001"


def html_class(page: str) -> str:
    return re.search(r'<html[^>]*class="([^"]+)"', page).group(1)  # type: ignore[union-attr]


def choose_size(client, size: str, back: str = "/me"):  # type: ignore[no-untyped-def]
    token = csrf_token(client, "/me")
    return client.post(f"/me/text-size?next={back}", data={"csrf_token": token,
                                                            "size": size})  # fmt: skip


def test_text_size_is_kept_on_the_account_and_applied_on_every_page(
    client, member, login_as, db
):
    login_as(member)
    assert html_class(client.get("/").get_data(as_text=True)) == "text-standard"
    resp = choose_size(client, "xlarge", back="/lessons")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/lessons")
    with db() as s:
        user = s.scalar(select(User).where(User.username == member))
        assert user.text_size == "xlarge"
    for path in MEMBER_PAGES:
        resp = client.get(path)
        assert resp.status_code == 200, path
        assert html_class(resp.get_data(as_text=True)) == "text-xlarge", path


def test_the_me_page_shows_which_size_is_chosen(client, member, login_as):
    login_as(member)
    choose_size(client, "large")
    page = client.get("/me").get_data(as_text=True)
    chosen = re.search(r'value="large"[^>]*aria-pressed="(\w+)"', page)
    other = re.search(r'value="standard"[^>]*aria-pressed="(\w+)"', page)
    assert chosen and chosen.group(1) == "true"
    assert other and other.group(1) == "false"


def test_an_unknown_text_size_is_a_clear_400_and_changes_nothing(
    client, member, login_as, db
):
    login_as(member)
    assert choose_size(client, "huge").status_code == 400
    with db() as s:
        assert s.scalar(select(User.text_size).where(User.username == member)) is None


def test_the_api_sets_the_text_size(client, member, login_as, db):
    login_as(member)
    headers = {"X-CSRFToken": csrf_token(client, "/me")}
    resp = client.put("/api/v1/me/text-size", json={"size": "large"}, headers=headers)
    assert resp.status_code == 200 and resp.get_json() == {"size": "large"}
    bad = client.put("/api/v1/me/text-size", json={"size": "9"}, headers=headers)
    assert bad.status_code == 400
    assert html_class(client.get("/").get_data(as_text=True)) == "text-large"


@pytest.mark.parametrize(
    ("path", "back", "label"),
    [
        ("/books", "/me", "返回我的"),
        ("/me/password", "/me", "返回我的"),
        ("/review", "/", "返回首页"),
        ("/inbox", "/", "返回首页"),
        ("/leaderboard", "/", "返回首页"),
    ],
)
def test_every_sub_page_has_a_back_bar(client, member, login_as, path, back, label):
    login_as(member)
    page = client.get(path).get_data(as_text=True)
    bar = re.search(r'<nav class="backbar".*?</nav>', page, re.S)
    assert bar, path
    assert f'href="{back}"' in bar.group(0) and label in bar.group(0)


@pytest.mark.parametrize("path", ["/", "/lessons", "/quizzes", "/me"])
def test_tab_pages_have_no_back_bar(client, member, login_as, path):
    login_as(member)
    assert 'class="backbar"' not in client.get(path).get_data(as_text=True)


def test_the_study_chart_prints_its_numbers(client, member, login_as):
    login_as(member)
    page = client.get("/me").get_data(as_text=True)
    values = re.search(r'<ol class="chart-values".*?</ol>', page, re.S)
    assert values, "the chart has no printed values"
    assert values.group(0).count("<li") == 30


def test_static_urls_carry_a_content_hash_and_are_cached_for_a_year(
    client, member, login_as
):
    login_as(member)
    page = client.get("/").get_data(as_text=True)
    urls = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    assert urls and all(re.search(r"\?v=[0-9a-f]{10}$", u) for u in urls), urls
    for url in urls:
        with client.get(url) as resp:
            assert resp.status_code == 200
            cache = resp.headers["Cache-Control"]
            assert cache == "public, max-age=31536000, immutable"
    with client.get(urls[0].split("?")[0] + "?v=0000000000") as stale:
        assert stale.headers["Cache-Control"] == "no-cache"


def test_first_load_of_home_is_at_most_35_kb_compressed(client, member, login_as):
    login_as(member)
    gz = {"Accept-Encoding": "gzip, deflate, br"}
    home = client.get("/", headers=gz)
    assert home.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in home.headers["Vary"]
    page = gzip.decompress(home.data).decode()
    assert "王建国" in page
    total = len(home.data)
    for url in re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js)\?v=\w+)"', page):
        resp = client.get(url, headers=gz)
        assert resp.headers["Content-Encoding"] == "gzip", url
        total += len(resp.data)
        assert gzip.decompress(resp.data)  # a real gzip stream
    assert total <= 35 * 1024, total


def test_the_service_worker_keeps_the_shell_and_is_never_cached_itself(client):
    resp = client.get("/sw.js")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200 and resp.mimetype == "text/javascript"
    assert resp.headers["Cache-Control"] == "no-cache"
    shell = re.search(r"const ASSETS = (\[.*?\]);", body).group(1)  # type: ignore[union-attr]
    assert "/static/css/app.css?v=" in shell and "/static/js/reader.js?v=" in shell
    assert 'const OFFLINE = "/offline"' in body


def test_the_offline_page_needs_no_login_and_holds_no_member_data(client, member):
    resp = client.get("/offline")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "现在没有网络" in page
    assert "saved-lessons" in page and "csrf" not in page.lower()
