"""An admin imports a branch of 30 members from an Excel CSV saved in GBK, on a
phone and on a laptop: the dry run names the one bad row, the fixed file
imports, the initial passwords download once; then 设置 changes the goal."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from studyapp.demo import PASSWORD
from tests.e2e.conftest import PHONE

LAPTOP = {
    **PHONE,
    "viewport": {"width": 1280, "height": 800},
    "is_mobile": False,
    "has_touch": False,
    "device_scale_factor": 1,
}


def members_csv(prefix: str, bad_row: bool) -> bytes:
    rows = ["账号,姓名,所在支部,角色"]
    for n in range(1, 31):
        branch = "DEMO-JG-0X" if bad_row and n == 7 else "DEMO-JG-01"
        rows.append(f"{prefix}{n:02d},测试党员{n},{branch},党员")
    return ("\r\n".join(rows) + "\r\n").encode("gbk")


def upload(page, data: bytes) -> None:  # type: ignore[no-untyped-def]
    page.set_input_files(
        "#files",
        files=[{"name": "一支部党员.csv", "mimeType": "text/csv", "buffer": data}],
    )
    page.get_by_role("button", name="检查并预览").click()


@pytest.mark.parametrize(
    "device, prefix",
    [(PHONE, "1370000"), (LAPTOP, "1371000")],
    ids=["phone-360", "laptop-1280"],
)
def test_an_admin_imports_a_branch_from_a_gbk_csv(
    live_server, browser_chromium, artifacts_dir, device, prefix
):
    context = browser_chromium.new_context(accept_downloads=True, **device)
    context.set_default_timeout(15_000)
    page = context.new_page()
    width = device["viewport"]["width"]
    try:
        page.goto(f"{live_server}/login")
        page.get_by_label("账号").fill("admin")
        page.get_by_label("密码", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{live_server}/")
        page.get_by_role("navigation").get_by_text("管理", exact=True).click()
        page.get_by_role("link", name="导入党员：从 Excel 或 CSV 文件批量添加").click()
        with page.expect_download() as template:
            page.get_by_role("link", name="下载导入模板（.xlsx）").click()
        assert Path(template.value.path()).stat().st_size > 1000

        upload(page, members_csv(prefix, bad_row=True))
        expect(page.locator("#import-errors")).to_contain_text(
            "一支部党员.csv:8: 所在支部 DEMO-JG-0X 不存在"
        )
        assert page.locator("#apply-form").count() == 0
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(
            path=str(artifacts_dir / f"import-error-{width}.png"), full_page=True
        )

        page.get_by_role("link", name="重新上传").click()
        upload(page, members_csv(prefix, bad_row=False))
        expect(page.locator("#import-summary")).to_contain_text("新增 30 行")
        page.screenshot(path=str(artifacts_dir / f"import-preview-{width}.png"))
        page.get_by_role("button", name="导入", exact=True).click()
        expect(page.get_by_text("党员：新增 30，更新 0")).to_be_visible()
        with page.expect_download() as passwords:
            page.locator("#passwords-download").click()
        text = Path(passwords.value.path()).read_text(encoding="utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0] == ["账号", "姓名", "初始密码"] and len(rows) == 31
        page.screenshot(path=str(artifacts_dir / f"import-done-{width}.png"))
    finally:
        context.close()


def test_an_admin_changes_the_daily_goal_on_a_phone(
    live_server, browser_chromium, artifacts_dir
):
    context = browser_chromium.new_context(**PHONE)
    page = context.new_page()
    try:
        page.goto(f"{live_server}/login")
        page.get_by_label("账号").fill("admin")
        page.get_by_label("密码", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{live_server}/")
        page.goto(f"{live_server}/admin/settings/")
        page.get_by_label("每日学习目标（分钟）").fill("25")
        page.get_by_role("button", name="保存设置").click()
        expect(page.get_by_text("设置已保存")).to_be_visible()
        expect(page.locator("#setting-goal_minutes")).to_contain_text("本组织设定")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.screenshot(path=str(artifacts_dir / "settings-360.png"), full_page=True)
    finally:
        context.close()
