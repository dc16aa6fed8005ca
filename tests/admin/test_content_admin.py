"""管理 › 内容: upload, check report, preview, publish, withdraw; who may do it."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from studyapp.audit.models import AuditEvent
from studyapp.auth.roles import Role
from studyapp.content.models import Lesson, Question
from studyapp.org.models import UnitKind
from tests.conftest import csrf_token
from tests.content.test_cli import BROKEN
from tests.content_helpers import bank, basic_tree, lesson, write
from tests.factories import make_unit, make_user
from tests.html import text_of


@pytest.fixture
def people(db, app):  # type: ignore[no-untyped-def]
    basic_tree(Path(app.config["CONTENT_DIR"]))
    with db() as s:
        root = make_unit(s, "ROOT", kind=UnitKind.COMMITTEE)
        sub = make_unit(s, "SUB", kind=UnitKind.COMMITTEE, parent=root)
        branch = make_unit(s, "BR", parent=sub)
        make_user(s, root, "admin", role=Role.ADMIN)
        make_user(s, sub, "subadmin", role=Role.ADMIN)
        make_user(s, branch, "member")


def upload(client, files, kind="quizzes"):  # type: ignore[no-untyped-def]
    token = csrf_token(client, "/admin/content/")
    data = {
        "csrf_token": token,
        "kind": kind,
        "files": [
            (io.BytesIO(body.encode() if isinstance(body, str) else body), name)
            for name, body in files
        ],
    }
    return client.post(
        "/admin/content/upload", data=data, content_type="multipart/form-data"
    )


def counts(db):  # type: ignore[no-untyped-def]
    with db() as s:
        return (
            s.scalar(select(func.count(Lesson.id))),
            s.scalar(select(func.count(Question.id))),
        )


@pytest.mark.parametrize(
    ("user", "status"), [("member", 403), ("subadmin", 403), ("admin", 200)]
)
def test_only_global_admins_manage_content(people, login_as, user, status):
    assert login_as(user).get("/admin/content/").status_code == status


def test_upload_with_errors_shows_every_problem_and_publishes_nothing(
    people, login_as, db
):
    resp = upload(login_as("admin"), [("broken.md", BROKEN)])
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "quizzes/broken.md:9" in page and "quizzes/broken.md:12" in page
    assert "答案 E 不在选项" in page and "确认发布" not in page
    assert counts(db) == (0, 0)


def test_upload_preview_then_publish(people, login_as, db, app):
    client = login_as("admin")
    extra = bank().replace("id: jichu", "id: more").replace("jc-00", "more-00")
    resp = upload(client, [("more.md", extra)])
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "确认发布" in page
    assert "题目：新增 4" in page  # the folder's 2 plus the upload's 2
    assert counts(db) == (0, 0)  # a preview keeps nothing
    token = page.split('name="token" type="hidden" value="')[1].split('"')[0]
    done = client.post(
        "/admin/content/publish",
        data={"csrf_token": csrf_token(client, "/admin/content/"), "token": token},
    )
    assert done.status_code == 302
    assert counts(db) == (1, 4)
    assert (Path(app.config["CONTENT_DIR"]) / "quizzes" / "more.md").is_file()
    with db() as s:
        event = s.scalar(
            select(AuditEvent).where(AuditEvent.action == "content.publish")
        )
        assert event is not None and event.actor_id is not None


def test_zip_upload_keeps_its_layout(people, login_as, db):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("content/lessons/new.md", lesson("new-one", "新课"))
    resp = upload(login_as("admin"), [("c.zip", buf.getvalue())])
    assert resp.status_code == 200 and "课程：新增 2" in resp.get_data(as_text=True)


def test_zip_with_unsafe_path_is_refused(people, login_as):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("../evil.md", "x")
    resp = upload(login_as("admin"), [("c.zip", buf.getvalue())])
    assert resp.status_code == 400 and "路径不安全" in resp.get_data(as_text=True)


def test_upload_of_other_file_types_is_refused(people, login_as):
    resp = upload(login_as("admin"), [("x.exe", "MZ")])
    assert resp.status_code == 422 and "只能上传" in resp.get_data(as_text=True)


def test_upload_without_csrf_is_refused(people, login_as):
    client = login_as("admin")
    resp = client.post("/admin/content/upload", data={"kind": "quizzes"})
    assert resp.status_code == 400


def test_withdraw_hides_a_lesson_and_restore_brings_it_back(people, login_as, runner):
    assert runner.invoke(args=["content", "publish"]).exit_code == 0
    admin = login_as("admin")
    token = csrf_token(admin, "/admin/content/")
    admin.post("/admin/content/lesson/sanhui/withdraw", data={"csrf_token": token})
    assert "已撤下" in admin.get("/admin/content/").get_data(as_text=True)
    assert admin.get("/lessons/sanhui").status_code == 404
    assert (
        "没有变化" in runner.invoke(args=["content", "publish"]).output
    )  # stays withdrawn
    admin.post("/admin/content/lesson/sanhui/restore", data={"csrf_token": token})
    assert admin.get("/lessons/sanhui").status_code == 200


def test_the_report_shows_each_error_with_its_file_line_and_message(people, login_as):
    page = upload(login_as("admin"), [("broken.md", BROKEN)]).get_data(as_text=True)
    issues = text_of(page, "check-issues")
    assert "需改正 quizzes/broken.md:9 答案 E 不在选项" in issues
    assert "quizzes/broken.md:12" in issues
    assert 'id="publish-preview"' not in page


def test_the_preview_lists_every_change_before_publishing(people, login_as):
    extra = bank().replace("id: jichu", "id: more").replace("jc-00", "more-00")
    page = upload(login_as("admin"), [("more.md", extra)]).get_data(as_text=True)
    changes = text_of(page, "preview-changes")
    for slug in ("more-001", "more-002", "jc-001", "sanhui", "jichu"):
        assert f"新增 · {slug}" in changes
    assert "quizzes/more.md" in text_of(page, "staged-files")


def test_the_list_shows_each_items_state_and_what_can_be_done(people, login_as, runner):
    assert runner.invoke(args=["content", "publish"]).exit_code == 0
    admin = login_as("admin")
    before = admin.get("/admin/content/").get_data(as_text=True)
    assert "已发布" in text_of(before, "lesson-sanhui")
    assert "撤下" in text_of(before, "lesson-sanhui")
    token = csrf_token(admin, "/admin/content/")
    admin.post("/admin/content/bank/jichu/withdraw", data={"csrf_token": token})
    after = admin.get("/admin/content/").get_data(as_text=True)
    row = text_of(after, "bank-jichu")
    assert "已撤下" in row and "恢复" in row and "2" in row


def test_a_lesson_published_for_later_shows_when(people, login_as, runner, app):
    extra = "publish_at: 2099-12-01 08:00\n"
    write(Path(app.config["CONTENT_DIR"]), "lessons/later.md",
          lesson("later", "以后的课", extra=extra))  # fmt: skip
    assert runner.invoke(args=["content", "publish"]).exit_code == 0
    page = login_as("admin").get("/admin/content/").get_data(as_text=True)
    assert "定时 2099-12-01 08:00" in text_of(page, "lesson-later")
