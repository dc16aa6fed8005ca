"""A member finds a lesson on a 360 px phone, reads it, and the page keeps time."""

from __future__ import annotations

from playwright.sync_api import expect

from studyapp.demo import PASSWORD, demo_people


def log_in(phone, live_server):  # type: ignore[no-untyped-def]
    username = next(p for p in demo_people() if p[3].value == "member")[0]
    phone.goto(f"{live_server}/login")
    phone.get_by_label("账号").fill(username)
    phone.get_by_label("密码", exact=True).fill(PASSWORD)
    phone.get_by_role("button", name="登录").tap()
    phone.wait_for_url(f"{live_server}/")


def test_member_searches_and_reads_a_lesson(
    live_server, phone, console_errors, artifacts_dir
):
    log_in(phone, live_server)
    expect(phone.locator("#today-card")).to_contain_text("今日学习 0 分钟")
    phone.screenshot(path=str(artifacts_dir / "home-today-360.png"), full_page=True)
    phone.get_by_role("navigation").get_by_text("学习", exact=True).tap()
    phone.get_by_label("搜索课文").fill("三会一课")
    first = phone.locator("#lesson-results a").first
    expect(first).to_contain_text("三会一课")
    first.tap()
    expect(phone.locator("#lesson-title")).to_contain_text("三会一课")
    # The first heartbeat is sent at once and answered by the server.
    expect(phone.locator("#reading-status")).to_have_text("今日已学 0 分钟")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path=str(artifacts_dir / "lesson-360.png"), full_page=True)
    assert console_errors == []
