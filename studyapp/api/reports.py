"""``/api/v1``: leaderboards and branch participation.

Scope (reports.access): anyone may read the branch leaderboard of a unit at or
above their own branch, or in their secretary/admin scope; the member ranking
of their own branch where the branch shows it; participation is for the
secretaries and admins whose scope covers the unit.
"""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from pydantic import RootModel

from studyapp.api.kit import Router, link_next_page
from studyapp.db import get_session
from studyapp.reports import actions
from studyapp.reports.payloads import (
    BranchStanding,
    Leaderboard,
    LeaderboardQuery,
    MemberRankingQuery,
    MemberRankLine,
    ParticipationQuery,
    ParticipationRow,
)
from studyapp.timeutil import utcnow

router = Router("reports", "reports", "支部: leaderboards and branch reports.")


class Standings(RootModel[list[BranchStanding]]):
    pass


class Participation(RootModel[list[ParticipationRow]]):
    pass


class MemberRanking(RootModel[list[MemberRankLine]]):
    pass


@router.get("/leaderboard", query=LeaderboardQuery, ok=Leaderboard,
            errors=(400, 401, 403, 404))  # fmt: skip
def leaderboard(query: LeaderboardQuery) -> Any:
    """支部排行: the branches of a unit, and my branch's members where shown."""
    return actions.leaderboard(get_session(), current_user, query, utcnow())


@router.get("/leaderboard/members", query=MemberRankingQuery, ok=MemberRanking,
            errors=(400, 401, 403))  # fmt: skip
def leaderboard_members(query: MemberRankingQuery) -> Any:
    """My branch's member ranking (403 unless the branch shows it to members)."""
    rows = actions.member_leaderboard(get_session(), current_user, query, utcnow())
    return MemberRanking(rows)


@router.get("/leaderboard/branches", query=LeaderboardQuery, ok=Standings,
            errors=(400, 401, 403, 404))  # fmt: skip
def leaderboard_branches(query: LeaderboardQuery) -> Any:
    """Branches under a unit ranked by participation rate (encouragement only)."""
    rows = actions.branch_leaderboard(get_session(), current_user, query, utcnow())
    return Standings(rows)


@router.get("/units/<code>/participation", query=ParticipationQuery,
            ok=Participation, errors=(400, 401, 403, 404))  # fmt: skip
def unit_participation(code: str, query: ParticipationQuery) -> Any:
    """Every active member under the unit on one day (secretary/admin of it)."""
    rows = actions.participation(get_session(), current_user, code, query, utcnow())
    link_next_page(query.page, query.per_page, len(rows))
    return Participation(rows)
