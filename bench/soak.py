"""Memory under the rush mix: a gunicorn worker's RSS after many requests.

    .venv/bin/python bench/soak.py [--db URL] [--requests 100000] [--nodes 1|2]

Serves StudyApp as the README deploys it (gunicorn, ``gthread``, ``-w 2
--threads 4``) on a database made by ``bench/generate.py`` and sends the rush
mix of ``bench/rush.py`` (every endpoint in turn: 首页, 学习, a lesson, 答题, a
quiz question, 我的, 排行, 支部, the JSON reads, heartbeats and answer saves) with
``wrk`` until ``--requests`` have been served, sampling every worker's resident
memory (``/proc/<pid>/status`` VmRSS) along the way. The target (issue: speed at
county scale) is under 150 MB per worker after 100,000 requests.

``--nodes 2`` runs two gunicorn processes on one PostgreSQL database, with Redis
for rate limits (``--redis``) and one ``studyapp jobs run`` beside them, and
splits the load between the nodes (one ``wrk`` per node, at the same time). It
reports each node's requests, errors and memory, and after the run that every
scheduled job ran each occurrence once.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rush  # noqa: E402

ROOT = rush.ROOT
BIN = rush.BIN
TARGET_MB = 150

MIX = """
local specs = {specs}
local reqs = {{}}
local i = 0
init = function(args)
  for _, s in ipairs(specs) do
    table.insert(reqs, wrk.format(s.method, s.path, s.headers, s.body))
  end
end
request = function()
  i = i % #reqs + 1
  return reqs[i]
end
done = function(summary, latency, requests)
  io.write(string.format("SOAK %d %d %d %d\\n", summary.requests, summary.errors.status,
    latency:percentile(50), latency:percentile(99)))
end
"""


def _lua_table(specs: list[dict[str, Any]]) -> str:
    def one(spec: dict[str, Any]) -> str:
        headers = {"Cookie": spec.get("cookie", ""), **spec.get("headers", {})}
        pairs = ", ".join(
            f"[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items()
        )
        body = json.dumps(spec.get("body")) if spec.get("body") else "nil"
        return (
            f"{{method = {json.dumps(spec.get('method', 'GET'))}, "
            f"path = {json.dumps(spec['path'])}, headers = {{{pairs}}}, body = {body}}}"
        )

    return "{" + ", ".join(one(s) for s in specs) + "}"


def workers(master: int) -> list[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True
    ).stdout
    return [int(p) for p in out.split()]


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024  # type: ignore[union-attr]


def load(port: int, script: Path, seconds: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            "wrk",
            "-t2",
            "-c8",
            f"-d{seconds}s",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}/",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="sqlite:///instance/county.db")
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--chunk", type=int, default=20, help="seconds between samples")
    parser.add_argument("--nodes", type=int, default=1, choices=(1, 2))
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/7")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("bench/soak.py needs wrk (Debian: apt-get install wrk)")
    if args.nodes == 2 and not args.db.startswith("postgresql"):
        sys.exit("--nodes 2 needs a PostgreSQL --db (one database behind both nodes)")
    if args.db.startswith("sqlite:///") and not Path(args.db[10:]).exists():
        subprocess.run(
            [str(BIN / "python"), str(ROOT / "bench" / "generate.py"), "--db", args.db],
            check=True,
        )
    tmp = Path(tempfile.mkdtemp(prefix="soak-"))
    env = {
        **os.environ,
        "STUDYAPP_ENV": "development",
        "STUDYAPP_SECRET_KEY": "bench",
        "STUDYAPP_DATABASE_URL": args.db,
        "STUDYAPP_RATELIMIT_ENABLED": "false",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    procs: list[Any] = []
    if args.nodes == 2:
        env["STUDYAPP_REDIS_URL"] = args.redis
    ports = [5911 + n for n in range(args.nodes)]
    started = time.time()
    try:
        for port in ports:
            procs.append(rush.serve("wsgi:app", port, env, ROOT))
        if args.nodes == 2:
            log = (tmp / "scheduler.log").open("w")
            procs.append(
                subprocess.Popen(
                    [str(BIN / "studyapp"), "jobs", "run"],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        specs = rush.endpoints(ports[0])
        script = tmp / "mix.lua"
        script.write_text(MIX.format(specs=_lua_table(specs)))
        masters = procs[: len(ports)]
        start = {m.pid: {w: rss_mb(w) for w in workers(m.pid)} for m in masters}
        print(
            f"{len(specs)} endpoints in turn, {args.nodes} node(s), "
            f"target {args.requests:,} requests"
        )
        print(
            "worker RSS at start (MB): "
            + ", ".join(f"{v:.0f}" for ws in start.values() for v in ws.values())
        )
        served, errors = [0] * len(ports), [0] * len(ports)
        while sum(served) < args.requests:
            runs = [load(port, script, args.chunk) for port in ports]
            for n, run in enumerate(runs):
                out, _ = run.communicate()
                found = re.search(r"SOAK (\d+) (\d+) (\d+) (\d+)", out)
                if not found:
                    sys.exit(f"wrk gave no summary:\n{out}")
                served[n] += int(found.group(1))
                errors[n] += int(found.group(2))
            now = [rss_mb(w) for m in masters for w in workers(m.pid)]
            print(
                f"  {sum(served):>8,} requests  errors {sum(errors)}  "
                f"worker RSS (MB): {', '.join(f'{v:.0f}' for v in now)}",
                flush=True,
            )
        end = {m.pid: {w: rss_mb(w) for w in workers(m.pid)} for m in masters}
        print("\n| node | requests | errors | worker | RSS at start MB | at end MB |")
        print("|---|---|---|---|---|---|")
        for n, m in enumerate(masters):
            for w, mb in end[m.pid].items():
                first = start[m.pid].get(w, float("nan"))
                cells = [n + 1, f"{served[n]:,}", errors[n], w, f"{first:.0f}"]
                print("| " + " | ".join(map(str, cells)) + f" | {mb:.0f} |")
        worst = max(v for ws in end.values() for v in ws.values())
        verdict = "met" if worst < TARGET_MB else "NOT met"
        print(f"\nlargest worker: {worst:.0f} MB (target < {TARGET_MB} MB: {verdict})")
        if args.nodes == 2:
            print(jobs_once(args.db, started))
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait()


def jobs_once(url: str, since: float) -> str:
    """Every job occurrence that ran since ``since`` ran once."""
    from datetime import UTC, datetime

    from sqlalchemy import create_engine, func, select

    from studyapp.jobs.models import JobRun

    engine = create_engine(url)
    after = datetime.fromtimestamp(since, UTC)
    with engine.connect() as conn:
        rows = conn.execute(
            select(JobRun.job_id, JobRun.occurrence_key, func.count())
            .where(JobRun.started_at >= after)
            .group_by(JobRun.job_id, JobRun.occurrence_key)
        ).all()
    engine.dispose()
    twice = [r for r in rows if r[2] > 1]
    return (
        f"scheduler: {len(rows)} job occurrences ran during the soak, "
        f"{len(twice)} more than once" + (f": {twice}" if twice else "")
    )


if __name__ == "__main__":
    sys.exit(main())
