"""Configuration: every key with its default and meaning, loaded in three layers."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

DEV_SECRET = "dev-insecure-secret-change-me"

#: Every setting StudyApp reads. Override with environment variables prefixed
#: ``STUDYAPP_`` (e.g. ``STUDYAPP_DATABASE_URL``); values are JSON-parsed when
#: they look like JSON (Flask ``from_prefixed_env``).
DEFAULTS: dict[str, Any] = {
    # "production" (default: strict), "development" (make run) or "testing".
    "ENV": "production",
    # Signs cookies and CSRF tokens. Must be set outside development/testing.
    "SECRET_KEY": DEV_SECRET,
    # SQLAlchemy URL. Empty means SQLite in the instance folder.
    "DATABASE_URL": "",
    # SQLite busy timeout in seconds (waits for a writer instead of failing).
    "SQLITE_BUSY_TIMEOUT": 10,
    # Optional Redis URL: rate-limit counters shared across app nodes.
    "REDIS_URL": "",
    # Login attempts allowed per client address and per username.
    "LOGIN_RATE_LIMIT": "10 per minute; 50 per hour",
    # Number of reverse proxies in front of the app (0 = trust no X-Forwarded-*).
    "PROXY_COUNT": 0,
    # Lifetime of a "remember me" login and of API bearer tokens.
    "REMEMBER_DAYS": 30,
    "API_TOKEN_DAYS": 30,
    # Lifetime of a login without "remember me".
    "SESSION_HOURS": 12,
    # Cookies only over HTTPS. Defaults to True in production.
    "COOKIE_SECURE": None,
    # UI languages offered; the first is the default.
    "LANGUAGES": ["zh_Hans_CN", "en"],
    # Study goal in credited minutes per Asia/Shanghai day (日学半小时).
    "DAILY_GOAL_MINUTES": 30,
    # False: no study-time tracking; the goal is then a lesson plus the daily quiz.
    "STUDY_TIME_TRACKING": True,
    # Point rule overrides {"rule": [points, daily cap or null]}: progress/rules.py.
    "POINT_RULES": None,
    # Folder of the Markdown content (lessons/, quizzes/).
    "CONTENT_DIR": "",
    # --- Scheduler (``studyapp jobs run``; see studyapp/jobs/registry.py) ---
    # The job table, "module:NAME" (tests point it at a table of their own).
    "JOBS_REGISTRY": "studyapp.jobs.registry:JOBS",
    # Threads running jobs at once (a slow webhook never holds up the others).
    "JOBS_WORKERS": 4,
    # A firing missed by at most this many seconds still runs (then coalesced).
    "JOBS_MISFIRE_GRACE_SECONDS": 300,
    # Attempts per occurrence before a failing run stays failed.
    "JOBS_MAX_ATTEMPTS": 3,
    # Wait before the first retry, in seconds; doubled for each further one.
    "JOBS_RETRY_SECONDS": 60,
    # A run still "running" after this many minutes is taken as crashed and
    # may be claimed again.
    "JOBS_STALE_MINUTES": 60,
    # How often a standby scheduler tries to take the single-instance lock.
    "JOBS_STANDBY_RETRY_SECONDS": 5,
    # SQLite: the lock file of the scheduler (empty: the database file's path
    # plus ".jobs-lock", i.e. in the instance folder by default).
    "JOBS_LOCK_FILE": "",
    # PostgreSQL: a direct (not transaction-pooled) URL for the advisory lock,
    # when DATABASE_URL goes through pgbouncer; empty: DATABASE_URL.
    "JOBS_LOCK_DATABASE_URL": "",
    # Days of job run history kept (older runs are pruned nightly).
    "JOBS_KEEP_DAYS": 30,
    # Asia/Shanghai time "HH:MM" of the daily reminder; empty turns it off.
    "REMINDER_AT": "20:00",
    # Tell a lesson's audience in-app when a scheduled lesson goes live.
    "NOTIFY_NEW_LESSONS": True,
    # Branch group robots: seconds per HTTP attempt, attempts, first backoff.
    "WEBHOOK_TIMEOUT_SECONDS": 5,
    "WEBHOOK_ATTEMPTS": 3,
    "WEBHOOK_BACKOFF_SECONDS": 2,
    # Hosts a robot URL may point at (empty list: any http(s) host).
    "WEBHOOK_HOSTS": ["qyapi.weixin.qq.com", "oapi.dingtalk.com"],
    # Nightly SQLite backups: folder (empty: instance/backups) and how many kept.
    "BACKUP_DIR": "",
    "BACKUP_KEEP": 7,
}


def load(app: Flask, test_config: Mapping[str, Any] | None = None) -> None:
    """Fill ``app.config`` from DEFAULTS, then ``STUDYAPP_*`` env vars, then tests."""
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("STUDYAPP")
    if test_config is not None:
        app.config.from_mapping(test_config)
        if test_config.get("TESTING") and "ENV" not in test_config:
            app.config["ENV"] = "testing"
    _derive(app)
    _check(app)


def _derive(app: Flask) -> None:
    cfg = app.config
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not cfg["DATABASE_URL"]:
        cfg["DATABASE_URL"] = f"sqlite:///{Path(app.instance_path) / 'studyapp.db'}"
    if not cfg["CONTENT_DIR"]:
        cfg["CONTENT_DIR"] = str(Path(app.root_path).parent / "content")
    secure = cfg["COOKIE_SECURE"]
    if secure is None:
        secure = cfg["ENV"] == "production"
    cfg.update(
        SESSION_COOKIE_SECURE=secure,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_DURATION=timedelta(days=cfg["REMEMBER_DAYS"]),
        PERMANENT_SESSION_LIFETIME=timedelta(days=cfg["REMEMBER_DAYS"]),
        # Quiz pages stay open for long; the token lives as long as the session.
        WTF_CSRF_TIME_LIMIT=None,
        RATELIMIT_STORAGE_URI=cfg["REDIS_URL"] or "memory://",
        RATELIMIT_HEADERS_ENABLED=True,
        BABEL_DEFAULT_LOCALE=cfg["LANGUAGES"][0],
        BABEL_DEFAULT_TIMEZONE="Asia/Shanghai",
        BABEL_TRANSLATION_DIRECTORIES=str(Path(app.root_path) / "translations"),
        MAX_CONTENT_LENGTH=20 * 1024 * 1024,
    )


def _check(app: Flask) -> None:
    """Refuse to start in production with settings that would be unsafe."""
    if app.config["ENV"] == "production" and app.config["SECRET_KEY"] == DEV_SECRET:
        raise RuntimeError(
            "STUDYAPP_SECRET_KEY is not set. Set it to a long random value "
            '(python -c "import secrets; print(secrets.token_urlsafe(32))"), '
            "or set STUDYAPP_ENV=development on a developer machine."
        )


def env_flag(name: str) -> bool:
    """True when the environment variable is set to a truthy word."""
    return os.environ.get(name, "").lower() in {"1", "true", "yes", "on"}
