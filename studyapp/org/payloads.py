"""Typed inputs and results of the organisation actions (the 支部 tab's units,
members' standing, the import)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)


class UnitBrief(Model):
    """A unit of the tree by its stable code and its name."""

    code: str
    name: str


class UnitSummary(Model):
    """A unit in my secretary/admin scope, with its members counted."""

    code: str
    name: str
    #: committee | general_branch | branch | group
    kind: str
    #: Active members in the unit's subtree, and how many of them are exempt.
    members: int
    exempt: int


class MyUnits(Model):
    """The 支部 tab: the units my role covers and the 党支部 under them.

    ``only`` is the code of my one branch when that is all I cover (the tab
    then opens on its dashboard).
    """

    roots: list[UnitSummary]
    branches: list[UnitSummary]
    only: str | None


class ExcuseIn(Model):
    #: An Asia/Shanghai day, today or earlier.
    day: date
    reason: str = Field(min_length=1, max_length=200)


class ExcusedDayOut(Model):
    username: str
    #: The member's name.
    name: str
    day: date
    reason: str


class ExcuseWithdrawn(Model):
    username: str
    name: str
    day: date
    #: False: the day was not excused (nothing changed).
    withdrawn: bool


class ExemptIn(Model):
    #: Why the member is left out of rates and rankings; empty or null clears it.
    reason: str | None = Field(None, max_length=200)


class MemberStanding(Model):
    """A member's standing as the secretary sets it."""

    username: str
    name: str
    exempt: bool
    exempt_reason: str | None


class MemberRankingIn(Model):
    #: Let the branch's members see its member ranking.
    on: bool


class MemberRankingOut(Model):
    code: str
    on: bool


class UnitNode(Model):
    """A unit of the tree as 管理 › 组织 shows it."""

    code: str
    name: str
    #: committee | general_branch | branch | group
    kind: str
    #: The parent's code; None at the top of the tree.
    parent: str | None
    #: Steps below the top of my scope (0 for my scope's roots).
    depth: int
    #: Active members in the unit's subtree, and how many of them are exempt.
    members: int
    exempt: int
    closed: bool


class UnitTree(Model):
    """The units of my admin scope in tree order (parents before children)."""

    units: list[UnitNode]


class UnitIn(Model):
    #: A new code (letters, digits, ``-``, ``_``); a used code is never given again.
    code: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    #: committee | general_branch | branch | group
    kind: str = Field(min_length=1, max_length=20)
    #: The code of the unit it sits under (in my scope).
    parent: str = Field(min_length=1, max_length=64)


class UnitRenameIn(Model):
    name: str = Field(min_length=1, max_length=200)


class UnitMoveIn(Model):
    #: The code of the new parent (in my scope, not below the unit itself).
    parent: str = Field(min_length=1, max_length=64)
