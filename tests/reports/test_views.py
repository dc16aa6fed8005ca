"""The 支部 tab as a secretary, an admin and a member see it."""

from __future__ import annotations

from sqlalchemy import func, select

from studyapp.audit.models import AuditEvent
from studyapp.auth.models import User
from studyapp.notify.models import Notification
from studyapp.progress.models import ExcusedDay
from tests.conftest import csrf_token

HX = {"HX-Request": "true"}


def test_the_branch_tab_opens_on_today(world, client, login_as):
    login_as("sec_a")
    page = client.get("/branch").get_data(as_text=True)
    assert "甲支部 今日学习（2026-11-20）" in page
    assert page.index("王五") < page.index("李四") < page.index("张三")
    assert "不作考核依据" in page and 'aria-current="page"' in page
    assert "乙支部党员" not in page


def test_sections_are_full_pages_or_fragments_with_vary(world, client, login_as):
    login_as("sec_a")
    for name in ("today", "members", "quizzes", "items", "trends", "ranking"):
        page = client.get(f"/units/A/{name}")
        fragment = client.get(f"/units/A/{name}", headers=HX)
        assert page.status_code == fragment.status_code == 200
        assert "HX-Request" in page.headers["Vary"]
        assert "HX-Request" in fragment.headers["Vary"]
        assert "<html" in page.get_data(as_text=True)
        body = fragment.get_data(as_text=True).lstrip()
        assert body.startswith('<section class="stack" id="report-section">')


def test_period_switch_is_validated(world, client, login_as):
    login_as("sec_a")
    assert client.get("/units/A/members?period=month").status_code == 200
    assert client.get("/units/A/members?period=year").status_code == 400
    assert client.get("/units/A/items?days=7").status_code == 400


def test_nudge_is_one_tap_private_and_once_a_day(world, app, client, login_as):
    login_as("sec_a")
    token = csrf_token(client, "/units/A/today")
    resp = client.post("/members/am3/nudge", headers={**HX, "X-CSRFToken": token})
    assert resp.status_code == 200
    assert resp.get_data(as_text=True).lstrip().startswith('<li class="list-item')
    assert "今天已提醒" in resp.get_data(as_text=True)
    again = client.post("/members/am3/nudge", headers={**HX, "X-CSRFToken": token})
    assert again.status_code == 200
    with app.app_context():
        from studyapp.db import get_session

        s = get_session()
        notes = s.scalars(select(Notification)).all()
        assert len(notes) == 1 and notes[0].kind == "nudge"
        assert "甲书记" in notes[0].body
    assert "今天已提醒" in client.get("/units/A/today").get_data(as_text=True)


def test_an_exempt_member_cannot_be_nudged(world, client, login_as):
    login_as("sec_a")
    token = csrf_token(client, "/units/A/today")
    resp = client.post("/members/a_exempt/nudge", headers={"X-CSRFToken": token})
    assert resp.status_code == 400


def test_excusing_a_day_keeps_it_out_of_the_rate(world, app, client, login_as):
    login_as("sec_a")
    token = csrf_token(client, "/members/am3")
    resp = client.post(
        "/members/am3/excuse",
        data={"csrf_token": token, "day": "2026-11-19", "reason": "住院"},
    )
    assert resp.status_code == 302
    with app.app_context():
        from studyapp.db import get_session

        s = get_session()
        assert s.scalar(select(ExcusedDay.reason)) == "住院"
        assert s.scalar(select(AuditEvent.action)) == "member.excuse"


def test_an_excuse_given_by_mistake_can_be_withdrawn(world, app, client, login_as):
    login_as("sec_a")
    token = csrf_token(client, "/members/am3")
    client.post(
        "/members/am3/excuse",
        data={"csrf_token": token, "day": "2026-11-19", "reason": "住院"},
    )
    page = client.get("/members/am3").get_data(as_text=True)
    assert 'id="excused-days"' in page and "2026-11-19 · 住院" in page
    resp = client.post(
        "/members/am3/excuse/2026-11-19/withdraw", data={"csrf_token": token}
    )
    assert resp.status_code == 302
    with app.app_context():
        from studyapp.db import get_session

        s = get_session()
        assert s.scalar(select(ExcusedDay.id)) is None
        actions = set(s.scalars(select(AuditEvent.action)))
        assert "member.excuse_withdrawn" in actions
    assert 'id="excused-days"' not in client.get("/members/am3").get_data(as_text=True)


def test_a_future_excuse_keeps_the_form_and_says_why(world, client, login_as):
    login_as("sec_a")
    token = csrf_token(client, "/members/am3")
    resp = client.post(
        "/members/am3/excuse",
        data={"csrf_token": token, "day": "2026-11-25", "reason": "出差"},
    )
    assert resp.status_code == 422
    body = resp.get_data(as_text=True)
    assert "不能为将来的日子请假" in body and 'value="出差"' in body


def test_exempt_with_a_reason_then_clear_it(world, app, client, login_as):
    login_as("sec_a")
    token = csrf_token(client, "/members/am3")
    client.post("/members/am3/exempt", data={"csrf_token": token, "reason": "流动党员"})
    assert "流动党员" in client.get("/members/am3").get_data(as_text=True)
    client.post("/members/am3/exempt", data={"csrf_token": token, "reason": ""})
    with app.app_context():
        from studyapp.db import get_session

        s = get_session()
        assert (
            s.scalar(select(User.exempt_reason).where(User.username == "am3")) is None
        )
        actions = s.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
        assert actions == ["member.exempt", "member.exempt_cleared"]


def test_member_ranking_is_shown_to_members_only_when_the_branch_allows(
    world, app, client, login_as
):
    from tests.conftest import login

    member = app.test_client()
    login(member, "am1")
    assert "本支部党员" not in member.get("/leaderboard").get_data(as_text=True)
    login_as("sec_a")
    token = csrf_token(client, "/units/A/ranking")
    client.post("/units/A/member-ranking", data={"csrf_token": token, "on": "1"})
    assert "本支部党员本周排行" in member.get("/leaderboard").get_data(as_text=True)
    client.post("/units/A/member-ranking", data={"csrf_token": token, "on": "0"})
    assert "本支部党员" not in member.get("/leaderboard").get_data(as_text=True)


def test_member_leaderboard_marks_my_branch_and_says_it_is_encouragement(
    world, client, login_as
):
    login_as("am1")
    page = client.get("/leaderboard").get_data(as_text=True)
    assert "总支 各支部本周排行" in page and "以鼓励为主，不作考核依据" in page
    assert page.count('class="list-item is-mine"') == 1
    fragment = client.get("/leaderboard?period=month", headers=HX)
    assert fragment.get_data(as_text=True).lstrip().startswith("<section")


def test_home_links_to_the_leaderboard(world, client, login_as):
    login_as("am1")
    assert 'id="ranking-card"' in client.get("/").get_data(as_text=True)


def test_admin_sees_all_branches_of_the_unit_and_can_drill_down(
    world, client, login_as
):
    login_as("admin_gen")
    page = client.get("/branch").get_data(as_text=True)
    assert "总支" in page and "甲支部" in page and "丙支部" not in page
    overview = client.get("/units/GEN").get_data(as_text=True)
    assert "总支 各支部今日学习" in overview and "/units/A" in overview
    branch = client.get("/units/A").get_data(as_text=True)
    assert "← 总支" in branch  # a way back up, inside the admin's scope


def test_print_page_holds_every_table(world, client, login_as):
    login_as("sec_a")
    page = client.get("/units/A/print").get_data(as_text=True)
    for title in (
        "今日学习",
        "本周学习情况",
        "近 90 天答题",
        "题目分析",
        "近 30 天趋势",
    ):
        assert title in page


def test_the_secretary_tab_stays_active_on_report_pages(world, client, login_as):
    login_as("sec_a")
    page = client.get("/units/A/items").get_data(as_text=True)
    nav = page[page.index('<nav class="tabbar"') :]
    assert 'is-active" href="/branch"' in nav


def test_item_analysis_links_to_the_lesson(world, client, login_as):
    login_as("sec_a")
    page = client.get("/units/A/items").get_data(as_text=True)
    assert 'href="/lessons/sanhui"' in page and "选项C" in page


def test_notifications_count_after_a_nudge(world, app, client, login_as):
    from tests.conftest import login

    login_as("sec_a")
    token = csrf_token(client, "/units/A/today")
    client.post("/members/am2/nudge", headers={"X-CSRFToken": token})
    member = app.test_client()
    login(member, "am2")
    bell = member.get("/inbox/bell", headers=HX).get_data(as_text=True)
    assert 'class="bell-count"' in bell and ">1<" in bell
    with app.app_context():
        from studyapp.db import get_session

        assert get_session().scalar(select(func.count(Notification.id))) == 1
