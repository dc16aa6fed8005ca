"""A demo member logs in on a 360 px phone and sees the home page."""

from __future__ import annotations

from playwright.sync_api import expect

from studyapp.demo import PASSWORD, demo_people


def test_member_logs_in_on_a_phone_and_sees_home(
    live_server, phone, console_errors, artifacts_dir
):
    username, name, *_ = next(p for p in demo_people() if p[3].value == "member")
    phone.goto(f"{live_server}/")
    assert "/login" in phone.url  # not logged in: sent to the login page
    phone.get_by_label("账号").fill(username)
    phone.get_by_label("密码", exact=True).fill(PASSWORD)
    phone.get_by_role("button", name="登录").tap()
    phone.wait_for_url(f"{live_server}/")
    expect(phone.get_by_text(f"{name}，您好")).to_be_visible()
    nav = phone.get_by_role("navigation")
    for tab in ("首页", "学习", "答题", "我的"):
        assert nav.get_by_text(tab, exact=True).is_visible()
    assert nav.get_by_text("管理", exact=True).count() == 0
    # Nothing wider than the phone, and large type for older eyes.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    size = phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 18
    phone.screenshot(path=str(artifacts_dir / "member-home-360.png"), full_page=True)
    assert console_errors == []  # no CSP violations, no script errors


def test_wrong_password_shows_the_message_by_the_field(live_server, phone):
    phone.goto(f"{live_server}/login")
    phone.get_by_label("账号").fill("13900010001")
    phone.get_by_label("密码", exact=True).fill("wrong-password")
    phone.get_by_role("button", name="登录").tap()
    expect(phone.get_by_text("账号或密码不正确")).to_be_visible()
    assert phone.get_by_label("账号").input_value() == "13900010001"
