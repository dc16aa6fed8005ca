"""Configuration: every key with its default and meaning, loaded in three layers."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

from studyapp.ops import paths

DEV_SECRET = "dev-insecure-secret-change-me"
PREFIX = "STUDYAPP_"
ENVS = ("production", "development", "testing")
#: Shortest secret key accepted in production (``secrets.token_urlsafe(32)`` is 43).
MIN_SECRET_LENGTH = 32
GENERATE_SECRET = 'python3 -c "import secrets; print(secrets.token_urlsafe(32))"'


class ConfigError(RuntimeError):
    """A setting that stops StudyApp from starting; the message says what to do."""


#: Every setting StudyApp reads. Set them as environment variables prefixed
#: ``STUDYAPP_`` (e.g. ``STUDYAPP_DATABASE_URL``), or in one env file: the file
#: named by ``STUDYAPP_CONFIG_FILE``, else ``.env`` in the working folder (the
#: environment wins over the file). Values are JSON-parsed when they look like
#: JSON (Flask ``from_prefixed_env``).
DEFAULTS: dict[str, Any] = {
    # "production" (default: strict), "development" (make run) or "testing".
    "ENV": "production",
    # Signs cookies and CSRF tokens. Must be set outside development/testing.
    "SECRET_KEY": DEV_SECRET,
    # Instance folder (SQLite database, uploads, backups, locks). Empty: the
    # checkout's instance/ when run from a checkout, else ./instance.
    "INSTANCE_PATH": "",
    # SQLAlchemy URL. Empty means SQLite in the instance folder.
    "DATABASE_URL": "",
    # SQLite busy timeout in seconds (waits for a writer instead of failing).
    "SQLITE_BUSY_TIMEOUT": 10,
    # Optional Redis URL: rate-limit counters shared across app nodes.
    "REDIS_URL": "",
    # Failed logins allowed per username + client address, and per address (a
    # higher ceiling: a meeting behind one Wi-Fi). Successful logins never count.
    # Counted in Redis when REDIS_URL is set, else in the database.
    "LOGIN_FAILURE_LIMIT": "10 per 15 minutes",
    "LOGIN_ADDRESS_FAILURE_LIMIT": "100 per 15 minutes",
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
    # Members see the ranking inside their branch (a unit may turn it on or
    # off for its subtree under 管理 › 设置; secretaries always see it).
    "MEMBER_RANKING": False,
    # Folder of the Markdown content (lessons/, quizzes/). Empty: the checkout's
    # content/ when run from a checkout, else ./content (``studyapp init
    # --sample-content`` fills it). Never inside the installed package.
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
    # PostgreSQL: the pg_dump program for the nightly ``backup-postgres`` job and
    # ``studyapp backup`` (e.g. "pg_dump" or "/usr/lib/postgresql/15/bin/pg_dump").
    # Empty: no scheduled PostgreSQL backup. pg_restore is looked up beside it.
    "PG_DUMP": "",
    # --- Operations (studyapp/ops) ---
    # One JSON line per request on stderr: "json", or "off". Empty: json in
    # production, off otherwise.
    "REQUEST_LOG": "",
    # Prometheus metrics at /metrics (prometheus_client). With several gunicorn
    # workers, set the environment variable PROMETHEUS_MULTIPROC_DIR and start
    # gunicorn with ``-c python:studyapp.ops.gunicorn_conf`` (studyapp/ops/metrics.py).
    "METRICS_ENABLED": False,
}


def load(app: Flask, test_config: Mapping[str, Any] | None = None) -> None:
    """Fill ``app.config`` from DEFAULTS, then ``STUDYAPP_*`` env vars, then tests."""
    app.config.from_mapping(DEFAULTS)
    app.config.from_mapping(file_settings(env_file()))
    app.config.from_prefixed_env("STUDYAPP")
    if test_config is not None:
        app.config.from_mapping(test_config)
        if test_config.get("TESTING") and "ENV" not in test_config:
            app.config["ENV"] = "testing"
    _derive(app)
    _check(app)


def env_file() -> Path | None:
    """The env file in force: ``STUDYAPP_CONFIG_FILE``, else ``./.env`` if present."""
    named = os.environ.get(PREFIX + "CONFIG_FILE")
    if named:
        path = Path(named).expanduser()
        if not path.is_file():
            raise ConfigError(
                f"STUDYAPP_CONFIG_FILE={named}：文件不存在。请改正路径，或用 "
                f"`studyapp init --env-file {named}` 生成。\n"
                f"STUDYAPP_CONFIG_FILE={named} does not exist: fix the path or "
                "create it with `studyapp init`."
            )
        return path
    local = Path.cwd() / ".env"
    return local if local.is_file() else None


def file_settings(path: Path | None) -> dict[str, Any]:
    """The ``STUDYAPP_*`` settings of an env file not also set in the environment."""
    if path is None:
        return {}
    from dotenv import dotenv_values

    try:
        values = dotenv_values(path)
    except OSError as exc:
        raise ConfigError(
            f"无法读取配置文件 {path}：{exc.strerror}。\nCannot read {path}: {exc}"
        ) from None
    settings = {}
    for key, raw in values.items():
        if key.startswith(PREFIX) and raw is not None and key not in os.environ:
            settings[key[len(PREFIX) :]] = _parse(raw)
    settings.pop("CONFIG_FILE", None)
    return settings


def _parse(raw: str) -> Any:
    """As Flask's ``from_prefixed_env``: JSON when it parses, else the text."""
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def _derive(app: Flask) -> None:
    cfg = app.config
    app.instance_path = str(_instance_path(app))
    _make_folder(Path(app.instance_path), "STUDYAPP_INSTANCE_PATH")
    if not cfg["DATABASE_URL"]:
        cfg["DATABASE_URL"] = f"sqlite:///{Path(app.instance_path) / 'studyapp.db'}"
    _check_sqlite_folder(cfg["DATABASE_URL"])
    if not cfg["CONTENT_DIR"]:
        base = paths.CHECKOUT if paths.is_checkout() else Path.cwd()
        cfg["CONTENT_DIR"] = str(base / "content")
    # Rate-limit keys in a shared Redis start with this (several sites, one Redis).
    cfg.setdefault("RATELIMIT_KEY_PREFIX", "studyapp")
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
        RATELIMIT_STORAGE_URI=cfg["REDIS_URL"] or "studyapp-db://",
        RATELIMIT_HEADERS_ENABLED=True,
        BABEL_DEFAULT_LOCALE=cfg["LANGUAGES"][0],
        BABEL_DEFAULT_TIMEZONE="Asia/Shanghai",
        BABEL_TRANSLATION_DIRECTORIES=str(Path(app.root_path) / "translations"),
        MAX_CONTENT_LENGTH=20 * 1024 * 1024,
    )


def _instance_path(app: Flask) -> Path:
    configured = app.config["INSTANCE_PATH"]
    if configured:
        return Path(configured).expanduser().absolute()
    if paths.is_checkout():
        return Path(app.instance_path)  # Flask's default: <checkout>/instance
    # Installed: Flask would pick <venv>/var/studyapp-instance, lost with the venv.
    return Path.cwd() / "instance"


def _make_folder(folder: Path, setting: str) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"无法创建目录 {folder}（{exc.strerror}）。请给运行 StudyApp 的用户写权限，"
            f"或用 {setting} 指定别的目录。\n"
            f"Cannot create {folder} ({exc.strerror}): make it writable for the "
            f"StudyApp user, or set {setting}."
        ) from None


def _check_sqlite_folder(url: str) -> None:
    """A SQLite database's folder must be writable (the database, WAL, journal)."""
    if not url.startswith("sqlite:///") or url.endswith(":memory:"):
        return
    folder = Path(url.removeprefix("sqlite:///").split("?")[0]).parent
    _make_folder(folder, "STUDYAPP_DATABASE_URL")
    try:
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".write-test-")
    except OSError as exc:
        raise ConfigError(
            f"目录 {folder} 不可写（{exc.strerror}），SQLite 数据库放在这里。请给运行 "
            "StudyApp 的用户写权限（chown），或设置 STUDYAPP_INSTANCE_PATH。\n"
            f"{folder} is not writable ({exc.strerror}); the SQLite database lives "
            "there: chown it to the StudyApp user or set STUDYAPP_INSTANCE_PATH."
        ) from None
    os.close(fd)
    os.unlink(probe)


def _check(app: Flask) -> None:
    """Refuse to start with settings that would be unsafe or cannot work."""
    env = app.config["ENV"]
    if env not in ENVS:
        raise ConfigError(
            f"STUDYAPP_ENV={env} 无效：应为 production、development 或 testing。\n"
            f"STUDYAPP_ENV must be production, development or testing, not {env!r}."
        )
    if env == "production":
        problem = secret_key_problem(app.config["SECRET_KEY"])
        if problem:
            raise ConfigError(problem)


def secret_key_problem(key: str | None) -> str | None:
    """Why ``key`` is not fit for production (two lines), or None when it is."""
    if not key or key == DEV_SECRET:
        what = "STUDYAPP_SECRET_KEY 未设置"
        english = "STUDYAPP_SECRET_KEY is not set"
    elif len(key) < MIN_SECRET_LENGTH:
        what = (
            f"STUDYAPP_SECRET_KEY 太短（{len(key)} 个字符，至少 {MIN_SECRET_LENGTH}）"
        )
        english = f"STUDYAPP_SECRET_KEY is too short ({len(key)} characters)"
    else:
        return None
    return (
        f"{what}：运行 `studyapp init` 生成配置文件，或用 {GENERATE_SECRET} 生成一个；"
        "开发机上可设 STUDYAPP_ENV=development。\n"
        f"{english}: run `studyapp init`, or generate one with {GENERATE_SECRET}."
    )


def env_flag(name: str) -> bool:
    """True when the environment variable is set to a truthy word."""
    return os.environ.get(name, "").lower() in {"1", "true", "yes", "on"}
