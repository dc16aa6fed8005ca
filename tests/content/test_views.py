"""Members read lessons: list, filters, search (Chinese), lesson page, safety."""

from __future__ import annotations

import pytest

from studyapp.content.format.checker import check_tree
from studyapp.content.publishing import publish_report
from studyapp.org.models import UnitKind
from studyapp.timeutil import utcnow
from tests.content_helpers import lesson, write
from tests.factories import make_unit, make_user


@pytest.fixture
def site(db, tmp_path):  # type: ignore[no-untyped-def]
    root = tmp_path / "site-content"
    write(root, "lessons/sanhui.md", lesson())
    write(
        root,
        "lessons/dangri.md",
        lesson("dangri", "主题党日", body="每月固定一天开展主题党日活动。")
        .replace("组织生活", "党日活动")
        .replace("[三会一课]", "[主题党日]"),
    )
    write(
        root,
        "lessons/later.md",
        lesson("later", "还没到时间", extra='publish_at: "2099-01-01 08:00"\n'),
    )
    write(
        root,
        "lessons/only-b.md",
        lesson("only-b", "乙支部专属", extra="audience: [B]\n"),
    )
    write(
        root,
        "lessons/xss.md",
        lesson(
            "xss",
            "安全",
            body=(
                "<script>alert(1)</script>"
                '<img src="https://example.org/a.png" onerror="alert(2)">'
                "[点我](javascript:alert(3))"
            ),
        ),
    )
    with db() as s:
        a = make_unit(s, "A", name="甲支部")
        make_unit(s, "B", name="乙支部")
        make_unit(s, "A-1", kind=UnitKind.GROUP, parent=a)
        make_user(s, a, "member_a")
        report = check_tree([root])
        publish_report(s, report, content_root=root, scope=[root], now=utcnow())


def test_lesson_list_shows_published_lessons_only(site, login_as):
    page = login_as("member_a").get("/lessons").get_data(as_text=True)
    assert "三会一课" in page and "主题党日" in page
    assert "还没到时间" not in page and "乙支部专属" not in page


def test_search_finds_chinese_text_in_the_body(site, login_as):
    client = login_as("member_a")
    page = client.get("/lessons?q=固定一天").get_data(as_text=True)
    results = page[page.index('id="lesson-results"') :]
    assert "主题党日" in results and "三会一课" not in results


def test_search_with_htmx_returns_only_the_results_fragment(site, login_as):
    resp = login_as("member_a").get("/lessons?q=党课", headers={"HX-Request": "true"})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200 and body.lstrip().startswith(
        '<section id="lesson-results"'
    )
    assert "<html" not in body and "HX-Request" in resp.headers["Vary"]


def test_filter_by_series(site, login_as):
    page = login_as("member_a").get("/lessons?series=党日活动").get_data(as_text=True)
    results = page[page.index('id="lesson-results"') :]
    assert "主题党日" in results and "三会一课" not in results


def test_empty_search_says_so(site, login_as):
    page = login_as("member_a").get("/lessons?q=不存在的词").get_data(as_text=True)
    assert "没有找到符合条件的课文" in page


def test_lesson_page_shows_the_rendered_body(site, login_as):
    page = login_as("member_a").get("/lessons/sanhui").get_data(as_text=True)
    assert "支部党员大会" in page and 'class="prose"' in page


@pytest.mark.parametrize("slug", ["later", "only-b", "nope"])
def test_unpublished_or_out_of_audience_lessons_are_404(site, login_as, slug):
    assert login_as("member_a").get(f"/lessons/{slug}").status_code == 404


def test_markdown_cannot_inject_script(site, login_as):
    page = login_as("member_a").get("/lessons/xss").get_data(as_text=True)
    body = page[page.index('class="prose"') :]
    assert "<script>alert" not in body and "onerror" not in body
    assert "javascript:" not in body


def test_lessons_need_login(client):
    assert client.get("/lessons").status_code == 302
