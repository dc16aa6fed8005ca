"""Helpers for the deployment tests: build the wheel, a venv, real processes, HTTP.

Everything runs on 127.0.0.1 ports picked free by the OS, and every process
started here is stopped by the fixture that started it.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from tests.conftest import csrf_from

ROOT = Path(__file__).resolve().parents[2]
SKIP_DIRS = {".venv", ".git", "build", "dist", "instance", "test-artifacts", "backups"}


def copy_source(dest: Path) -> None:
    """The checkout as git would ship it (tracked and new files), nothing built."""
    try:
        listed = (
            subprocess.run(
                ["git", "ls-files", "-co", "--exclude-standard", "-z"],
                cwd=ROOT,
                capture_output=True,
                check=True,
            )
            .stdout.decode()
            .split("\0")
        )
    except (OSError, subprocess.CalledProcessError):
        listed = [
            str(p.relative_to(ROOT))
            for p in ROOT.rglob("*")
            if p.is_file() and not SKIP_DIRS & set(p.relative_to(ROOT).parts)
        ]
    for name in filter(None, listed):
        src = ROOT / name
        if src.is_file() and not name.endswith(".mo"):
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)


def run(command: list[Any], **kw: Any) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(c) for c in command], capture_output=True, text=True, timeout=600, **kw
    )
    assert done.returncode == 0, f"{command}:\n{done.stdout}\n{done.stderr}"
    return done


def build_venv(tmp: Path) -> Path:
    """Build the wheel from a clean copy, install it into a new venv; its bin/."""
    copy_source(tmp / "src")
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "-w",
            tmp / "dist",
            tmp / "src",
        ]
    )
    wheel = next((tmp / "dist").glob("studyapp-*.whl"))
    run([sys.executable, "-m", "venv", tmp / "venv"])
    run([tmp / "venv/bin/pip", "install", "-q", wheel])
    return tmp / "venv" / "bin"


def clean_env(bin_dir: Path, **extra: str) -> dict[str, str]:
    """The machine's environment without StudyApp settings or the checkout."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("STUDYAPP_", "PYTHON", "VIRTUAL_ENV", "FLASK_"))
    }
    env["PATH"] = f"{bin_dir}:{env.get('PATH', '/usr/bin:/bin')}"
    env.update(extra)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Process:
    """A long-running process with its log; stopped with SIGTERM."""

    def __init__(self, command: list[Any], cwd: Path, env: dict[str, str], log: Path):
        self.log = log
        with log.open("w") as out:
            self.proc = subprocess.Popen(
                [str(c) for c in command],
                cwd=cwd,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def text(self) -> str:
        return self.log.read_text()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=30)


def gunicorn(
    bin_dir: Path,
    cwd: Path,
    env: dict[str, str],
    port: int,
    log: Path,
    workers: int = 1,
) -> Process:
    """gunicorn with StudyApp's packaged config, as docs/operations.md runs it."""
    command = [
        bin_dir / "gunicorn",
        "-c",
        "python:studyapp.ops.gunicorn_conf",
        "-b",
        f"127.0.0.1:{port}",
        "-w",
        str(workers),
        "--threads",
        "2",
        "studyapp:create_app()",
    ]
    node = Process(command, cwd, env, log)
    wait_until(lambda: _answers(port), 60, f"gunicorn on {port}", node)
    return node


def _answers(port: int) -> bool:
    try:
        return Browser(port).get("/healthz")[0] == 200
    except OSError:
        return False


def wait_until(ok: Any, seconds: float, what: str, proc: Process | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if ok():
            return
        if proc is not None and proc.proc.poll() is not None:
            raise AssertionError(f"{what}: exited\n{proc.text()}")
        time.sleep(0.2)
    raise AssertionError(
        f"{what}: not within {seconds} s\n{proc.text() if proc else ''}"
    )


FORM = {"Content-Type": "application/x-www-form-urlencoded"}


class Browser:
    """A phone behind nginx with HTTPS (X-Forwarded-Proto https), cookies kept;
    ``https=False``: plain http straight to gunicorn."""

    def __init__(
        self, port: int, cookies: dict[str, str] | None = None, https: bool = True
    ) -> None:
        self.port = port
        self.cookies = cookies if cookies is not None else {}
        self.https = https

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        origin = f"{'https' if self.https else 'http'}://127.0.0.1:{self.port}"
        sent = {"Referer": origin + "/login", "Host": f"127.0.0.1:{self.port}"}
        if self.https:
            sent["X-Forwarded-Proto"] = "https"
        sent.update(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            conn.request(method, path, body=body, headers=sent)
            resp = conn.getresponse()
            text = resp.read().decode()
            for cookie in resp.headers.get_all("Set-Cookie") or []:
                name, _, value = cookie.split(";")[0].partition("=")
                if (
                    value
                    and "Max-Age=0" not in cookie
                    and "Expires=Thu, 01 Jan 1970" not in cookie
                ):
                    self.cookies[name] = value
                else:
                    self.cookies.pop(name, None)
            return resp.status, dict(resp.headers), text
        finally:
            conn.close()

    def get(self, path: str) -> tuple[int, dict[str, str], str]:
        return self.request("GET", path)

    def login(self, username: str, password: str) -> tuple[int, dict[str, str], str]:
        token = csrf_from(self.get("/login")[2])
        form = urlencode(
            {"username": username, "password": password, "csrf_token": token}
        )
        return self.request("POST", "/login", form.encode(), FORM)

    def change_password(self, current: str, new: str) -> tuple[int, Any, str]:
        """Fill in 修改密码, as a member must after logging in with an initial
        password."""
        token = csrf_from(self.get("/me/password")[2])
        form = urlencode({"current_password": current, "new_password": new,
                          "confirm": new, "csrf_token": token})  # fmt: skip
        return self.request("POST", "/me/password", form.encode(), FORM)

    def api(self, method: str, path: str, data: Any, csrf: str) -> tuple[int, Any]:
        status, _, text = self.request(
            method,
            path,
            json.dumps(data).encode(),
            {"Content-Type": "application/json", "X-CSRFToken": csrf},
        )
        return status, json.loads(text) if text else None
