"""The demo admin on a 360 px phone: 测验与考试 and a converted Excel bank."""

from __future__ import annotations

from playwright.sync_api import expect

from studyapp.content.convert.template import template_xlsx
from studyapp.demo import PASSWORD


def _login_admin(live_server, phone):  # type: ignore[no-untyped-def]
    phone.goto(f"{live_server}/login")
    phone.get_by_label("账号").fill("admin")
    phone.get_by_label("密码", exact=True).fill(PASSWORD)
    phone.get_by_role("button", name="登录").tap()
    phone.wait_for_url(f"{live_server}/")


def test_quizzes_and_results_fit_a_phone(live_server, phone, console_errors,
                                          artifacts_dir):  # fmt: skip
    _login_admin(live_server, phone)
    phone.goto(f"{live_server}/admin/quizzes/")
    expect(phone.get_by_role("heading", name="每周一测")).to_be_visible()
    assert "once" not in phone.content()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path=str(artifacts_dir / "admin-quizzes-360.png"))
    phone.get_by_role("link", name="看成绩").first.tap()
    expect(phone.get_by_role("heading", name="各支部")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert console_errors == []


def test_an_excel_bank_is_previewed_on_a_phone(live_server, phone, console_errors):
    _login_admin(live_server, phone)
    phone.goto(f"{live_server}/admin/content/")
    phone.set_input_files("input[name=files]", files=[
        {"name": "shili.xlsx", "mimeType": "application/octet-stream",
         "buffer": template_xlsx()}])  # fmt: skip
    phone.get_by_role("button", name="检查并预览").tap()
    expect(phone.get_by_text("转换了 4 道题")).to_be_visible()
    expect(phone.get_by_role("button", name="确认发布")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert console_errors == []
