"""The morning rush: member pages against a bare Flask "hello", same server, same run.

    .venv/bin/python bench/rush.py [--db URL] [--rounds 3] [--seconds 5]

Both apps are served as the README deploys StudyApp: gunicorn, ``gthread``,
``-w 2 --threads 4`` (workers = this machine's 2 cores). The load tool is
``wrk`` (Debian package ``wrk``) with 16 connections, or, without it, a small
Python load generator (threads with keep-alive connections; it costs the
machine's CPU too, so ratios are then lower). Every request is made logged in:
a county member for the member pages, that branch's secretary for 支部.

Rounds alternate: each round measures hello, then every endpoint, then hello
again, and an endpoint's ratio is its throughput over the mean of the two hello
figures of its own round. The table gives the median over rounds (and the
range), with latency percentiles from the load tool. Ratios, not req/s, are the
result: the machine may be shared.

``--db`` is a database made by ``bench/generate.py`` (default
``sqlite:///instance/county.db``; built first when that file is missing).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
HELLO = (
    "from flask import Flask\napp = Flask(__name__)\n\n"
    "@app.get('/')\ndef hi():\n    return 'hello'\n"
)
MEMBER, SECRETARY, PASSWORD = "10000005000", "10000000000", "demo2026"
ARGS = argparse.Namespace(member=MEMBER, secretary=SECRETARY)
TARGETS = {"page": 0.20, "json": 0.35, "write": 0.20}


def serve(spec: str, port: int, env: dict[str, str], cwd: Path) -> Any:
    proc = subprocess.Popen(
        [str(BIN / "gunicorn"), "-k", "gthread", "-w", "2", "--threads", "4",
         "-b", f"127.0.0.1:{port}", "--log-level", "warning", spec],
        cwd=cwd, env=env,
    )  # fmt: skip
    for _ in range(150):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/login" if spec.startswith("wsgi") else "/")
            conn.getresponse().read()
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"{spec} did not start on port {port}")


class Browser:
    """A logged-in client: cookies and the CSRF token of its pages."""

    def __init__(self, port: int, username: str) -> None:
        self.port, self.cookies, self.csrf = port, {}, ""
        page = self.get("/login")
        self.csrf = _csrf(page)
        body = urllib.parse.urlencode({"username": username, "password": PASSWORD,
                                       "csrf_token": self.csrf})  # fmt: skip
        status, _ = self.send("POST", "/login", body,
                              {"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
        if status != 302:
            raise RuntimeError(f"login as {username} failed ({status})")
        self.csrf = _csrf(self.get("/me"))

    def cookie(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def send(self, method: str, path: str, body: str | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, str]:  # fmt: skip
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.request(method, path, body, {"Cookie": self.cookie(), **(headers or {})})
        resp = conn.getresponse()
        text = resp.read().decode()
        for header, value in resp.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";")[0]
        return resp.status, text

    def get(self, path: str) -> str:
        return self.send("GET", path)[1]


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"|"X-CSRFToken": "([^"]+)"',
                      html)  # fmt: skip
    if not found:
        raise RuntimeError("no CSRF token on the page")
    return found.group(1) or found.group(2)


def endpoints(port: int) -> list[dict[str, Any]]:
    """(name, kind, method, path, body, headers, cookie) of every measured request."""
    member, secretary = Browser(port, ARGS.member), Browser(port, ARGS.secretary)
    lessons = member.get("/lessons")
    slug = re.search(r'href="/lessons/([^"?]+)"', lessons).group(1)  # type: ignore[union-attr]
    status, text = member.send("POST", "/api/v1/quizzes/daily/attempts", "",
                               {"X-CSRFToken": member.csrf})  # fmt: skip
    if status not in (200, 201):
        raise RuntimeError(f"could not start the daily quiz: {status} {text[:200]}")
    attempt = json.loads(text)["attempt_id"]
    question = member.get(f"/attempts/{attempt}/q/1")
    form = {"csrf_token": _csrf(question)}
    for name, value in re.findall(
        r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', question
    ):
        form.setdefault(name, value)
    for name in re.findall(r'<input[^>]*type="text"[^>]*name="(\w+)"', question):
        form[name] = "党组织"
    beat = json.dumps({"lesson_id": slug, "page_id": "rush"})
    jh = {"X-CSRFToken": member.csrf, "Content-Type": "application/json"}
    fh = {"Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true"}
    m, s = member.cookie(), secretary.cookie()
    return [
        {"name": "首页 /", "kind": "page", "path": "/", "cookie": m},
        {"name": "学习 /lessons", "kind": "page", "path": "/lessons", "cookie": m},
        {"name": "a lesson", "kind": "page", "path": f"/lessons/{slug}", "cookie": m},
        {"name": "答题 /quizzes", "kind": "page", "path": "/quizzes", "cookie": m},
        {"name": "a quiz question", "kind": "page",
         "path": f"/attempts/{attempt}/q/1", "cookie": m},
        {"name": "我的 /me", "kind": "page", "path": "/me", "cookie": m},
        {"name": "排行 /leaderboard", "kind": "page", "path": "/leaderboard",
         "cookie": m},
        {"name": "支部 /branch", "kind": "page", "path": "/branch", "cookie": s},
        {"name": "GET /api/v1/me", "kind": "json", "path": "/api/v1/me", "cookie": m},
        {"name": "GET /api/v1/quizzes", "kind": "json", "path": "/api/v1/quizzes",
         "cookie": m},
        {"name": "heartbeat", "kind": "write", "path": "/api/v1/study/heartbeat",
         "method": "POST", "body": beat, "headers": jh, "cookie": m},
        {"name": "answer save", "kind": "write",
         "path": f"/attempts/{attempt}/q/1", "method": "POST",
         "body": urllib.parse.urlencode(form), "headers": fh, "cookie": m},
    ]  # fmt: skip


LUA = """
wrk.method = {method}
wrk.body = {body}
{headers}
done = function(summary, latency, requests)
  io.write(string.format("PCT %d %d %d %d\\n", latency:percentile(50),
    latency:percentile(95), latency:percentile(99), summary.errors.status))
end
"""


def _lua(spec: dict[str, Any], folder: Path) -> Path:
    headers = {"Cookie": spec.get("cookie", ""), **spec.get("headers", {})}
    lines = "\n".join(f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}"
                      for k, v in headers.items() if v)  # fmt: skip
    script = folder / f"{abs(hash(spec['name']))}.lua"
    script.write_text(LUA.format(method=json.dumps(spec.get("method", "GET")),
                                 body=json.dumps(spec.get("body") or ""),
                                 headers=lines))  # fmt: skip
    return script


def run_wrk(
    port: int, spec: dict[str, Any], seconds: int, folder: Path
) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{seconds}s", "-s", str(_lua(spec, folder)),
         f"http://127.0.0.1:{port}{spec['path']}"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50, p95, p99, bad = (
        int(x) for x in re.search(r"PCT (\d+) (\d+) (\d+) (\d+)", out).groups()
    )  # type: ignore[union-attr]
    return {"rps": rps, "p50": p50 / 1000, "p95": p95 / 1000, "p99": p99 / 1000,
            "errors": bad}  # fmt: skip


def run_python(
    port: int, spec: dict[str, Any], seconds: int, _folder: Path
) -> dict[str, float]:
    """Fallback load generator: 16 threads, keep-alive, for ``seconds``."""
    stop = time.perf_counter() + seconds
    times: list[float] = []
    errors = [0]
    lock = threading.Lock()
    headers = {"Cookie": spec.get("cookie", ""), **spec.get("headers", {})}

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while time.perf_counter() < stop:
            t = time.perf_counter()
            conn.request(
                spec.get("method", "GET"), spec["path"], spec.get("body"), headers
            )
            resp = conn.getresponse()
            resp.read()
            if resp.status >= 400:
                errors[0] += 1
            mine.append((time.perf_counter() - t) * 1000)
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    times.sort()
    pick = lambda q: times[min(len(times) - 1, int(q * len(times)))]  # noqa: E731
    return {"rps": len(times) / seconds, "p50": pick(0.5), "p95": pick(0.95),
            "p99": pick(0.99), "errors": errors[0]}  # fmt: skip


def rush(url: str, rounds: int, seconds: int, label: str,
         apps: list[tuple[str, Path]]) -> dict[str, list[dict[str, Any]]]:  # fmt: skip
    """Per app (name, checkout): every endpoint's ratio to hello, per round."""
    tmp = Path(tempfile.mkdtemp(prefix="rush-"))
    (tmp / "hello.py").write_text(HELLO)
    env = {**os.environ, "STUDYAPP_ENV": "development", "STUDYAPP_SECRET_KEY": "bench",
           "STUDYAPP_DATABASE_URL": url, "STUDYAPP_RATELIMIT_ENABLED": "false",
           "PYTHONDONTWRITEBYTECODE": "1"}  # fmt: skip
    load = run_wrk if shutil.which("wrk") else run_python
    tool = "wrk" if load is run_wrk else "python load generator (no wrk)"
    servers = [serve("hello:app", 5811, env, tmp)]
    ports = {}
    for i, (name, folder) in enumerate(apps):
        ports[name] = 5812 + i
        servers.append(serve("wsgi:app", ports[name], env, folder))
    results: dict[str, dict[str, list[dict[str, float]]]] = {n: {} for n, _ in apps}
    try:
        # The same logins serve every checkout: sessions live in the database.
        specs = endpoints(ports[apps[0][0]])
        for port in ports.values():
            for spec in specs:  # warm both workers' caches
                load(port, spec, 1, tmp)
        print(f"{label}: {tool}, {rounds} rounds × {len(specs)} endpoints × "
              f"{len(apps)} checkouts × {seconds} s")  # fmt: skip
        for r in range(rounds):
            before = load(5811, {"name": "hello", "path": "/"}, seconds, tmp)["rps"]
            measured = [(name, spec, load(port, spec, seconds, tmp))
                        for spec in specs for name, port in ports.items()]  # fmt: skip
            after = load(5811, {"name": "hello", "path": "/"}, seconds, tmp)["rps"]
            base = (before + after) / 2
            print(f"  round {r + 1}: hello {before:.0f} / {after:.0f} req/s")
            for name, spec, m in measured:
                results[name].setdefault(spec["name"], []).append(
                    {**m, "ratio": m["rps"] / base}
                )
    finally:
        for proc in servers:
            proc.terminate()
            proc.wait()
    return {name: _table(specs, results[name]) for name, _ in apps}


def _table(
    specs: list[dict[str, Any]], results: dict[str, list[dict[str, float]]]
) -> list[dict[str, Any]]:
    table = []
    for spec in specs:
        runs = results[spec["name"]]
        ratios = [x["ratio"] for x in runs]
        table.append({
            "name": spec["name"], "kind": spec["kind"],
            "ratio": statistics.median(ratios), "low": min(ratios), "high": max(ratios),
            "p50": statistics.median(x["p50"] for x in runs),
            "p95": statistics.median(x["p95"] for x in runs),
            "p99": statistics.median(x["p99"] for x in runs),
            "errors": sum(x["errors"] for x in runs),
        })  # fmt: skip
    return table


def report(label: str, tables: dict[str, list[dict[str, Any]]]) -> None:
    names = list(tables)
    print(f"\n{label}: throughput as a share of hello (median of rounds, range)")
    if len(names) > 1:
        print("| endpoint | " + " | ".join(names) + " |")
        print("|---|" + "---|" * len(names))
        for i, row in enumerate(tables[names[0]]):
            cells = [f"{tables[n][i]['ratio']:.3f}" for n in names]
            print(f"| {row['name']} | " + " | ".join(cells) + " |")
        print()
    table = tables[names[-1]]
    print(f"{names[-1]}:")
    print("| endpoint | StudyApp / hello | range | target | p50 ms | p95 ms | p99 ms |")
    print("|---|---|---|---|---|---|---|")
    for row in table:
        target = TARGETS[row["kind"]]
        flag = "" if row["ratio"] >= target else " (below)"
        errs = f" {row['errors']} errors" if row["errors"] else ""
        print(f"| {row['name']} | {row['ratio']:.3f}{flag} | {row['low']:.3f}–"
              f"{row['high']:.3f} | {target:.2f} | {row['p50']:.1f} | {row['p95']:.1f} | "
              f"{row['p99']:.1f}{errs} |")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", action="append",
                        help="database URL (repeat for SQLite and PostgreSQL)")  # fmt: skip
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--member", default=MEMBER, help="login of the member")
    parser.add_argument("--secretary", default=SECRETARY,
                        help="login of a branch secretary")  # fmt: skip
    parser.add_argument("--baseline", type=Path,
                        help="another checkout (say, the main branch) measured in the "
                             "same rounds, for before/after ratios")  # fmt: skip
    args = parser.parse_args()
    ARGS.member, ARGS.secretary = args.member, args.secretary
    urls = args.db or ["sqlite:///instance/county.db"]
    for url in urls:
        if url.startswith("sqlite:///") and not Path(url[10:]).exists():
            subprocess.run([str(BIN / "python"), str(ROOT / "bench" / "generate.py"),
                            "--db", url], check=True)  # fmt: skip
    for url in urls:
        label = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
        apps = [("before", args.baseline)] if args.baseline else []
        apps.append(("this checkout", ROOT))
        report(label, rush(url, args.rounds, args.seconds, label, apps))


if __name__ == "__main__":
    sys.exit(main())
