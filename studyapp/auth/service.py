"""Accounts and logins: Argon2id hashes, revocable sessions and API tokens."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Row, delete, select
from sqlalchemy.orm import Session

from studyapp.auth.models import AuthSession, RoleGrant, User
from studyapp.auth.roles import Role
from studyapp.errors import Conflict, ValidationFailed
from studyapp.org.models import OrgUnit, UnitKind

_hasher = PasswordHasher()  # Argon2id with the library's (OWASP-aligned) defaults
# Verified against when the username is unknown, so both paths cost the same.
_DUMMY_HASH = _hasher.hash("not-a-real-password")

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.@-]{3,64}$")
MIN_PASSWORD = 8


def hash_password(password: str) -> str:
    """Argon2id hash of a password."""
    return _hasher.hash(password)


def check_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches; never raises on a malformed hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def generate_password() -> str:
    """A readable random initial password (no 0/O/1/l confusion)."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


def validate_password(password: str, field: str = "password") -> None:
    """Raise ValidationFailed unless the password is long enough."""
    if len(password) < MIN_PASSWORD:
        raise ValidationFailed(f"密码至少 {MIN_PASSWORD} 位", field=field)


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with this username and password, else None (constant work)."""
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        check_password(_DUMMY_HASH, password)
        return None
    if not check_password(user.password_hash, password) or not user.is_active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def create_user(
    session: Session,
    *,
    username: str,
    name: str,
    unit: OrgUnit,
    password: str,
    now: datetime,
    role: Role = Role.MEMBER,
    exempt_reason: str | None = None,
    must_change_password: bool = False,
) -> User:
    """Create a user in ``unit`` with ``role`` granted on that unit.

    Raises ValidationFailed (field named) for a bad username, password or unit,
    and Conflict when the username is taken.
    """
    username = username.strip()
    if not USERNAME_RE.match(username):
        raise ValidationFailed(
            "账号只能包含字母、数字和 _ . @ -，3–64 位", field="username"
        )
    if not name.strip():
        raise ValidationFailed("姓名不能为空", field="name")
    validate_password(password)
    check_membership_unit(unit, role)
    if session.scalar(select(User.id).where(User.username == username)):
        raise Conflict(f"账号 {username} 已存在", field="username")
    user = User(
        username=username,
        name=name.strip(),
        branch=unit,
        password_hash=hash_password(password),
        exempt_reason=exempt_reason or None,
        must_change_password=must_change_password,
        created_at=now,
    )
    session.add(user)
    set_role(session, user, role)
    session.flush()
    return user


def check_membership_unit(unit: OrgUnit, role: Role, field: str = "branch") -> None:
    """Members and secretaries belong to a branch; an admin may sit higher."""
    if role is not Role.ADMIN and unit.kind != UnitKind.BRANCH:
        raise ValidationFailed(
            f"{unit.code} 不是党支部：党员和书记必须属于一个党支部", field=field
        )


def set_role(session: Session, user: User, role: Role) -> None:
    """Make ``role`` on the user's own unit the user's only grant."""
    wanted = [] if role is Role.MEMBER else [(user.branch, role.value)]
    if [(g.unit, g.role) for g in user.grants] == wanted:
        return
    user.grants.clear()
    session.flush()  # delete old grants before inserting (unique constraint)
    for unit, name in wanted:
        user.grants.append(RoleGrant(unit=unit, role=name))


def set_password(
    session: Session, user: User, password: str, field: str = "new_password"
) -> None:
    """Change the password and log the user out everywhere (ValidationFailed
    naming ``field`` when it is too short)."""
    validate_password(password, field=field)
    user.password_hash = hash_password(password)
    user.must_change_password = False
    revoke_all_sessions(session, user.id)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(
    session: Session, user: User, *, kind: str, lifetime: timedelta, now: datetime
) -> tuple[str, AuthSession]:
    """Start a login (``web``) or an API token (``api``); returns the raw token."""
    token = secrets.token_urlsafe(32)
    record = AuthSession(
        user=user,
        token_hash=_digest(token),
        kind=kind,
        created_at=now,
        expires_at=now + lifetime,
    )
    session.add(record)
    session.flush()
    return token, record


def user_for_token(
    session: Session, token: str, *, kind: str, now: datetime
) -> User | None:
    """The active user behind an unexpired token of this kind, else None."""
    record = session.scalar(
        select(AuthSession).where(AuthSession.token_hash == _digest(token))
    )
    if record is None or record.kind != kind or record.expires_at <= now:
        return None
    if not record.user.is_active:
        return None
    return record.user


def token_state(session: Session, token: str) -> Row[Any] | None:
    """One indexed query: ``(user_id, kind, expires_at, is_active, auth_version)``
    of the login or API token, None when it does not exist (logged out)."""
    return session.execute(
        select(
            AuthSession.user_id,
            AuthSession.kind,
            AuthSession.expires_at,
            User.is_active,
            User.auth_version,
        )
        .join(User, User.id == AuthSession.user_id)
        .where(AuthSession.token_hash == _digest(token))
    ).first()


def close_session(session: Session, token: str) -> None:
    """Revoke one login or token (logout on this device)."""
    session.execute(delete(AuthSession).where(AuthSession.token_hash == _digest(token)))


def revoke_all_sessions(session: Session, user_id: int) -> None:
    """Revoke every login and token of a user."""
    session.execute(delete(AuthSession).where(AuthSession.user_id == user_id))


def purge_expired_sessions(session: Session, now: datetime) -> int:
    """Delete expired logins and tokens; returns how many."""
    result = session.execute(delete(AuthSession).where(AuthSession.expires_at <= now))
    return result.rowcount or 0
