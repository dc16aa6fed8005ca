"""Typed inputs and results of the reports actions (secretaries, leaderboards)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

Period = Literal["week", "month", "year"]


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)


class LeaderboardQuery(Model):
    #: The unit whose branches are compared (default: my branch's parent).
    unit: str | None = None
    period: Period = "week"


class BranchRef(Model):
    code: str
    name: str


class BranchStanding(Model):
    """One branch on the leaderboard: encouragement, never evaluation."""

    rank: int | None
    branch: BranchRef
    #: Share of eligible members who met the goal, averaged over the days.
    participation_rate: float | None
    avg_points: float | None
    eligible_members: int
    #: Fewer than 5 eligible members: the rate moves a lot.
    small: bool
    avg_quiz_score: float | None
    #: Places gained since the previous period (negative: lost).
    rank_change: int | None


class ParticipationQuery(Model):
    #: A past or today's date (Asia/Shanghai); default today.
    day: date | None = None


class ParticipationRow(Model):
    username: str
    name: str
    minutes: int
    goal_met: bool
    points: int
    exempt: bool
