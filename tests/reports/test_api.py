"""``/api/v1/leaderboard/branches`` and ``/api/v1/units/{code}/participation``."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from studyapp.auth.models import User
from tests.api.test_api import get_token


def bearer(client, username):  # type: ignore[no-untyped-def]
    token = get_token(client, username).get_json()["token"]
    return {"Authorization": f"Bearer {token}"}


def test_leaderboard_defaults_to_my_branchs_parent(yesterday, client):
    rows = client.get(
        "/api/v1/leaderboard/branches", headers=bearer(client, "am1")
    ).get_json()
    assert [r["branch"] for r in rows] == [
        {"code": "A", "name": "甲支部"},
        {"code": "B", "name": "乙支部"},
    ]
    a, b = rows
    # Mon–Wed nobody; Thu A 2/4, B 1/2: both average 0.125; A has 8 points for
    # 4 members (2.0), B 3 for 2 (1.5), so A ranks first.
    assert (a["rank"], a["participation_rate"], a["avg_points"]) == (1, 0.125, 2.0)
    assert (b["rank"], b["participation_rate"], b["avg_points"]) == (2, 0.125, 1.5)
    assert a["eligible_members"] == 4 and a["small"] is True
    assert set(a) >= {"rank", "branch", "participation_rate", "avg_points",
                      "eligible_members", "small", "avg_quiz_score"}  # fmt: skip


def test_leaderboard_of_the_whole_committee_lists_every_branch(yesterday, client):
    rows = client.get(
        "/api/v1/leaderboard/branches?unit=ROOT&period=month",
        headers=bearer(client, "am1"),
    ).get_json()
    assert [r["branch"]["code"] for r in rows] == ["A", "B", "C"]
    assert rows[2]["participation_rate"] == 0.0  # C has an eligible member


def test_a_branch_without_eligible_members_has_no_rate_or_rank(world, db, client):
    with db() as s:
        s.scalar(select(User).where(User.username == "cm1")).exempt_reason = "病休"
    rows = client.get(
        "/api/v1/leaderboard/branches?unit=ROOT", headers=bearer(client, "am1")
    ).get_json()
    c = rows[-1]
    assert c["branch"]["code"] == "C"
    assert (c["rank"], c["participation_rate"], c["eligible_members"]) == (
        None,
        None,
        0,
    )


def test_participation_lists_everyone_under_the_unit(world, client):
    rows = client.get(
        "/api/v1/units/A/participation", headers=bearer(client, "sec_a")
    ).get_json()
    by_name = {r["username"]: r for r in rows}
    assert set(by_name) == {"sec_a", "am1", "am2", "am3", "a_exempt"}
    assert by_name["am1"] == {
        "username": "am1", "name": "张三", "minutes": 35, "goal_met": True,
        "points": 8, "exempt": False,
    }  # fmt: skip
    assert by_name["a_exempt"]["exempt"] is True


def test_participation_on_another_day(yesterday, client):
    rows = client.get(
        "/api/v1/units/A/participation?day=2026-11-19",
        headers=bearer(client, "sec_a"),
    ).get_json()
    assert {r["username"] for r in rows if r["goal_met"]} == {"am1", "am2"}


@pytest.mark.parametrize("day", ["19-11-2026", "2026-13-01", "2026-11-21"])
def test_participation_rejects_bad_or_future_days(world, client, day):
    resp = client.get(
        f"/api/v1/units/A/participation?day={day}", headers=bearer(client, "sec_a")
    )
    assert resp.status_code == 400
    assert resp.get_json()["error"]["field"] == "day"


def test_participation_errors_are_json(world, client):
    headers = bearer(client, "sec_a")
    assert (
        client.get("/api/v1/units/NOPE/participation", headers=headers).get_json()[
            "error"
        ]["code"]
        == "not_found"
    )
    forbidden = client.get("/api/v1/units/B/participation", headers=headers)
    assert forbidden.status_code == 403
    assert forbidden.get_json()["error"]["code"] == "forbidden"
    assert client.get("/api/v1/units/A/participation").status_code == 401


def test_participation_comes_in_pages_in_the_dashboards_order(world, client):
    headers = bearer(client, "sec_a")
    everyone = client.get(
        "/api/v1/units/A/participation?per_page=500", headers=headers
    ).get_json()
    pages = [
        client.get(
            f"/api/v1/units/A/participation?per_page=2&page={n}", headers=headers
        ).get_json()
        for n in (1, 2, 3, 4)
    ]
    assert [len(p) for p in pages] == [2, 2, 1, 0]  # a short page is the last
    assert [r for p in pages for r in p] == everyone
    # Not started first, exempt last; by name within a state.
    assert everyone[-1]["username"] == "a_exempt"
    assert everyone[0]["goal_met"] is False and everyone[0]["minutes"] == 0


def test_a_page_lists_what_the_dashboard_lists(world, session):
    from studyapp.org.models import OrgUnit
    from studyapp.reports.queries import day_status, day_status_page

    unit = session.scalar(select(OrgUnit).where(OrgUnit.code == "ROOT"))
    day = date(2026, 11, 20)
    whole = day_status(session, unit, day)
    paged = [m for n in range(0, len(whole) + 3, 3)
             for m in day_status_page(session, unit, day, n, 3)]  # fmt: skip
    assert [(m.state, m.name) for m in paged] == [(m.state, m.name) for m in whole]
    assert sorted(m.user_id for m in paged) == sorted(m.user_id for m in whole)


def test_a_full_page_links_to_the_next_and_the_last_does_not(world, client):
    """A client that never asks for pages (the contract before paging) sees
    from the Link header that the list goes on past the first page."""
    headers = bearer(client, "sec_a")
    first = client.get("/api/v1/units/A/participation?per_page=2", headers=headers)
    link = first.headers["Link"]
    assert link.endswith('>; rel="next"') and "page=2" in link and "per_page=2" in link
    second = client.get(link[1 : link.index(">")], headers=headers)
    assert second.status_code == 200 and len(second.get_json()) == 2
    last = client.get(
        "/api/v1/units/A/participation?per_page=2&page=3", headers=headers
    )
    assert len(last.get_json()) == 1 and "Link" not in last.headers
