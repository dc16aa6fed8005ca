"""Benchmark: member page throughput against a bare Flask "hello", and page weight.

Serves both apps with the same gunicorn setup (gthread, 2 workers × 4 threads, the
machine's 2 cores) on 127.0.0.1 and drives them with wrk (Debian package `wrk`)
for 10 s each, 32 connections, logged in as a demo member. SPEC §8: main member
pages at least 40 % of hello's throughput; first load of the member home under
60 KB compressed; an htmx swap under 5 KB.

Run: .venv/bin/python bench/bench_pages.py   (needs `apt-get install wrk`)
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
HELLO = (
    "from flask import Flask\napp = Flask(__name__)\n\n"
    "@app.get('/')\ndef hi():\n    return 'hello'\n"
)
PAGES = ["/", "/lessons", "/quizzes", "/me"]


def serve(
    app_spec: str, port: int, env: dict[str, str], cwd: Path
) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "-k",
            "gthread",
            "-w",
            "2",
            "--threads",
            "4",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            app_spec,
        ],
        cwd=cwd,
        env=env,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(
                f"http://127.0.0.1:{port}/login"
                if "wsgi" in app_spec
                else f"http://127.0.0.1:{port}/",
                timeout=1,
            )
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"{app_spec} did not start")


def wrk(url: str, cookie: str | None = None) -> float:
    args = ["wrk", "-t2", "-c32", "-d10s", url]
    if cookie:
        args[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def login(base: str) -> tuple[str, urllib.request.OpenerDirector]:
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = (
        f"username=13900010001&password=demo2026&remember=y&csrf_token={token}".encode()
    )
    opener.open(f"{base}/login", data=data)
    return "; ".join(f"{c.name}={c.value}" for c in jar), opener


def weights(base: str, opener: urllib.request.OpenerDirector) -> None:
    html = opener.open(f"{base}/").read()
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html)
    total = len(gzip.compress(html)) + sum(
        len(gzip.compress(opener.open(base + a.decode()).read())) for a in assets
    )
    print(
        f"member home first load: {total / 1024:.1f} KB gzip "
        f"(HTML + {len(assets)} assets; target < 60 KB)"
    )
    for path in ("/progress/today", "/lessons?q=%E5%85%9A"):
        req = urllib.request.Request(base + path, headers={"HX-Request": "true"})
        body = opener.open(req).read()
        print(f"htmx swap {path}: {len(gzip.compress(body))} B gzip (target < 5 KB)")


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    tmp = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    (tmp / "hello.py").write_text(HELLO)
    env = {
        **os.environ,
        "STUDYAPP_ENV": "development",
        "STUDYAPP_SECRET_KEY": "bench",
        "STUDYAPP_DATABASE_URL": f"sqlite:///{tmp}/pages.db",
        "STUDYAPP_RATELIMIT_ENABLED": "false",
    }
    subprocess.run(
        [str(BIN / "studyapp"), "demo"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    hello = serve("hello:app", 5801, env, tmp)
    try:
        base_rps = wrk("http://127.0.0.1:5801/")
    finally:
        hello.terminate()
        hello.wait()
    print(f"bare Flask hello: {base_rps:.0f} req/s")
    app = serve("wsgi:app", 5802, env, ROOT)
    try:
        base = "http://127.0.0.1:5802"
        cookie, opener = login(base)
        for path in PAGES:
            rps = wrk(base + path, cookie)
            print(
                f"{path}: {rps:.0f} req/s = {rps / base_rps:.0%} of hello "
                "(target ≥ 40 %)"
            )
        weights(base, opener)
    finally:
        app.terminate()
        app.wait()


if __name__ == "__main__":
    main()
