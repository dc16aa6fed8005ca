"""What a secretary reads on each fragment of the 支部 pages: the names, the
figures and the reasons, cell by cell, so that dropping one from a template
(or from the payload behind it) fails a test. Numbers from conftest's world."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tests.conftest import csrf_token

HX = {"HX-Request": "true"}


class _Cells(HTMLParser):
    """The text of every <td>/<th>, row by row (tags inside cells dropped)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def table_rows(html: str) -> list[list[str]]:
    parser = _Cells()
    parser.feed(html)
    return parser.rows


def stat(html: str, element_id: str) -> str:
    """The value of the stat box with this id."""
    match = re.search(rf'id="{element_id}"><span class="stat-value">([^<]*)<', html)
    assert match, f"no stat #{element_id}"
    return match.group(1)


def fragment(client, path: str) -> str:  # type: ignore[no-untyped-def]
    resp = client.get(path, headers=HX)
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


@pytest.fixture
def sec_a(world, client, login_as):  # type: ignore[no-untyped-def]
    return login_as("sec_a")


def test_today_counts_each_state_and_lists_minutes_and_points(sec_a):
    html = fragment(sec_a, "/units/A/today")
    assert (stat(html, "today-met"), stat(html, "today-started")) == ("1", "1")
    assert stat(html, "today-not-started") == "2"
    row = re.search(r'id="member-am2">(.*?)</li>', html, re.S).group(1)
    assert "李四" in row and "10 分钟 · 2 分" in row and "提醒一下" in row
    met = re.search(r'id="member-am1">(.*?)</li>', html, re.S).group(1)
    assert "35 分钟 · 8 分" in met and "已达标" in met and "提醒一下" not in met
    assert "免于统计（1）" in html and "赵老" in html


def test_members_table_shows_each_members_week(sec_a):
    rows = table_rows(fragment(sec_a, "/units/A/members"))
    assert rows[0][:3] == ["姓名", "账号", "分钟"]
    zhang = next(r for r in rows if r[:2] == ["张三", "am1"])
    assert zhang == ["张三", "am1", "35", "1", "8", "0", "0", "中国共产党简史", "40",
                     "参与统计"]  # fmt: skip
    assert next(r for r in rows if r[0] == "赵老")[-1] == "免于统计"


def test_quiz_results_show_taken_pass_rate_average_and_each_score(world, sec_a):
    html = fragment(sec_a, f"/units/A/quizzes/{world.occurrence_id}")
    assert stat(html, "quiz-taken") == "3/4"
    assert (stat(html, "quiz-pass-rate"), stat(html, "quiz-average")) == ("33", "56")
    assert "及格线 60 分" in html
    rows = table_rows(html)
    assert ["张三", "am1", "100.0", "及格", "2026-11-18 12:00"] in rows
    assert ["甲书记", "sec_a", "—", "未参加", "—"] in rows


def test_quizzes_list_links_each_occurrence(world, sec_a):
    html = fragment(sec_a, "/units/A/quizzes")
    assert f'href="/units/A/quizzes/{world.occurrence_id}">每周一测<' in html
    row = next(r for r in table_rows(html) if r and r[0] == "每周一测")
    assert row[4:] == ["4", "3", "75.0", "1", "33.3", "55.5"]


def test_items_show_facility_wrong_option_and_discrimination(sec_a):
    rows = table_rows(fragment(sec_a, "/units/A/items"))
    assert rows[1] == ["题目 q1 q1", "33%1/3", "C. 选项C ×2", "1.00", "去看课文"]
    assert rows[3][3] == "1.00" and rows[3][4] == "—"  # q3 explains no lesson


def test_branch_ranking_lists_members_by_goal_days_then_points(yesterday, sec_a):
    html = fragment(sec_a, "/units/A/ranking")
    rows = table_rows(html)
    assert rows[1] == ["1", "张三", "1", "6", "0"]
    assert rows[2] == ["2", "李四", "1", "2", "0"]
    assert "允许党员查看" in html


def test_a_higher_units_ranking_shows_rates_and_links_branches(
    yesterday, client, login_as
):
    login_as("admin_gen")
    html = fragment(client, "/units/GEN/ranking")
    row = next(r for r in table_rows(html) if r and r[1] == "甲支部")
    assert row[:5] == ["1", "甲支部", "A", "4", "12.5"]
    assert 'href="/units/A">甲支部<' in html


def test_branches_of_a_unit_show_todays_rate(world, client, login_as):
    login_as("admin_gen")
    rows = table_rows(fragment(client, "/units/GEN/branches"))
    assert rows[1:] == [
        ["甲支部", "A", "4", "1", "25.0"],
        ["乙支部", "B", "2", "1", "50.0"],
    ]


def test_trends_draw_both_charts_and_list_the_days(sec_a):
    html = fragment(sec_a, "/units/A/trends")
    assert 'id="trend-participation"' in html and 'id="trend-score"' in html
    rows = table_rows(html)
    assert len(rows) == 31 and rows[-1] == ["2026-11-19", "0.0", "—"]


def test_the_member_page_shows_today_the_book_and_the_excuses(sec_a):
    token = csrf_token(sec_a, "/members/am1")
    form = {"csrf_token": token, "day": "2026-11-18", "reason": "出差学习"}
    sec_a.post("/members/am1/excuse", data=form)
    html = sec_a.get("/members/am1").get_data(as_text=True)
    assert stat(html, "member-minutes") == "35"
    # The excuse refreshed the streak: today met, yesterday neither met nor excused.
    assert (stat(html, "member-streak"), stat(html, "member-points")) == ("1", "0")
    assert "《中国共产党简史》40%" in html
    assert "2026-11-18 · 出差学习" in html
    assert "近 30 天完成 1 天" in html


def test_the_member_page_names_the_exemption_reason(sec_a):
    html = sec_a.get("/members/a_exempt").get_data(as_text=True)
    assert "免于统计：年老体弱" in html and "恢复参与统计" in html
    assert "提醒一下" not in html


def test_the_branch_list_counts_members_and_exempt_ones(world, client, login_as):
    login_as("admin_gen")
    html = client.get("/branch").get_data(as_text=True)
    item = re.search(r'href="/units/A">(.*?)</a>', html, re.S).group(1)
    assert "甲支部" in item and "5 名党员" in item and "1 名免于统计" in item


def test_the_leaderboard_shows_rates_and_marks_my_branch(yesterday, client, login_as):
    login_as("am1")
    html = fragment(client, "/leaderboard")
    mine = re.search(r'<li class="list-item is-mine">(.*?)</li>', html, re.S).group(1)
    assert "甲支部" in mine and "本支部" in mine and "12%" in mine
    assert "人均积分 2.0" in mine


def test_the_print_page_holds_the_figures_too(sec_a):
    html = sec_a.get("/units/A/print").get_data(as_text=True)
    assert ["张三", "am1", "35", "1", "8", "0", "0", "中国共产党简史", "40",
            "参与统计"] in table_rows(html)  # fmt: skip
