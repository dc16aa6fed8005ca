"""What a person does with their account (log in and out, change the password,
choose the language), and what an admin does with accounts (create a person,
reset a password).

Each action is ``(session, actor, [input,] now) -> result``; logging in has no
actor yet. For the admin actions ``actor`` None is the command line, which may
do anything; an admin may act only on units in their admin scope. Actions
flush; the edge commits (and hands a new login to Flask-Login).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from studyapp.audit.models import record
from studyapp.auth import service
from studyapp.auth.actor import Actor
from studyapp.auth.models import User
from studyapp.auth.payloads import (
    LanguageIn,
    LanguageOut,
    Login,
    LoginIn,
    PasswordIn,
    PasswordReset,
    PasswordResetIn,
    PersonCreated,
    PersonIn,
    TextSizeIn,
    TextSizeOut,
    TokenIn,
    TokenOut,
    UnitRefOut,
)
from studyapp.auth.permissions import can_manage_unit, require_unit
from studyapp.auth.roles import Role
from studyapp.auth.settings import defaults
from studyapp.errors import NotAuthenticated, NotFound, ValidationFailed
from studyapp.org.models import OrgUnit
from studyapp.org.service import unit_by_code

WRONG_LOGIN = "账号或密码不正确"


def log_in(session: Session, body: LoginIn, now: datetime) -> Login:
    """Check username and password and open a revocable web login.

    NotAuthenticated for a wrong password, an unknown or inactive account (the
    same answer and the same work for each).
    """
    user = _authenticate(session, body.username, body.password)
    return _open(session, user, "web", now, remember=body.remember)


def create_token(session: Session, body: TokenIn, now: datetime) -> TokenOut:
    """Exchange username and password for a bearer token (API_TOKEN_DAYS)."""
    user = _authenticate(session, body.username, body.password)
    login = _open(session, user, "api", now)
    return TokenOut(token=login.token, expires_at=login.expires_at)


def log_out(session: Session, actor: Actor, now: datetime) -> None:
    """End the login or revoke the API token this request came with."""
    if actor.auth_token:
        service.close_session(session, actor.auth_token)


def change_password(
    session: Session, actor: Actor, body: PasswordIn, now: datetime
) -> Login:
    """Change my password: every login of the account ends, and this device
    goes on with a new one of the same kind (cookie or bearer token).

    ValidationFailed naming ``current_password`` (wrong) or ``new_password``
    (too short).
    """
    user = _user(session, actor)
    if not service.check_password(user.password_hash, body.current_password):
        raise ValidationFailed("当前密码不正确", field="current_password")
    service.set_password(session, user, body.new_password)
    record(session, action="auth.password", at=now, actor_id=user.id,
           target=f"user:{user.username}")  # fmt: skip
    kind = "api" if actor.auth_via_bearer else "web"
    return _open(session, user, kind, now, remember=True)


def choose_language(
    session: Session, actor: Actor | None, body: LanguageIn, now: datetime
) -> LanguageOut:
    """Choose the UI language (an unknown one picks the default); saved on the
    account when logged in, so other devices follow after their next login."""
    languages = defaults(session).languages
    lang = body.lang if body.lang in languages else languages[0]
    if actor is not None:
        _user(session, actor).locale = lang
        session.flush()
    return LanguageOut(lang=lang)


def choose_text_size(
    session: Session, actor: Actor, body: TextSizeIn, now: datetime
) -> TextSizeOut:
    """大字: choose one of three text sizes, kept on the account so every page
    (and every device after its next login) shows it."""
    _user(session, actor).text_size = body.size
    session.flush()
    return TextSizeOut(size=body.size)


def create_person(
    session: Session, actor: Actor | None, body: PersonIn, now: datetime
) -> PersonCreated:
    """Create an account with ``role`` on its own unit, and audit it.

    Without a password one is generated (returned once; to be changed at the
    first login). ValidationFailed names the field (``unit``: unknown, or not a
    branch for a member or secretary); Conflict when the username is taken;
    Forbidden outside the admin's scope.
    """
    unit = _unit_in_scope(session, actor, body.unit)
    service.check_membership_unit(unit, body.role, field="unit")
    password = body.password or service.generate_password()
    user = service.create_user(
        session, username=body.username, name=body.name, unit=unit,
        password=password, now=now, role=body.role,
        exempt_reason=(body.exempt_reason or "").strip() or None,
        must_change_password=body.password is None,
    )  # fmt: skip
    record(session, action="user.create", at=now, actor_id=_id(actor),
           target=f"user:{user.username}",
           detail={"unit": unit.code, "role": body.role.value})  # fmt: skip
    return PersonCreated(
        username=user.username,
        name=user.name,
        unit=UnitRefOut(code=unit.code, name=unit.name),
        role=body.role,
        exempt_reason=user.exempt_reason,
        generated_password=None if body.password else password,
        must_change_password=user.must_change_password,
    )


def reset_password(
    session: Session, actor: Actor | None, body: PasswordResetIn, now: datetime
) -> PasswordReset:
    """Give a person a new password (generated when none is given): every
    login of theirs ends and they must choose their own at the next one.

    NotFound for an unknown username and, with the same message, for a person
    outside the admin's scope (no telling which usernames exist elsewhere).
    """
    user = session.scalar(select(User).where(User.username == body.username.strip()))
    outside = (
        user is not None
        and actor is not None
        and not can_manage_unit(actor, user.branch, Role.ADMIN)  # type: ignore[arg-type]
    )
    if user is None or outside:
        raise NotFound(f"账号 {body.username} 不存在")
    password = body.password or service.generate_password()
    service.set_password(session, user, password, field="password")
    user.must_change_password = True
    record(session, action="user.reset_password", at=now, actor_id=_id(actor),
           target=f"user:{user.username}")  # fmt: skip
    return PasswordReset(
        username=user.username,
        generated_password=None if body.password else password,
    )


def _authenticate(session: Session, username: str, password: str) -> User:
    user = service.authenticate(session, username, password)
    if user is None:
        raise NotAuthenticated(WRONG_LOGIN)
    return user


def _open(
    session: Session, user: User, kind: str, now: datetime, *, remember: bool = False
) -> Login:
    lifetime = defaults(session).lifetime(kind, remember=remember)
    token, row = service.open_session(
        session, user, kind=kind, lifetime=lifetime, now=now
    )
    actor = Actor.of(user, token=token, bearer=kind == "api")
    return Login(actor=actor, token=token, expires_at=row.expires_at)


def _user(session: Session, actor: Actor) -> User:
    user = session.get(User, actor.id)
    if user is None:  # deleted while logged in
        raise NotAuthenticated("请先登录")
    return user


def _unit_in_scope(session: Session, actor: Actor | None, code: str) -> OrgUnit:
    unit = unit_by_code(session, code.strip())
    if unit is None:
        raise ValidationFailed(f"组织编码 {code} 不存在", field="unit")
    if actor is not None:
        require_unit(actor, unit, Role.ADMIN)  # type: ignore[arg-type]
    return unit


def _id(actor: Actor | None) -> int | None:
    return actor.id if actor is not None else None
