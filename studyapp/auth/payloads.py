"""Typed inputs and results of the account actions (log in, password, language)
and of the admin's account actions (create a person, reset a password)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from studyapp.auth.actor import Actor
from studyapp.auth.roles import Role


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)


Username = Annotated[str, Field(min_length=1, max_length=64)]
Password = Annotated[str, Field(min_length=1, max_length=200)]


class LoginIn(Model):
    username: Username
    password: Password
    #: Stay logged in on this device for REMEMBER_DAYS (else SESSION_HOURS).
    remember: bool = False


class TokenIn(Model):
    username: Username
    password: Password


class TokenOut(Model):
    token: str
    expires_at: datetime


@dataclass(frozen=True)
class Login:
    """A login just opened: the Actor to hand to Flask-Login, and its token."""

    actor: Actor
    token: str
    expires_at: datetime

    @property
    def must_change_password(self) -> bool:
        return self.actor.must_change_password


class PasswordIn(Model):
    current_password: Password
    #: At least 8 characters (checked by the action, naming this field).
    new_password: Password


class PasswordChanged(Model):
    """Every other login of the account has ended. A bearer-token client gets
    its new token here; a cookie client's cookie is renewed instead (None)."""

    token: str | None
    expires_at: datetime


class LanguageIn(Model):
    #: One of LANGUAGES (``zh_Hans_CN``, ``en``); anything else picks the default.
    lang: str = Field("", max_length=20)


class LanguageOut(Model):
    lang: str


#: 大字: the three text sizes, smallest first.
TextSize = Literal["standard", "large", "xlarge"]


class TextSizeIn(Model):
    size: TextSize


class TextSizeOut(Model):
    size: TextSize


class PersonIn(Model):
    """A new account, as the command line and the admin console give it."""

    username: Username
    name: str = Field(min_length=1, max_length=100)
    #: Code of the unit the person belongs to (a branch, except for admins).
    unit: str = Field(min_length=1, max_length=50)
    #: Granted on that unit (an admin on the root unit is global).
    role: Role = Role.MEMBER
    #: Why the person is left out of rates and rankings; None: counted.
    exempt_reason: str | None = Field(None, max_length=200)
    #: None: a password is generated, returned once, and must be changed.
    password: str | None = Field(None, max_length=200)


class UnitRefOut(Model):
    code: str
    name: str


class PersonCreated(Model):
    username: str
    name: str
    unit: UnitRefOut
    role: Role
    exempt_reason: str | None
    #: The generated password (shown once), or None when one was given.
    generated_password: str | None
    must_change_password: bool


class PasswordResetIn(Model):
    username: Username
    #: None: a password is generated and returned once.
    password: str | None = Field(None, max_length=200)


class PasswordReset(Model):
    """The person must choose a new password at the next login; every login of
    theirs has ended."""

    username: str
    generated_password: str | None
