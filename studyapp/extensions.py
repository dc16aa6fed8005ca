"""Flask extensions (login, CSRF, rate limits, i18n) and their wiring."""

from __future__ import annotations

from flask import Flask, current_app, g, has_request_context, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)
babel = Babel()


def init_app(app: Flask) -> None:
    """Initialise the extensions in dependency order."""
    if app.config["PROXY_COUNT"]:
        n = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None  # the login page explains itself; no pop-ups
    login_manager.session_protection = None  # sessions are server-side records
    from studyapp import login as loaders

    login_manager.user_loader(loaders.load_web_user)
    login_manager.request_loader(loaders.load_bearer_user)
    login_manager.unauthorized_handler(loaders.unauthorized)


def select_locale() -> str:
    """The explicit choice (account, then cookie), else the first language offered."""
    languages: list[str] = current_app.config["LANGUAGES"]
    if not has_request_context():
        return languages[0]
    # Only a user already loaded: loading one here could recurse (lazy strings).
    user = g.get("_login_user")
    chosen = user.locale if user is not None and user.is_authenticated else None
    chosen = chosen or request.cookies.get("lang")
    return chosen if chosen in languages else languages[0]
