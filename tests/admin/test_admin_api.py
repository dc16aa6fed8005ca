"""``/api/v1/admin/…``: content and the audit log as a program uses them; who may."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import select

from studyapp.audit.models import AuditEvent
from studyapp.auth.roles import Role
from studyapp.org.models import UnitKind
from tests.admin.test_content_admin import counts
from tests.content.test_cli import BROKEN
from tests.content_helpers import bank, basic_tree, write
from tests.factories import make_unit, make_user

ADMIN = "/api/v1/admin"
MORE = bank().replace("id: jichu", "id: more").replace("jc-00", "more-00")


@pytest.fixture
def people(db, app):  # type: ignore[no-untyped-def]
    basic_tree(Path(app.config["CONTENT_DIR"]))
    with db() as s:
        root = make_unit(s, "ROOT", kind=UnitKind.COMMITTEE)
        sub = make_unit(s, "SUB", kind=UnitKind.COMMITTEE, parent=root)
        branch = make_unit(s, "BR", parent=sub)
        make_user(s, root, "admin", role=Role.ADMIN, name="管理员甲")
        make_user(s, sub, "subadmin", role=Role.ADMIN)
        make_user(s, branch, "secretary", role=Role.SECRETARY)
        make_user(s, branch, "member")


@pytest.fixture
def auth(client, people):  # type: ignore[no-untyped-def]
    def _auth(username: str) -> dict[str, str]:
        resp = client.post(
            "/api/v1/auth/token",
            json={"username": username, "password": "correct-horse-1"},
        )
        return {"Authorization": f"Bearer {resp.get_json()['token']}"}

    return _auth


def send(client, headers, files, kind="quizzes"):  # type: ignore[no-untyped-def]
    data = {
        "kind": kind,
        "files": [(io.BytesIO(body.encode()), name) for name, body in files],
    }
    return client.post(f"{ADMIN}/content/uploads", data=data, headers=headers,
                       content_type="multipart/form-data")  # fmt: skip


def publish_folder(runner):  # type: ignore[no-untyped-def]
    assert runner.invoke(args=["content", "publish"]).exit_code == 0


def test_the_overview_lists_every_item_with_its_state(client, auth, runner):
    publish_folder(runner)
    body = client.get(f"{ADMIN}/content", headers=auth("admin")).get_json()
    assert [(i["id"], i["state"]) for i in body["lessons"]] == [("sanhui", "published")]
    assert [(b["id"], b["questions"]) for b in body["banks"]] == [("jichu", 2)]
    assert body["quizzes"] == []


def test_an_upload_with_errors_reports_each_with_file_and_line(client, auth, db):
    resp = send(client, auth("admin"), [("broken.md", BROKEN)])
    assert resp.status_code == 200
    body = resp.get_json()
    assert not body["ok"] and body["errors"] == 2 and body["preview"] is None
    places = {(i["path"], i["line"], i["severity"]) for i in body["issues"]}
    assert ("quizzes/broken.md", 9, "error") in places
    assert ("quizzes/broken.md", 12, "error") in places
    assert any("答案 E 不在选项" in i["message"] for i in body["issues"])
    assert counts(db) == (0, 0)


def test_a_clean_upload_previews_then_publishes(client, auth, db, app):
    headers = auth("admin")
    report = send(client, headers, [("more.md", MORE)]).get_json()
    assert report["ok"] and report["staged"] == ["quizzes/more.md"]
    assert "题目：新增 4" in report["preview"]["lines"]
    added = {c["id"] for c in report["preview"]["changes"] if c["action"] == "added"}
    assert {"more-001", "more-002", "sanhui"} <= added
    assert counts(db) == (0, 0)
    done = client.post(f"{ADMIN}/content/uploads/{report['token']}/publish",
                       headers=headers)  # fmt: skip
    assert done.status_code == 200
    assert "题目：新增 4" in done.get_json()["changes"]["lines"]
    assert counts(db) == (1, 4)
    assert (Path(app.config["CONTENT_DIR"]) / "quizzes" / "more.md").is_file()


def test_publishing_an_unknown_upload_is_a_400_naming_the_token(client, auth):
    resp = client.post(f"{ADMIN}/content/uploads/{'0' * 32}/publish",
                       headers=auth("admin"))  # fmt: skip
    assert resp.status_code == 400 and resp.get_json()["error"]["field"] == "token"


def test_an_upload_that_no_longer_checks_clean_publishes_nothing(client, auth, db, app):
    headers = auth("admin")
    token = send(client, headers, [("more.md", MORE)]).get_json()["token"]
    write(Path(app.config["CONTENT_DIR"]), "quizzes/broken.md", BROKEN)
    resp = client.post(f"{ADMIN}/content/uploads/{token}/publish", headers=headers)
    assert resp.status_code == 400
    message = resp.get_json()["error"]["message"]
    assert "quizzes/broken.md:9" in message and "未发布任何内容" in message
    assert counts(db) == (0, 0)
    assert not (Path(app.config["CONTENT_DIR"]) / "quizzes" / "more.md").exists()


def test_an_upload_of_another_file_type_is_a_400_naming_files(client, auth):
    resp = send(client, auth("admin"), [("x.exe", "MZ")])
    error = resp.get_json()["error"]
    assert resp.status_code == 400 and error["field"] == "files"
    assert "只能上传" in error["message"]


def test_an_upload_must_be_multipart(client, auth):
    resp = client.post(
        f"{ADMIN}/content/uploads", json={"files": []}, headers=auth("admin")
    )
    assert resp.status_code == 400
    assert "multipart" in resp.get_json()["error"]["message"]


def test_an_upload_without_files_is_a_400_naming_files(client, auth):
    resp = client.post(
        f"{ADMIN}/content/uploads",
        data={"kind": "quizzes"},
        headers=auth("admin"),
        content_type="multipart/form-data",
    )
    assert resp.status_code == 400 and resp.get_json()["error"]["field"] == "files"


def test_withdraw_hides_a_lesson_from_members_and_restore_brings_it_back(
    client, auth, runner, db
):
    publish_folder(runner)
    admin, member = auth("admin"), auth("member")
    out = client.post(f"{ADMIN}/content/lesson/sanhui/withdraw", headers=admin)
    assert out.get_json() == {"kind": "lesson", "id": "sanhui", "title": "三会一课",
                              "state": "withdrawn"}  # fmt: skip
    assert client.get("/api/v1/lessons/sanhui", headers=member).status_code == 404
    back = client.post(f"{ADMIN}/content/lesson/sanhui/restore", headers=admin)
    assert back.get_json()["state"] == "published"
    assert client.get("/api/v1/lessons/sanhui", headers=member).status_code == 200
    with db() as s:
        actions = s.scalars(
            select(AuditEvent.action).where(AuditEvent.target == "lesson:sanhui")
        ).all()
    assert sorted(actions) == ["content.restore", "content.withdraw"]


def test_withdrawing_something_unknown_is_a_404(client, auth, runner):
    publish_folder(runner)
    headers = auth("admin")
    assert client.post(f"{ADMIN}/content/lesson/nope/withdraw",
                       headers=headers).status_code == 404  # fmt: skip
    assert client.post(f"{ADMIN}/content/thing/sanhui/withdraw",
                       headers=headers).status_code == 404  # fmt: skip


def test_a_retired_item_cannot_be_restored(client, auth, runner, app):
    publish_folder(runner)
    (Path(app.config["CONTENT_DIR"]) / "quizzes" / "jichu.md").unlink()
    publish_folder(runner)
    resp = client.post(f"{ADMIN}/content/bank/jichu/restore", headers=auth("admin"))
    assert resp.status_code == 409 and "停用" in resp.get_json()["error"]["message"]


CONTENT_ROUTES = [
    ("get", "/content"),
    ("post", f"/content/uploads/{'0' * 32}/publish"),
    ("post", "/content/lesson/sanhui/withdraw"),
    ("post", "/content/lesson/sanhui/restore"),
]


@pytest.mark.parametrize("username", ["member", "secretary", "subadmin"])
@pytest.mark.parametrize(("method", "path"), CONTENT_ROUTES)
def test_only_global_admins_manage_content(
    client, auth, runner, username, method, path
):
    publish_folder(runner)
    resp = getattr(client, method)(ADMIN + path, headers=auth(username))
    assert resp.status_code == 403
    assert resp.get_json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize("username", ["member", "secretary", "subadmin"])
def test_only_global_admins_upload_content(client, auth, username):
    resp = send(client, auth(username), [("more.md", MORE)])
    assert resp.status_code == 403


@pytest.mark.parametrize("username", ["member", "secretary"])
def test_members_and_secretaries_cannot_read_the_audit_log(client, auth, username):
    assert client.get(f"{ADMIN}/audit", headers=auth(username)).status_code == 403


def test_admin_routes_need_a_login(client):
    assert client.get(f"{ADMIN}/content").status_code == 401
    assert client.get(f"{ADMIN}/audit").status_code == 401


def test_cookie_writes_need_the_csrf_token(client, people, login_as, runner):
    publish_folder(runner)
    login_as("admin")
    resp = client.post(f"{ADMIN}/content/lesson/sanhui/withdraw")
    assert resp.status_code == 400 and resp.get_json()["error"]["code"] == "csrf"


def test_an_excel_bank_uploads_through_the_api_with_its_rows_named(client, auth, db):
    from tests.admin.test_office_upload import GOOD, WIDE, row
    from tests.content.convert.builders import xlsx

    headers = auth("admin")
    bad = xlsx([*GOOD, row("单选", "答案不在选项里（　）", "甲乙", "E")], WIDE)
    data = {"kind": "quizzes", "bank": "dj", "files": [(io.BytesIO(bad), "dj.xlsx")]}
    resp = client.post(f"{ADMIN}/content/uploads", data=data, headers=headers,
                       content_type="multipart/form-data")  # fmt: skip
    body = resp.get_json()
    assert resp.status_code == 200 and not body["ok"] and body["staged"] == []
    assert ("dj.xlsx[题目]", 7, "error") in {
        (i["path"], i["line"], i["severity"]) for i in body["issues"]
    }
    data["files"] = [(io.BytesIO(xlsx(GOOD, WIDE)), "dj.xlsx")]
    good = client.post(f"{ADMIN}/content/uploads", data=data, headers=headers,
                       content_type="multipart/form-data").get_json()  # fmt: skip
    assert good["ok"] and good["banks"][0]["total"] == 5
    done = client.post(f"{ADMIN}/content/uploads/{good['token']}/publish",
                       headers=headers)  # fmt: skip
    assert done.status_code == 200
    assert "题目：新增 7" in done.get_json()["changes"]["lines"]  # 5 + the folder's 2
