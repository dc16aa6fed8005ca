"""From the built wheel alone to a running deployment, outside the checkout.

The wheel is built from a clean copy of the checkout (no compiled catalogs), and
installed into a new virtualenv; every command below is the installed
``studyapp`` or ``gunicorn``, run in folders that are not the checkout, with no
StudyApp setting but the env file ``studyapp init`` wrote. On SQLite (the first
test) and, in the PostgreSQL run, with two gunicorn nodes, Redis and the
scheduler (the second), as docs/operations.md describes.
"""

from __future__ import annotations

import socket
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import (
    IS_POSTGRES,
    csrf_from,
    empty_pg_database,
)
from tests.ops.deploy_helpers import (
    FORM,
    Browser,
    Process,
    build_venv,
    clean_env,
    free_port,
    gunicorn,
    run,
    wait_until,
)

pytestmark = pytest.mark.slow

UNITS = (
    "组织编码,组织名称,类型,上级编码\n"
    "XM,厦门市委组织部机关党委,党委,\n"
    "XM-01,第一党支部,党支部,XM\n"
)
MEMBERS = (
    "账号,姓名,所在支部,角色,免于统计,初始密码\n"
    "13800000001,王建国,XM-01,党员,,wang-initial-1\n"
    "13800000002,李秀英,XM-01,书记,,\n"
)


@pytest.fixture(scope="module")
def venv_bin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_venv(tmp_path_factory.mktemp("wheel"))


@pytest.fixture
def processes() -> Iterator[list[Process]]:
    started: list[Process] = []
    yield started
    for proc in reversed(started):
        proc.stop()


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    (site / "units.csv").write_text(UNITS, encoding="utf-8")
    (site / "members.csv").write_text(MEMBERS, encoding="utf-8")
    return site


@pytest.mark.skipif(IS_POSTGRES, reason="runs once, in the SQLite run")
def test_the_wheel_deploys_on_sqlite_and_serves_a_login(venv_bin, tmp_path, processes):
    site = _site(tmp_path)
    env = clean_env(venv_bin)

    def studyapp(*args: str, cwd: Path = site, **extra: str):  # type: ignore[no-untyped-def]
        return run([venv_bin / "studyapp", *args], cwd=cwd, env={**env, **extra})

    assert studyapp("--version").stdout.startswith("StudyApp 0.")
    studyapp("init", "--sample-content")
    assert stat.S_IMODE((site / ".env").stat().st_mode) == 0o600
    studyapp("db", "upgrade")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()  # any folder, with the env file named
    studyapp("db", "upgrade", cwd=elsewhere, STUDYAPP_CONFIG_FILE=str(site / ".env"))
    out = studyapp(
        "org", "import", "units.csv", "members.csv", "--passwords-out", "pw.csv"
    )
    assert "党员：新增 2" in out.stdout
    assert stat.S_IMODE((site / "pw.csv").stat().st_mode) == 0o600
    assert "题目：新增" in studyapp("content", "publish").stdout
    assert (site / "instance" / "studyapp.db").is_file()

    port = free_port()
    processes.append(gunicorn(venv_bin, site, env, port, tmp_path / "web.log"))
    browser = Browser(port)
    assert browser.get("/readyz")[0] == 200
    status, headers, _ = browser.login("13800000001", "wang-initial-1")
    assert status == 302 and headers["Location"].endswith("/me/password")
    # an initial password must be changed before any other page opens
    assert browser.get("/")[1]["Location"].endswith("/me/password")
    assert browser.change_password("wang-initial-1", "wang-own-pass-2")[0] == 302
    assert "王建国" in browser.get("/")[2]  # logged in, on the home page
    english = Browser(port, {"lang": "en"}).get("/login")[2]
    assert "Log in" in english  # the compiled catalog is in the wheel

    # Plain http straight to gunicorn: the browser drops the Secure cookie.
    plain = Browser(port, https=False)
    token = csrf_from(plain.get("/login")[2])
    plain.cookies.clear()
    form = f"username=13800000001&password=wang-initial-1&csrf_token={token}"
    status, _, page = plain.request("POST", "/login", form.encode(), FORM)
    assert status == 400 and 'id="login-insecure"' in page and "页面已过期" not in page
    assert "plain HTTP" in (tmp_path / "web.log").read_text()


@pytest.mark.skipif(IS_POSTGRES, reason="runs once, in the SQLite run")
def test_the_installed_demo_refuses_in_production(venv_bin, tmp_path):
    site = _site(tmp_path)
    env = clean_env(venv_bin)
    run([venv_bin / "studyapp", "init"], cwd=site, env=env)
    done = run_failing([venv_bin / "studyapp", "demo"], site, env)
    assert "--yes-this-is-a-demo" in done.stderr and "Traceback" not in done.stderr


def run_failing(command, cwd, env):  # type: ignore[no-untyped-def]
    import subprocess

    done = subprocess.run(
        [str(c) for c in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done
    return done


def _redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), 1).close()
        return True
    except OSError:
        return False


def _answer(question: dict) -> object:
    keys = [o["key"] for o in question["options"]]
    return {
        "single": keys[:1] and keys[0],
        "multiple": keys[:1],
        "truefalse": True,
        "fill": ["党"] * max(question["blanks"], 1),
    }[question["type"]]


@pytest.mark.skipif(not IS_POSTGRES, reason="needs PostgreSQL (the PostgreSQL run)")
@pytest.mark.skipif(not _redis_answers(), reason="needs Redis on 127.0.0.1:6379")
def test_two_nodes_on_postgresql_with_redis_and_the_scheduler(
    venv_bin, tmp_path, processes
):
    site = _site(tmp_path)
    conf = site / "studyapp.env"
    env = clean_env(venv_bin, STUDYAPP_CONFIG_FILE=str(conf))
    url = empty_pg_database("deploy")

    def studyapp(*args: str):  # type: ignore[no-untyped-def]
        return run([venv_bin / "studyapp", *args], cwd=site, env=env)

    studyapp("init", "--folder", str(site), "--database-url", url, "--sample-content")
    with conf.open("a") as fh:  # the EDIT lines of a several-node deployment
        fh.write(
            "STUDYAPP_REDIS_URL=redis://127.0.0.1:6379/5\n"
            "STUDYAPP_PG_DUMP=pg_dump\nSTUDYAPP_METRICS_ENABLED=true\n"
        )
    studyapp("db", "upgrade")
    studyapp("org", "import", "units.csv", "members.csv")
    studyapp("content", "publish")

    ports = [free_port(), free_port()]
    for name, port in zip("ab", ports, strict=True):
        node_env = {
            **env,
            "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / f"metrics-{name}"),
        }
        processes.append(
            gunicorn(
                venv_bin, site, node_env, port, tmp_path / f"web-{name}.log", workers=2
            )
        )
    jobs = Process(
        [venv_bin / "studyapp", "jobs", "run"], site, env, tmp_path / "jobs.log"
    )
    processes.append(jobs)
    backups = site / "instance" / "backups"
    wait_until(lambda: any(backups.glob("studyapp-*.dump")), 90, "pg_dump backup", jobs)

    nodes = [f"--url=http://127.0.0.1:{p}" for p in ports]
    doctor = studyapp("doctor", *nodes, "--workers", "2").stdout
    assert "fail" not in doctor.split(), doctor

    a, b = Browser(ports[0]), None
    assert a.login("13800000001", "wang-initial-1")[0] == 302
    assert a.change_password("wang-initial-1", "wang-own-pass-2")[0] == 302
    b = Browser(ports[1], a.cookies)  # the same phone, the other node
    csrf = csrf_from(b.get("/")[2])
    status, attempt = b.api("POST", "/api/v1/quizzes/daily/attempts", {}, csrf)
    assert status == 200 and attempt["questions"], attempt
    answers = {q["id"]: _answer(q) for q in attempt["questions"]}
    path = f"/api/v1/attempts/{attempt['attempt_id']}/submit"
    status, result = a.api("POST", path, {"answers": answers}, csrf)
    assert status == 200 and len(result["results"]) == len(answers), result
    metrics = a.get("/metrics")[2]
    assert 'studyapp_quiz_submits_total{status="200"} 1.0' in metrics
