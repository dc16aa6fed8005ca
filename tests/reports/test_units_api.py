"""``/api/v1/units…``: the 支部 tab as JSON, numbers worked out by hand from the
world of conftest (branch A: 张三 35 min met, 李四 10 min, 王五 nothing, 赵老
exempt; the weekly quiz: 张三 100, 李四 33.3, 王五 33.3)."""

from __future__ import annotations

import pytest

from tests.reports.test_api import bearer

WECOM = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc"


@pytest.fixture
def sec_a(world, client):  # type: ignore[no-untyped-def]
    return bearer(client, "sec_a")


def get(client, path, headers):  # type: ignore[no-untyped-def]
    resp = client.get(path, headers=headers)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.get_json()


def test_my_units_for_a_branch_secretary_is_that_branch(client, sec_a):
    body = get(client, "/api/v1/units", sec_a)
    assert body["only"] == "A"
    [branch] = body["branches"]
    assert (branch["code"], branch["members"], branch["exempt"]) == ("A", 5, 1)


def test_my_units_for_a_general_branch_admin_lists_its_branches(world, client):
    body = get(client, "/api/v1/units", bearer(client, "admin_gen"))
    assert body["only"] is None
    assert [r["code"] for r in body["roots"]] == ["GEN"]
    assert [(b["code"], b["members"]) for b in body["branches"]] == [("A", 5), ("B", 2)]


def test_the_dashboard_of_a_branch_is_today_and_of_a_unit_its_branches(world, client):
    admin = bearer(client, "admin_gen")
    assert get(client, "/api/v1/units/A", admin)["section"] == "today"
    overview = get(client, "/api/v1/units/GEN", admin)
    assert overview["section"] == "branches"
    assert overview["unit"]["sections"] == ["branches", "ranking", "trends"]


def test_today_lists_each_members_state_not_started_first(client, sec_a):
    body = get(client, "/api/v1/units/A/today", sec_a)
    assert body["day"] == "2026-11-20"
    assert [(r["username"], r["state"]) for r in body["rows"]] == [
        ("am3", "not_started"),
        ("sec_a", "not_started"),
        ("am2", "started"),
        ("am1", "met"),
        ("a_exempt", "exempt"),
    ]
    li = body["rows"][2]
    assert (li["name"], li["minutes"], li["points"], li["nudged"]) == (
        "李四",
        10,
        2,
        False,
    )


def test_today_of_a_higher_unit_is_404(world, client):
    resp = client.get("/api/v1/units/GEN/today", headers=bearer(client, "admin_gen"))
    assert resp.status_code == 404 and resp.get_json()["error"]["code"] == "not_found"


def test_members_week_has_minutes_goal_days_and_the_book(client, sec_a):
    body = get(client, "/api/v1/units/A/members?period=week", sec_a)
    assert (body["period"], body["start"], body["end"]) == (
        "week",
        "2026-11-16",
        "2026-11-20",
    )
    zhang = next(r for r in body["rows"] if r["username"] == "am1")
    assert (zhang["minutes"], zhang["goal_days"], zhang["points"]) == (35, 1, 8)
    assert (zhang["book"], zhang["book_percent"]) == ("中国共产党简史", 40)


@pytest.mark.parametrize(
    ("path", "field"),
    [("/members?period=year", "period"), ("/items?days=7", "days"),
     ("/ranking?period=decade", "period")],
)  # fmt: skip
def test_bad_section_arguments_are_a_400_naming_the_field(client, sec_a, path, field):
    resp = client.get(f"/api/v1/units/A{path}", headers=sec_a)
    assert resp.status_code == 400
    assert resp.get_json()["error"]["field"] == field


def test_quizzes_count_best_attempts_of_eligible_members(client, sec_a):
    [row] = get(client, "/api/v1/units/A/quizzes", sec_a)["rows"]
    assert (row["title"], row["eligible"], row["taken"], row["passed"]) == (
        "每周一测",
        4,
        3,
        1,
    )
    assert row["pass_rate"] == pytest.approx(1 / 3)


def test_one_quizs_results_list_who_did_not_take_it_first(world, client, sec_a):
    body = get(client, f"/api/v1/units/A/quizzes/{world.occurrence_id}", sec_a)
    assert body["summary"]["avg_score"] == pytest.approx((100 + 33.3 + 33.3) / 3)
    assert [(r["username"], r["score"], r["passed"]) for r in body["rows"]] == [
        ("sec_a", None, False),
        ("am1", 100.0, True),
        ("am2", 33.3, False),
        ("am3", 33.3, False),
    ]


def test_an_unknown_occurrence_is_404(client, sec_a):
    assert client.get("/api/v1/units/A/quizzes/999", headers=sec_a).status_code == 404


def test_items_name_the_most_chosen_wrong_option(client, sec_a):
    body = get(client, "/api/v1/units/A/items?days=90", sec_a)
    first = body["rows"][0]
    assert body["days"] == 90
    assert (first["question_id"], first["answered"], first["correct"]) == ("q1", 3, 1)
    assert (first["wrong_key"], first["wrong_text"], first["wrong_count"]) == (
        "C",
        "选项C",
        2,
    )
    assert first["discrimination"] == 1.0 and first["lesson"] == "sanhui"


def test_trends_are_thirty_days_to_yesterday(client, sec_a):
    rows = get(client, "/api/v1/units/A/trends", sec_a)["rows"]
    assert len(rows) == 30 and rows[-1]["day"] == "2026-11-19"
    assert rows[-1]["rate"] == 0.0 and rows[-1]["score"] is None


def test_ranking_of_a_branch_is_its_members_and_of_a_unit_its_branches(world, client):
    admin = bearer(client, "admin_gen")
    branch = get(client, "/api/v1/units/A/ranking?period=week", admin)
    assert branch["branches"] is None
    assert {m["username"] for m in branch["members"]} == {"sec_a", "am1", "am2", "am3"}
    unit = get(client, "/api/v1/units/GEN/ranking?period=month", admin)
    assert unit["members"] is None
    assert [b["branch"]["code"] for b in unit["branches"]] == ["A", "B"]
    assert (unit["start"], unit["end"]) == ("2026-11-01", "2026-11-19")


def test_branches_of_a_unit_today(world, client):
    rows = get(client, "/api/v1/units/GEN/branches", bearer(client, "admin_gen"))
    assert [(r["code"], r["eligible"], r["met"]) for r in rows["rows"]] == [
        ("A", 4, 1),
        ("B", 2, 1),
    ]


def test_print_holds_every_section_of_the_unit(client, sec_a):
    body = get(client, "/api/v1/units/A/print", sec_a)
    assert [s["section"] for s in body["sections"]] == [
        "today", "members", "quizzes", "items", "trends", "ranking",
    ]  # fmt: skip


def test_a_table_is_the_export_as_json_rows(client, sec_a):
    body = get(client, "/api/v1/units/A/tables/today", sec_a)
    assert body["name"] == "today-A-2026-11-20"
    assert body["title"] == "甲支部 今日学习（2026-11-20）"
    assert body["headers"] == ["姓名", "账号", "状态", "分钟", "积分"]
    assert body["rows"][0] == ["王五", "am3", "未开始", 0, 0]
    assert body["rows"][3] == ["张三", "am1", "已达标", 35, 8]


def test_the_quiz_table_has_results_and_shanghai_times(world, client, sec_a):
    path = f"/api/v1/units/A/tables/quiz?occurrence={world.occurrence_id}"
    rows = get(client, path, sec_a)["rows"]
    zhang = next(r for r in rows if r[1] == "am1")
    assert zhang == ["张三", "am1", 100.0, "及格", "2026-11-18 12:00"]


def test_an_unknown_table_is_404(client, sec_a):
    assert client.get("/api/v1/units/A/tables/nope", headers=sec_a).status_code == 404


def test_the_member_ranking_switch_opens_the_ranking_to_members(client, sec_a):
    member = bearer(client, "am1")
    assert client.get("/api/v1/leaderboard/members", headers=member).status_code == 403
    resp = client.put(
        "/api/v1/units/A/member-ranking", json={"on": True}, headers=sec_a
    )
    assert resp.get_json() == {"code": "A", "on": True}
    lines = get(client, "/api/v1/leaderboard/members", member)
    assert {line["name"] for line in lines} == {"甲书记", "张三", "李四", "王五"}
    assert [line["name"] for line in lines if line["is_me"]] == ["张三"]
    assert "username" not in lines[0]  # members never see each other's accounts


def test_the_robot_is_set_and_removed(client, sec_a):
    assert get(client, "/api/v1/units/A/robot", sec_a)["url"] is None
    saved = client.put(
        "/api/v1/units/A/robot",
        json={"url": WECOM, "kind": "wecom", "show_names": True},
        headers=sec_a,
    ).get_json()
    assert (saved["url"], saved["show_names"]) == (WECOM, True)
    assert get(client, "/api/v1/units/A/robot", sec_a)["url"] == WECOM
    cleared = client.put("/api/v1/units/A/robot", json={"url": ""}, headers=sec_a)
    assert cleared.get_json()["url"] is None


def test_a_robot_outside_the_allowed_hosts_is_a_400(client, sec_a):
    resp = client.put(
        "/api/v1/units/A/robot",
        json={"url": "https://evil.example/send?key=1"},
        headers=sec_a,
    )
    assert resp.status_code == 400
    assert resp.get_json()["error"]["field"] == "webhook_url"
    assert get(client, "/api/v1/units/A/robot", sec_a)["url"] is None


def test_the_leaderboard_page_as_json_marks_my_branch(world, client):
    body = get(client, "/api/v1/leaderboard?period=week", bearer(client, "am1"))
    assert body["unit"] == {"code": "GEN", "name": "总支"}
    assert body["my_branch"] == "A" and body["members"] is None
    assert [b["branch"]["code"] for b in body["branches"]] == ["A", "B"]
