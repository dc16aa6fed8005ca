"""Time the branch leaderboard (< 20 ms) and one secretary's report (< 100 ms) at
county scale (SPEC §8): 20,000 members, 1,200 branches, 180 days of history.

Run: ``.venv/bin/python bench/bench_reports.py [--db PATH-or-URL]``.
The database is a temporary SQLite file filled with bulk inserts: about 60 % of
member-days have a DailyActivity row, 3 % of members are exempt, 5 % joined
during the 180 days, and 1 % of rows are excused days. Quiz attempts (a weekly
quiz of 10 questions for the last 8 weeks) feed the quiz and item reports.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import studyapp.models  # noqa: F401  (every table)
from studyapp.db import Base, make_engine

TOWNS, BRANCHES_PER_TOWN, MEMBERS, DAYS = 20, 60, 20_000, 180
NOW = datetime(2026, 11, 20, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai
TODAY = date(2026, 11, 20)
TS = "2026-01-01 00:00:00.000000"


def _units() -> tuple[list[tuple[Any, ...]], list[int]]:
    units = [(1, "COUNTY", "县委", "committee", None, "/1/", TS)]
    branches, uid = [], 2
    for t in range(TOWNS):
        town = uid
        uid += 1
        units.append(
            (town, f"T{t:02d}", f"乡镇{t}党委", "committee", 1, f"/1/{town}/", TS)
        )
        for b in range(BRANCHES_PER_TOWN):
            units.append(
                (uid, f"T{t:02d}-B{b:02d}", f"乡镇{t}第{b}支部", "branch", town,
                 f"/1/{town}/{uid}/", TS)
            )  # fmt: skip
            branches.append(uid)
            uid += 1
    return units, branches


def _users(rng: random.Random, branches: list[int]) -> list[tuple[Any, ...]]:
    users = []
    for i in range(MEMBERS):
        branch = branches[i % len(branches)] if i < 3 * len(branches) else None
        joined = TS
        if rng.random() < 0.05:
            day = TODAY - timedelta(days=rng.randrange(DAYS))
            joined = f"{day.isoformat()} 02:00:00.000000"
        users.append(
            (i + 1, f"1{i:010d}", f"党员{i}", branch or rng.choice(branches), "x",
             "年老体弱" if rng.random() < 0.03 else None, 1, 0, joined)
        )  # fmt: skip
    return users


def _activity(rng: random.Random, users: list[tuple[Any, ...]]) -> Iterator[tuple]:
    rid = 0
    for d in range(DAYS):
        day = (TODAY - timedelta(days=DAYS - 1 - d)).isoformat()
        for u in users:
            if rng.random() >= 0.6 or u[8][:10] > day:
                continue
            rid += 1
            met, quiz = rng.random() < 0.6, rng.random() < 0.3
            yield (
                rid, u[0], day, u[3], 1800 if met else 600, 1, 1, quiz, int(quiz),
                rng.choice([60.0, 80.0, 100.0]) if quiz else None, rng.randrange(12),
                met, rng.random() < 0.01, False,
            )  # fmt: skip


def build(path: Path, seed: int = 7) -> None:
    """Create the schema with the app's metadata, then bulk-insert the county."""
    engine = make_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    engine.dispose()
    rng = random.Random(seed)
    con = sqlite3.connect(path)
    con.execute("PRAGMA synchronous=OFF")
    units, branches = _units()
    con.executemany(
        "INSERT INTO org_unit(id, code, name, kind, parent_id, path, created_at)"
        " VALUES (?,?,?,?,?,?,?)",
        units,
    )
    users = _users(rng, branches)
    con.executemany(
        "INSERT INTO user(id, username, name, branch_id, password_hash,"
        " exempt_reason, is_active, must_change_password, created_at)"
        " VALUES (?,?,?,?,?,?,?,?,?)",
        users,
    )
    con.executemany(
        "INSERT INTO role_grant(user_id, unit_id, role) VALUES (?,?,?)",
        [(users[i][0], users[i][3], "secretary") for i in range(len(branches))],
    )
    con.executemany(
        "INSERT INTO daily_activity(id, user_id, study_day, branch_id, study_seconds,"
        " lessons_finished, lessons_opened, daily_quiz_done, quizzes_done,"
        " quiz_score, points, goal_met, excused, made_up)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        _activity(rng, users),
    )
    _quizzes(con, rng, users)
    con.commit()
    con.execute("ANALYZE")
    con.close()


def _quizzes(con: sqlite3.Connection, rng: random.Random, users: list) -> None:
    """A weekly quiz of 10 single-choice questions, 8 occurrences, 70 % take it."""
    con.execute(
        "INSERT INTO quiz_definition(id, slug, title, kind, settings, intro_html,"
        " content_hash, revision, status, source_path, created_at, updated_at)"
        " VALUES (1, 'weekly', '每周一测', 'weekly', '{\"pass_score\": 60}', '',"
        " 'h', 1, 'active', 'q.md', ?, ?)",
        (TS, TS),
    )
    options = '[{"key": "A", "html": "甲"}, {"key": "B", "html": "乙"}, ' \
        '{"key": "C", "html": "丙"}]'  # fmt: skip
    for q in range(1, 11):
        con.execute(
            "INSERT INTO question(id, slug, type, tags, source_lesson, status,"
            " source_path, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
            (q, f"q{q}", "single", "[]", "sanhui", "active", "b.md", TS, TS),
        )
        con.execute(
            "INSERT INTO question_revision(id, question_id, number, content_hash,"
            " type, stem_html, options, answer, explanation_html, created_at)"
            " VALUES (?,?,1,'h','single',?,?,'\"A\"','',?)",
            (q, q, f"<p>第{q}题</p>", options, TS),
        )
    attempt_id = answer_id = 0
    for w in range(8):
        opens = datetime.combine(
            TODAY - timedelta(days=7 * (8 - w)), datetime.min.time()
        )
        con.execute(
            "INSERT INTO quiz_occurrence(id, definition_id, key, opens_at, closes_at,"
            " created_at) VALUES (?,?,?,?,?,?)",
            (w + 1, 1, f"w{w}", str(opens), str(opens + timedelta(days=7)), str(opens)),
        )
        for u in users:
            if rng.random() >= 0.7:
                continue
            attempt_id += 1
            right = [rng.random() < 0.3 + 0.05 * q for q in range(10)]
            con.execute(
                "INSERT INTO attempt(id, occurrence_id, user_id, number,"
                " definition_revision, seed, state, started_at, deadline,"
                " submitted_at, correct_count, question_count, score)"
                " VALUES (?,?,?,1,1,'s','graded',?,?,?,?,10,?)",
                (attempt_id, w + 1, u[0], str(opens), str(opens), str(opens),
                 sum(right), sum(right) * 10.0),
            )  # fmt: skip
            rows = []
            for q in range(10):
                answer_id += 1
                resp = '"A"' if right[q] else rng.choice(['"B"', '"C"', '"C"'])
                rows.append((answer_id, attempt_id, q, q + 1, q + 1, resp, right[q]))
            con.executemany(
                "INSERT INTO attempt_answer(id, attempt_id, position, question_id,"
                " revision_id, option_order, response, is_correct)"
                " VALUES (?,?,?,?,?,'[]',?,?)",
                rows,
            )


def timed(label: str, fn: Callable[[], Any], target_ms: float, n: int = 20) -> None:
    """Print the median and worst wall time, and the median CPU time (on a
    shared machine the wall time includes waiting for a core)."""
    fn()  # warm the cache
    runs, cpu = [], []
    for _ in range(n):
        started, cpu_started = time.perf_counter(), time.process_time()
        fn()
        runs.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    med, worst = statistics.median(runs), max(runs)
    flag = "ok" if med < target_ms else "SLOW"
    print(f"{label:<48} median {med:7.1f} ms  max {worst:7.1f} ms  "
          f"cpu {statistics.median(cpu):6.1f} ms  "
          f"(target < {target_ms:g} ms) {flag}")  # fmt: skip


def run(url: str) -> None:
    """Settle the rollup, then time the leaderboards and a secretary's report."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from studyapp.org.models import OrgUnit
    from studyapp.progress.leaderboard import branch_standings
    from studyapp.progress.settlement import settle

    engine = make_engine(url)
    with Session(engine) as session:
        started = time.perf_counter()
        summary = settle(session, NOW, TODAY)
        session.commit()
        print(f"first settle: {summary} in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        summary = settle(session, NOW, TODAY)
        session.commit()
        print(f"nightly settle: {summary} in {time.perf_counter() - started:.2f} s")
        county = session.scalar(select(OrgUnit).where(OrgUnit.code == "COUNTY"))
        town = session.scalar(select(OrgUnit).where(OrgUnit.code == "T07"))
        for unit in (county, town):
            for kind in ("week", "month", "year"):
                timed(
                    f"leaderboard {unit.code} ({kind})",
                    lambda u=unit, k=kind: branch_standings(session, u, k, TODAY),
                    20,
                )
        _time_first_day(session, county)
        _time_reports(session)
    engine.dispose()


def _time_first_day(session: Any, county: Any) -> None:
    """On a period's first day the period is today so far, read live; the
    previous week comes from what that night's settle wrote."""
    from studyapp.progress.leaderboard import branch_standings
    from studyapp.progress.settlement import settle

    monday = date(2026, 11, 16)
    settle(session, datetime(2026, 11, 15, 17, 0, tzinfo=UTC), monday)
    timed(
        "leaderboard COUNTY (Monday: today read live)",
        lambda: branch_standings(session, county, "week", monday),
        20,
    )
    session.rollback()


def secretary_report(session: Any, branch: Any) -> None:
    """What the 支部 dashboard and its print view query for one branch."""
    from studyapp.progress.leaderboard import member_ranking
    from studyapp.reports import queries
    from studyapp.reports.items import item_analysis
    from studyapp.reports.quizzes import occurrences

    queries.day_status(session, branch, TODAY)
    queries.member_periods(session, branch, TODAY - timedelta(days=4), TODAY, TODAY)
    queries.member_periods(session, branch, TODAY.replace(day=1), TODAY, TODAY)
    queries.trends(session, branch, TODAY)
    member_ranking(session, branch.id, "week", TODAY)
    occurrences(session, branch, NOW)
    item_analysis(session, branch, NOW - timedelta(days=30), NOW)


def _time_reports(session: Any) -> None:
    from sqlalchemy import select

    from studyapp.org.models import OrgUnit
    from studyapp.reports.items import item_analysis
    from studyapp.reports.queries import day_status_page

    branch = session.scalar(select(OrgUnit).where(OrgUnit.code == "T07-B13"))
    county = session.scalar(select(OrgUnit).where(OrgUnit.code == "COUNTY"))
    timed(
        "secretary report (one branch, every section)",
        lambda: secretary_report(session, branch),
        100,
    )
    timed(
        "item analysis (one branch, 365 days)",
        lambda: item_analysis(session, branch, NOW - timedelta(days=365), NOW),
        200,
    )
    for page in (1, 50):
        timed(
            f"participation COUNTY, page {page} of 200",
            lambda p=page: day_status_page(session, county, TODAY, (p - 1) * 200, 200),
            50,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--db",
        help="reuse or create this SQLite file, or a database URL of a county "
        "built by bench/generate.py (e.g. PostgreSQL)",
    )
    args = parser.parse_args()
    if args.db and "://" in args.db:
        run(args.db)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.db) if args.db else Path(tmp) / "county.db"
        if not path.exists():
            started = time.perf_counter()
            build(path)
            print(f"built {path} in {time.perf_counter() - started:.1f} s")
        run(f"sqlite:///{path}")


if __name__ == "__main__":
    main()
