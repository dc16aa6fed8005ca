"""Login, logout, password change and language choice."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf.csrf import CSRFError

from studyapp.audit.models import record
from studyapp.auth import service
from studyapp.auth.actor import Actor
from studyapp.auth.forms import ChangePasswordForm, LoginForm
from studyapp.auth.models import User
from studyapp.db import get_session
from studyapp.extensions import limiter
from studyapp.ops import cookies
from studyapp.timeutil import utcnow
from studyapp.web import render_page

bp = Blueprint("auth", __name__)


def login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def username_key() -> str:
    return "user:" + request.form.get("username", "").strip().lower()


@bp.get("/login")
def login() -> ResponseReturnValue:
    """Show the login form."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    insecure = cookies.cookies_lost_over_http()
    return render_page("auth/login.html", form=LoginForm(), insecure=insecure)


@bp.errorhandler(CSRFError)
def csrf_failed(exc: CSRFError) -> ResponseReturnValue:
    """Over plain HTTP with HTTPS-only cookies, say why instead of 「页面已过期」."""
    if not cookies.cookies_lost_over_http():
        return cookies.app_handler_response(exc)
    cookies.log_cookies_lost()
    form = LoginForm()
    return render_page("auth/login.html", form=form, insecure=True, status=400)


@bp.post("/login")
@limiter.limit(login_limit)
@limiter.limit(login_limit, key_func=username_key)
def login_submit() -> ResponseReturnValue:
    """Check the password; on success open a revocable login and go on."""
    form = LoginForm()
    session = get_session()
    if form.validate_on_submit():
        user = service.authenticate(session, form.username.data, form.password.data)
        if user is not None:
            _start_login(user, remember=bool(form.remember.data))
            session.commit()
            if user.must_change_password:
                flash(_("这是初始密码，请先设置您自己的密码"), "info")
                return redirect(url_for("auth.change_password"))
            return redirect(_safe_next() or url_for("main.home"))
        form.password.errors.append(_("账号或密码不正确"))
    return render_page("auth/login.html", form=form, status=422)


def _start_login(user, *, remember: bool) -> None:  # type: ignore[no-untyped-def]
    cfg = current_app.config
    lifetime = cfg["REMEMBER_COOKIE_DURATION"] if remember else None
    token, _record = service.open_session(
        get_session(),
        user,
        kind="web",
        now=utcnow(),
        lifetime=lifetime or timedelta(hours=cfg["SESSION_HOURS"]),
    )
    login_user(Actor.of(user, token=token), remember=remember)


def _safe_next() -> str | None:
    """Only same-site relative paths; never an open redirect."""
    target = request.args.get("next", "")
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc:
        return target
    return None


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    """Revoke this device's login and forget the cookies."""
    session = get_session()
    service.close_session(session, current_user.auth_token)
    session.commit()
    logout_user()
    return redirect(url_for("auth.login"))


@bp.route("/me/password", methods=["GET", "POST"])
@login_required
def change_password() -> ResponseReturnValue:
    """Change the password; every other login of the account ends."""
    form = ChangePasswordForm()
    session = get_session()
    user = session.get(User, current_user.id)
    if form.validate_on_submit():
        if service.check_password(user.password_hash, form.current_password.data):
            service.set_password(session, user, form.new_password.data)
            record(
                session,
                action="auth.password",
                at=utcnow(),
                actor_id=user.id,
                target=f"user:{user.username}",
            )
            _start_login(user, remember=True)
            session.commit()
            flash(_("密码已修改，其他设备上的登录已退出"), "success")
            return redirect(url_for("main.me"))
        form.current_password.errors.append(_("当前密码不正确"))
    status = 422 if request.method == "POST" else 200
    return render_page("auth/password.html", form=form, status=status)


@bp.post("/lang")
def set_language() -> ResponseReturnValue:
    """Remember the chosen UI language (account and cookie)."""
    lang = request.form.get("lang", "")
    if lang not in current_app.config["LANGUAGES"]:
        lang = current_app.config["LANGUAGES"][0]
    if current_user.is_authenticated:
        session = get_session()
        session.get(User, current_user.id).locale = lang
        session.commit()
    resp = redirect(_safe_next() or url_for("main.me"))
    resp.set_cookie(
        "lang",
        lang,
        max_age=365 * 86400,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
    )
    return resp
