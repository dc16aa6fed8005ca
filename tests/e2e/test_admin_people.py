"""On a 360 px phone: the admin finds a member and resets their password; the
member logs in with it and must choose their own before anything else."""

from __future__ import annotations

from playwright.sync_api import expect

from studyapp.demo import PASSWORD, demo_people
from tests.e2e.conftest import PHONE


def _log_in(page, base, username, password):  # type: ignore[no-untyped-def]
    page.goto(f"{base}/login")
    page.get_by_label("账号").fill(username)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_role("button", name="登录").tap()


def test_admin_resets_a_password_and_the_member_must_change_it(
    live_server, phone, browser_chromium, console_errors, artifacts_dir
):
    members = [p for p in demo_people() if p[3].value == "member" and not p[4]]
    username, name, *_ = members[-1]  # not the member other e2e tests log in as
    _log_in(phone, live_server, "admin", PASSWORD)
    phone.wait_for_url(f"{live_server}/")
    phone.goto(f"{live_server}/admin/units/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path=str(artifacts_dir / "admin-units-360.png"), full_page=True)
    phone.goto(f"{live_server}/admin/people/")
    phone.get_by_label("姓名或账号").fill(name)
    phone.get_by_role("button", name="查找").tap()
    phone.locator(f"#person-{username} a").tap()
    expect(phone.get_by_role("heading", name=name).first).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path=str(artifacts_dir / "admin-person-360.png"), full_page=True)
    phone.set_viewport_size({"width": 320, "height": 640})  # the smallest phones
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    phone.set_viewport_size({"width": 360, "height": 740})
    phone.locator("#person-reset-link").tap()
    phone.locator("#password-reset-form button").tap()
    new_password = phone.locator("#password-value").inner_text().strip()
    assert len(new_password) >= 8
    phone.screenshot(path=str(artifacts_dir / "admin-reset-360.png"), full_page=True)

    member = browser_chromium.new_context(**PHONE).new_page()
    _log_in(member, live_server, username, PASSWORD)
    expect(member.get_by_text("账号或密码不正确")).to_be_visible()  # the old one ended
    _log_in(member, live_server, username, new_password)
    member.wait_for_url(f"{live_server}/me/password")
    member.goto(f"{live_server}/")
    assert member.url == f"{live_server}/me/password"  # every page leads here
    expect(member.locator("#password-required")).to_be_visible()
    member.get_by_label("当前密码").fill(new_password)
    member.get_by_label("新密码（至少 8 位）").fill("my-own-pass-1")
    member.get_by_label("再输入一次新密码").fill("my-own-pass-1")
    member.get_by_role("button", name="保存新密码").tap()
    member.wait_for_url(f"{live_server}/me")
    member.goto(f"{live_server}/")
    expect(member.get_by_text(f"{name}，您好")).to_be_visible()
    member.context.close()
    assert console_errors == []
