"""Every page a member, a secretary or an admin can reach by tapping renders.

Logs in as each demo role and follows the links on every page (GET only, the
site's own paths, at most 150 pages per role), as a curious user would. No
page may fail with a server error, and forbidden pages must say so (403).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from studyapp.demo import PASSWORD
from tests.conftest import login, make_app

LINK = re.compile(r'href="(/[^"#]*)"')
SKIP = ("/static/", "/media/", "/logout", "/export", ".xlsx", ".csv")


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory):  # type: ignore[no-untyped-def]
    from tests.conftest import DATABASE_URL, IS_POSTGRES

    if IS_POSTGRES:
        pytest.skip("the crawl runs once, on SQLite")
    tmp = tmp_path_factory.mktemp("crawl")
    content = Path(__file__).resolve().parents[1] / "content"
    app = make_app(
        f"sqlite:///{tmp / 'crawl.db'}",
        tmp,
        CONTENT_DIR=str(content),
        ENV="development",
    )  # development: the demo's published password
    assert DATABASE_URL  # the fixture only exists to share one demo database
    assert app.test_cli_runner().invoke(args=["demo", "--days", "3"]).exit_code == 0
    return app


@pytest.mark.parametrize("username", ["13900010001", "shuji01", "admin"])
def test_every_reachable_page_renders(demo_site, username):
    client = demo_site.test_client()
    assert login(client, username, PASSWORD).status_code == 302
    seen, queue, failures = set(), ["/"], []
    while queue and len(seen) < 150:
        path = queue.pop(0)
        if path in seen or any(s in path for s in SKIP):
            continue
        seen.add(path)
        resp = client.get(path)
        if resp.status_code >= 500:
            failures.append((path, resp.status_code))
        if resp.mimetype == "text/html" and resp.status_code == 200:
            queue.extend(
                p.replace("&amp;", "&")
                for p in LINK.findall(resp.get_data(as_text=True))
            )
    assert failures == []
    assert len(seen) > 10, seen
