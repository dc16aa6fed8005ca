"""Login, logout, password change and language choice."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf.csrf import CSRFError

from studyapp import ratelimit
from studyapp.auth import actions
from studyapp.auth.forms import ChangePasswordForm, LoginForm
from studyapp.auth.payloads import LanguageIn, Login, LoginIn, PasswordIn
from studyapp.db import get_session
from studyapp.errors import NotAuthenticated, ValidationFailed
from studyapp.extensions import limiter
from studyapp.ops import cookies
from studyapp.timeutil import utcnow
from studyapp.web import render_page

bp = Blueprint("auth", __name__)
_LIMIT_USER, _LIMIT_ADDRESS = ratelimit.login_limits(limiter)


#: Where a person who must choose a new password may still go.
_BEFORE_NEW_PASSWORD = {"auth.change_password", "auth.logout", "auth.set_language"}


@bp.before_app_request
def _new_password_first() -> ResponseReturnValue | None:
    """After a reset (or with an initial password) every page leads to the
    password page until the person has chosen their own (the API is not held)."""
    if request.path.startswith(("/api/", "/static/")) or request.blueprint == "ops":
        return None  # the API, static files and health probes are not held
    if request.endpoint in (None, "static", "metrics", *_BEFORE_NEW_PASSWORD):
        return None
    if not current_user.is_authenticated or not current_user.must_change_password:
        return None
    if request.headers.get("HX-Request") == "true":
        return "", 204  # a fragment of the password page itself (the bell): nothing
    return redirect(url_for("auth.change_password"))


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


@bp.errorhandler(429)
def too_many_failures(_exc: Exception) -> ResponseReturnValue:
    """The login form again, saying how long to wait (no pop-up, no dead end)."""
    form = LoginForm()
    minutes = ratelimit.wait_minutes(limiter)
    form.password.errors = [_("登录失败次数太多，请 %(n)s 分钟后再试", n=minutes)]
    return render_page("auth/login.html", form=form, status=429)


@bp.post("/login")
@_LIMIT_USER
@_LIMIT_ADDRESS
def login_submit() -> ResponseReturnValue:
    """Check the password; on success open a revocable login and go on."""
    form = LoginForm()
    if form.validate_on_submit():
        body = LoginIn(username=form.username.data, password=form.password.data,
                       remember=bool(form.remember.data))  # fmt: skip
        try:
            login = actions.log_in(get_session(), body, utcnow())
        except NotAuthenticated:
            form.password.errors.append(_("账号或密码不正确"))
        else:
            return _start_login(login, remember=body.remember)
    return render_page("auth/login.html", form=form, status=422)


def _start_login(login: Login, *, remember: bool) -> ResponseReturnValue:
    """Commit the new login, hand it to Flask-Login (cookies) and go on."""
    get_session().commit()
    login_user(login.actor, remember=remember)
    if login.must_change_password:
        flash(_("这是初始密码，请先设置您自己的密码"), "info")
        return redirect(url_for("auth.change_password"))
    return redirect(_safe_next() or url_for("main.home"))


def _safe_next() -> str | None:
    """Only same-site relative paths; never an open redirect. A backslash (read
    as ``/`` by browsers: ``/\\evil`` is ``//evil``) or a control character
    (a header split) makes the whole value ignored."""
    target = request.args.get("next", "")
    if "\\" in target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return None
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc:
        return target
    return None


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    """Revoke this device's login and forget the cookies."""
    session = get_session()
    actions.log_out(session, current_user, utcnow())
    session.commit()
    logout_user()
    return redirect(url_for("auth.login"))


@bp.route("/me/password", methods=["GET", "POST"])
@login_required
def change_password() -> ResponseReturnValue:
    """Change the password; every other login of the account ends."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        body = PasswordIn(current_password=form.current_password.data,
                          new_password=form.new_password.data)  # fmt: skip
        try:
            login = actions.change_password(get_session(), current_user, body,
                                            utcnow())  # fmt: skip
        except ValidationFailed as exc:
            _field_error(form, exc)
        else:
            return _password_changed(login)
    status = 422 if request.method == "POST" else 200
    return render_page("auth/password.html", form=form, status=status)


def _password_changed(login: Login) -> ResponseReturnValue:
    get_session().commit()
    login_user(login.actor, remember=True)
    flash(_("密码已修改，其他设备上的登录已退出"), "success")
    return redirect(url_for("main.me"))


def _field_error(form: ChangePasswordForm, exc: ValidationFailed) -> None:
    """Show an action's error under the form field it names."""
    if exc.field == "current_password":
        form.current_password.errors.append(_("当前密码不正确"))
    else:
        form.new_password.errors.append(exc.message)


@bp.post("/lang")
def set_language() -> ResponseReturnValue:
    """Remember the chosen UI language (account and cookie)."""
    actor = current_user if current_user.is_authenticated else None
    session = get_session()
    body = LanguageIn(lang=request.form.get("lang", ""))
    chosen = actions.choose_language(session, actor, body, utcnow())
    session.commit()
    resp = redirect(_safe_next() or url_for("main.me"))
    resp.set_cookie("lang", chosen.lang, max_age=365 * 86400, samesite="Lax",
                    secure=current_app.config["SESSION_COOKIE_SECURE"],
                    httponly=True)  # fmt: skip
    return resp
