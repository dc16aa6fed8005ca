"""``studyapp doctor``'s checks: each returns ok, warn or fail with one sentence."""

from __future__ import annotations

import json
import shutil
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from flask import Flask

from studyapp.config import secret_key_problem
from studyapp.db import get_engine, get_session
from studyapp.ops.health import schema_state
from studyapp.ops.paths import missing_catalogs
from studyapp.timeutil import utcnow

OK, WARN, FAIL = "ok", "warn", "fail"
#: The nightly backup is older than this: warn.
BACKUP_AGE = timedelta(hours=26)
#: Free disk space below this fails, below WARN_FREE (or 10 %) warns.
FAIL_FREE, WARN_FREE = 1 << 30, 5 << 30


@dataclass(frozen=True)
class Result:
    name: str
    status: str
    message: str

    def line(self) -> str:
        return f"{self.status:<4}  {self.name}: {self.message}"


def run_checks(
    app: Flask, *, urls: list[str] | None = None, workers: int | None = None
) -> list[Result]:
    """Every check in order (app context); a check that raises is a fail."""
    now = utcnow()
    checks: list[tuple[str, Callable[[], tuple[str, str]]]] = [
        ("database", lambda: database()),
        ("secret key", lambda: secret_key(app)),
        ("cookies", lambda: cookies(app)),
        ("redis", lambda: redis_check(app, workers)),
        ("scheduler", lambda: scheduler(now)),
        ("backups", lambda: backups(app, now)),
        ("disk", lambda: disk(app)),
        ("translations", lambda: translations(app)),
    ]
    checks += [(f"node {url}", lambda url=url: node(url)) for url in urls or []]
    results = []
    for name, check in checks:
        try:
            status, message = check()
        except Exception as exc:  # noqa: BLE001 (a broken check is a failed check)
            status, message = FAIL, f"{type(exc).__name__}: {exc}".splitlines()[0]
        results.append(Result(name, status, message))
    return results


def database() -> tuple[str, str]:
    ready, what = schema_state(get_engine())
    url = get_engine().url.render_as_string(hide_password=True)
    return (OK if ready else FAIL), f"{url} {what}"


def secret_key(app: Flask) -> tuple[str, str]:
    key = app.config["SECRET_KEY"]
    problem = secret_key_problem(key)
    if problem is None:
        return OK, f"set ({len(key)} characters)"
    if app.config["ENV"] == "production":
        return FAIL, problem.splitlines()[-1]
    return WARN, f"weak, acceptable only because STUDYAPP_ENV={app.config['ENV']}"


def cookies(app: Flask) -> tuple[str, str]:
    secure = bool(app.config["SESSION_COOKIE_SECURE"])
    proxies = int(app.config["PROXY_COUNT"])
    production = app.config["ENV"] == "production"
    if secure and proxies == 0:
        return WARN, (
            "HTTPS-only cookies but STUDYAPP_PROXY_COUNT=0: unless gunicorn serves "
            "HTTPS itself, set STUDYAPP_PROXY_COUNT=1 and have nginx send "
            "X-Forwarded-Proto, or every login fails"
        )
    if secure:
        return OK, f"HTTPS-only; scheme from X-Forwarded-Proto of {proxies} proxy(ies)"
    if production:
        return (
            WARN,
            "cookies also travel over plain HTTP (STUDYAPP_COOKIE_SECURE=false)",
        )
    return OK, f"plain-HTTP cookies (STUDYAPP_ENV={app.config['ENV']})"


def redis_check(app: Flask, workers: int | None) -> tuple[str, str]:
    url = app.config["REDIS_URL"]
    if url:
        import redis

        client = redis.Redis.from_url(url, socket_timeout=3, socket_connect_timeout=3)
        try:
            client.ping()
        except redis.RedisError as exc:
            return FAIL, f"{_hide(url)} does not answer: {exc}"
        finally:
            client.close()
        return OK, f"{_hide(url)} answers"
    # Without Redis the login counters are in the database, which every
    # worker and node already shares (studyapp/ratelimit.py).
    return OK, "not configured: login counters are kept in the database"


def scheduler(now: datetime) -> tuple[str, str]:
    from studyapp.jobs import runs
    from studyapp.jobs.models import FAILED
    from studyapp.jobs.status import QUIET

    session = get_session()
    last = runs.last_activity(session)
    if last is None:
        return FAIL, "no job has ever run: start one `studyapp jobs run`"
    minutes = int((now - last).total_seconds() // 60)
    if now - last > QUIET:
        return FAIL, (
            f"last run started {minutes} min ago: is `studyapp jobs run` running? "
            "(systemctl status studyapp-jobs)"
        )
    job_ids = _job_ids()
    failing = [
        j for j, r in runs.latest_runs(session, job_ids).items() if r.status == FAILED
    ]
    if failing:
        return (
            WARN,
            f"running, but failing: {', '.join(sorted(failing))} (studyapp jobs list)",
        )
    return OK, f"last run started {minutes} min ago"


def _job_ids() -> list[str]:
    from flask import current_app

    from studyapp.jobs.registry import load_jobs

    return [job.id for job in load_jobs(current_app.config)]


def backups(app: Flask, now: datetime) -> tuple[str, str]:
    from studyapp.jobs.backup import backup_folder, backup_pattern

    engine = get_engine()
    if engine.dialect.name == "sqlite" and engine.url.database in (
        None,
        "",
        ":memory:",
    ):
        return OK, "in-memory database: nothing to back up"
    if engine.dialect.name == "postgresql" and not app.config["PG_DUMP"]:
        return WARN, (
            "no scheduled PostgreSQL backup: set STUDYAPP_PG_DUMP=pg_dump, or back "
            "up with your own pg_dump"
        )
    folder = backup_folder()
    files = sorted(folder.glob(backup_pattern(engine.dialect.name)))
    if not files:
        return WARN, f"no backup yet in {folder} (the backup job runs at night)"
    newest = files[-1]
    age = now - datetime.fromtimestamp(newest.stat().st_mtime, tz=now.tzinfo)
    hours = age.total_seconds() / 3600
    if age > BACKUP_AGE:
        return WARN, f"newest backup {newest} is {hours:.0f} h old"
    return OK, f"newest {newest} ({hours:.1f} h old)"


def disk(app: Flask) -> tuple[str, str]:
    from studyapp.jobs.backup import backup_folder

    folders = [Path(app.instance_path), backup_folder()]
    database = get_engine().url.database
    if get_engine().dialect.name == "sqlite" and database and database != ":memory:":
        folders.append(Path(database).parent)
    worst: tuple[str, str] = (OK, "")
    notes = []
    devices = {f.resolve().stat().st_dev: f.resolve() for f in reversed(folders)}
    for folder in devices.values():
        usage = shutil.disk_usage(folder)
        free_gb = usage.free / (1 << 30)
        notes.append(f"{folder} {free_gb:.1f} GiB free")
        if usage.free < FAIL_FREE:
            worst = (FAIL, "")
        elif (usage.free < WARN_FREE or usage.free < usage.total / 10) and worst[
            0
        ] == OK:
            worst = (WARN, "")
    return worst[0], "; ".join(notes)


def translations(app: Flask) -> tuple[str, str]:
    missing = missing_catalogs(list(app.config["LANGUAGES"]))
    if missing:
        return FAIL, (
            f"no compiled catalog for {', '.join(missing)} (the UI would show "
            "Chinese): reinstall the wheel, or in a checkout run "
            "`pybabel compile -d studyapp/translations`"
        )
    return OK, "compiled for " + ", ".join(app.config["LANGUAGES"][1:])


def node(url: str) -> tuple[str, str]:
    target = url.rstrip("/") + "/readyz"
    try:
        with urllib.request.urlopen(target, timeout=5) as resp:  # noqa: S310 (operator's URL)
            body = json.loads(resp.read() or b"{}")
            return OK, f"ready ({body.get('database', '')})"
    except urllib.error.HTTPError as exc:
        body = json.loads(exc.read() or b"{}")
        return FAIL, f"{exc.code}: {body.get('database', exc.reason)}"
    except (urllib.error.URLError, OSError) as exc:
        return FAIL, f"does not answer: {getattr(exc, 'reason', exc)}"


def _hide(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 (not an SQLAlchemy-style URL)
        return url.split("@")[-1]
