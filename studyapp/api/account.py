"""``/api/v1/me``: my account: password and UI language (log out is
``DELETE /api/v1/auth/token``)."""

from __future__ import annotations

from typing import Any

from flask_login import current_user, login_user

from studyapp.api.kit import Router
from studyapp.auth import actions
from studyapp.auth.payloads import (
    LanguageIn,
    LanguageOut,
    PasswordChanged,
    PasswordIn,
    TextSizeIn,
    TextSizeOut,
)
from studyapp.db import get_session
from studyapp.timeutil import utcnow

router = Router("account", "account", "我的: password, language and text size.")


@router.post("/me/password", json=PasswordIn, ok=PasswordChanged,
             errors=(400, 401))  # fmt: skip
def change_password(json: PasswordIn) -> Any:
    """Change my password; every other login and token of mine ends. A token
    client gets its new token; a cookie client keeps going on a new cookie."""
    session = get_session()
    login = actions.change_password(session, current_user, json, utcnow())
    session.commit()
    if login.actor.auth_via_bearer:
        return PasswordChanged(token=login.token, expires_at=login.expires_at)
    login_user(login.actor, remember=True)
    return PasswordChanged(token=None, expires_at=login.expires_at)


@router.put("/me/language", json=LanguageIn, ok=LanguageOut, errors=(400, 401))
def set_language(json: LanguageIn) -> Any:
    """Choose the UI language (``zh_Hans_CN`` or ``en``; anything else picks the
    default); other devices follow after their next login."""
    session = get_session()
    result = actions.choose_language(session, current_user, json, utcnow())
    session.commit()
    return result


@router.put("/me/text-size", json=TextSizeIn, ok=TextSizeOut, errors=(400, 401))
def set_text_size(json: TextSizeIn) -> Any:
    """大字: ``standard``, ``large`` or ``xlarge``, kept on the account and
    applied on every page."""
    session = get_session()
    result = actions.choose_text_size(session, current_user, json, utcnow())
    session.commit()
    return result
