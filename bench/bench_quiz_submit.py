"""Benchmark: 100 members submit the daily quiz at once; member home under load.

Serves the real app (werkzeug, threaded) on 127.0.0.1 over a SQLite file with
the demo content; 100 members each hold an open daily-quiz attempt. Two load
shapes, server time measured inside the app (WSGI middleware), as SPEC §8
states its targets (submit and member home p95 < 50 ms at 100 concurrent users):

- burst: all 100 submit in the same instant (the worst case: SQLite takes one
  writer at a time, so the last in the queue waits for the other 99);
- spread: 100 members active together, each submitting at a random moment of a
  10-second window (what "100 concurrent users" means in practice).

Run: .venv/bin/python bench/bench_quiz_submit.py [--members 100]
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from werkzeug.serving import make_server  # noqa: E402

from studyapp import create_app  # noqa: E402
from studyapp.auth import service as auth_service  # noqa: E402
from studyapp.db import get_session  # noqa: E402
from studyapp.demo import load_demo  # noqa: E402
from studyapp.org.service import unit_by_code  # noqa: E402
from studyapp.timeutil import utcnow  # noqa: E402


class Timer:
    """WSGI middleware recording server time per (method, path prefix)."""

    def __init__(self, app):  # type: ignore[no-untyped-def]
        self.app, self.times = app, {}
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        body = b"".join(self.app(environ, start_response))
        key = environ["REQUEST_METHOD"] + " " + _kind(environ["PATH_INFO"])
        with self.lock:
            self.times.setdefault(key, []).append((time.perf_counter() - start) * 1000)
        return [body]


def _kind(path: str) -> str:
    if path.endswith("/submit"):
        return "submit"
    return "home" if path == "/" else path.split("/")[-1] or path


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) >= 20 else max(values)


def request(port, method, path, *, body=None, headers=None):  # type: ignore[no-untyped-def]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request(
        method,
        path,
        body=json.dumps(body) if body is not None else None,
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp.status, data


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=100)
    n = parser.parse_args().members
    tmp = Path(tempfile.mkdtemp(prefix="bench-quiz-"))
    app = create_app(
        {
            "ENV": "development",
            "SECRET_KEY": "bench",
            "RATELIMIT_ENABLED": False,
            "DATABASE_URL": f"sqlite:///{tmp}/bench.db",
        }
    )
    with app.app_context():
        load_demo(app, history_days=0)
        session = get_session()
        branch = unit_by_code(session, "DEMO-JG-01")
        for i in range(2 * n):
            auth_service.create_user(
                session,
                username=f"1500000{i:04d}",
                name=f"党员{i}",
                unit=branch,
                password="bench-pass",
                now=utcnow(),
            )
        session.commit()
    timer = Timer(app.wsgi_app)
    app.wsgi_app = timer  # type: ignore[method-assign]
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_port

    tokens, attempts = [], []
    for i in range(2 * n):
        _s, data = request(
            port,
            "POST",
            "/api/v1/auth/token",
            body={"username": f"1500000{i:04d}", "password": "bench-pass"},
        )
        token = json.loads(data)["token"]
        auth = {"Authorization": f"Bearer {token}"}
        _s, data = request(port, "POST", "/api/v1/quizzes/daily/attempts", headers=auth)
        attempt = json.loads(data)
        answers = {
            q["id"]: (
                q["options"][0]["key"]
                if q["options"]
                else (True if q["type"] == "truefalse" else ["党"] * q["blanks"])
            )
            for q in attempt["questions"]
        }
        tokens.append(auth)
        attempts.append((attempt["attempt_id"], answers))
    timer.times.clear()

    barrier = threading.Barrier(n)
    statuses: list[int] = []
    delays = [0.0] * (2 * n)

    def submit(i: int) -> None:
        barrier.wait()
        time.sleep(delays[i])
        attempt_id, answers = attempts[i]
        status, _ = request(
            port,
            "POST",
            f"/api/v1/attempts/{attempt_id}/submit",
            body={"answers": answers},
            headers=tokens[i],
        )
        statuses.append(status)

    def me(i: int) -> None:
        barrier.wait()
        status, _ = request(port, "GET", "/api/v1/me", headers=tokens[i])
        statuses.append(status)

    import random

    rng = random.Random(7)
    runs = (
        ("submit burst", submit, [0.0] * n, range(n)),
        (
            "submit spread",
            submit,
            [rng.uniform(0, 10) for _ in range(n)],
            range(n, 2 * n),
        ),
        ("me burst", me, [0.0] * n, range(n)),
    )
    for name, fn, spread, users in runs:
        statuses.clear()
        timer.times.clear()
        delays[:] = [0.0] * (2 * n)
        for slot, i in enumerate(users):
            delays[i] = spread[slot] if slot < len(spread) else 0.0
        barrier = threading.Barrier(len(users))
        threads = [threading.Thread(target=fn, args=(i,)) for i in users]
        wall = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - wall
        key = "POST submit" if name.startswith("submit") else "GET me"
        times = timer.times[key]
        ok = statuses.count(200)
        print(
            f"{name}: {len(users)} members, {ok} ok, wall {wall:.2f}s, server time "
            f"p50 {statistics.median(times):.1f} ms, p95 {p95(times):.1f} ms, "
            f"max {max(times):.1f} ms"
        )
    server.shutdown()


if __name__ == "__main__":
    main()
