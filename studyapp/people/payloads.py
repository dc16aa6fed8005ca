"""Typed inputs and results of the people actions (管理 › 党员 and its API)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from studyapp.auth.payloads import Username
from studyapp.org.payloads import UnitBrief

#: People listed per page.
PAGE_SIZE = 30


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)


class PeopleQuery(Model):
    #: Part of a name or username; empty: everyone.
    q: str | None = Field(None, max_length=64)
    #: Only this unit's subtree (a code in my scope); empty: my whole scope.
    unit: str | None = Field(None, max_length=64)
    #: ``active`` (default), ``inactive`` or ``all``.
    status: Literal["active", "inactive", "all"] = "active"
    page: int = Field(1, ge=1, le=100_000)


class RoleOnUnit(Model):
    #: secretary | admin
    role: str
    unit: UnitBrief


class PersonRow(Model):
    username: str
    name: str
    phone: str | None
    branch: UnitBrief
    roles: list[RoleOnUnit]
    exempt_reason: str | None
    is_active: bool
    must_change_password: bool


class PeoplePage(Model):
    """One page of people, by branch code then name."""

    rows: list[PersonRow]
    page: int
    pages: int
    total: int


class MembershipOut(Model):
    """A past stretch in a branch: ``start_day`` up to, not including, ``end_day``."""

    branch: UnitBrief
    start_day: date
    end_day: date


class PersonDetail(Model):
    person: PersonRow
    #: The day they joined their current branch.
    branch_since: date
    history: list[MembershipOut]
    #: What the asker may do to this person.
    can_manage: bool
    can_reset_password: bool


class PersonAddIn(Model):
    username: Username
    name: str = Field(min_length=1, max_length=100)
    #: The code of the person's 党支部.
    branch: str = Field(min_length=1, max_length=64)
    phone: str | None = Field(None, max_length=30)
    #: None: a password is generated, shown once, and must be changed.
    password: str | None = Field(None, max_length=200)


class PersonEditIn(Model):
    name: str = Field(min_length=1, max_length=100)
    #: Empty or null clears it.
    phone: str | None = Field(None, max_length=30)


class ActiveIn(Model):
    #: False: cannot log in, every login and token ends, left out of rates from today.
    active: bool


class MoveIn(Model):
    #: The code of the new 党支部.
    branch: str = Field(min_length=1, max_length=64)
    #: The first day in the new branch (today or earlier); earlier days stay
    #: with the old branch.
    day: date


class RoleIn(Model):
    role: Literal["secretary", "admin"]
    #: The code of the unit the role is held on (it covers its subtree).
    unit: str = Field(min_length=1, max_length=64)


class PersonExemptIn(Model):
    #: Why the person is left out of rates and rankings; empty or null clears it.
    reason: str | None = Field(None, max_length=200)


class ResetIn(Model):
    #: None: a password is generated and shown once.
    password: str | None = Field(None, max_length=200)


class PersonAdded(Model):
    person: PersonRow
    #: The generated password (shown once, never stored), or None when one was typed.
    generated_password: str | None


class PasswordResetDone(Model):
    """Every login and token of the person has ended; they must choose a new
    password at their next login."""

    username: str
    name: str
    generated_password: str | None
