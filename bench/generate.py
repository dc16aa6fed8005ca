"""Build a county-scale StudyApp database for the benchmarks (SQLite or PostgreSQL).

    .venv/bin/python bench/generate.py --members 20000 --branches 1200 --days 180 \
        --db sqlite:///instance/county.db

What it makes, through the project's own schema (migrations), demo loader and
publishing path, then bulk inserts for the volume:

- the demo organisation, its logins (password ``demo2026``) and the sample
  content (lessons, banks, the daily and weekly quizzes), as ``studyapp demo``;
- a county under the demo root: 20 towns, ``--branches`` 党支部 spread over them,
  ``--members`` members (one secretary per branch; 3 % exempt; logins
  ``1`` + ten digits, the same password);
- ``--days`` days of DailyActivity for every member (about 60 % of member-days
  active, 60 % of those meeting the goal), a UserStats row each, and the nightly
  settlement run over it (branch_day rollups), as the scheduler would leave it.

The day-by-day ledgers (study_time, points_entry, activity_event) are only
written for the demo members: member pages read the rollups, and a rebuild of
the county from ledgers is not what is measured here.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TOWNS = 20
PASSWORD = "demo2026"


class Progress:
    """One line per stage, rewritten in place: ``stage  n/total  rate``."""

    def __init__(self, label: str, total: int) -> None:
        self.label, self.total, self.done = label, total, 0
        self.started = time.perf_counter()

    def add(self, n: int) -> None:
        before = 100 * self.done // max(self.total, 1)
        self.done += n
        if 100 * self.done // max(self.total, 1) == before and self.done < self.total:
            return
        spent = time.perf_counter() - self.started
        rate = self.done / spent if spent else 0
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        print(f"\r{self.label:<22} [{'#' * filled}{'.' * (width - filled)}] "
              f"{self.done:>9,}/{self.total:,}  {rate:,.0f}/s", end="", flush=True)  # fmt: skip

    def close(self) -> None:
        print(f"  {time.perf_counter() - self.started:.1f} s", flush=True)


def _chunks(rows: list[dict[str, Any]], size: int = 10_000) -> Any:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def build(url: str, members: int, branches: int, days: int, seed: int = 7) -> None:
    os.environ.setdefault("STUDYAPP_SECRET_KEY", "bench")
    from sqlalchemy import func, insert, select

    from studyapp import create_app
    from studyapp.auth import service as auth_service
    from studyapp.auth.models import RoleGrant, User
    from studyapp.db import get_session
    from studyapp.demo import demo_people, load_demo
    from studyapp.org.models import OrgUnit
    from studyapp.progress.models import DailyActivity, UserStats
    from studyapp.progress.settlement import settle
    from studyapp.timeutil import study_day

    app = create_app({"DATABASE_URL": url, "RATELIMIT_ENABLED": False,
                      "ENV": "development"})  # fmt: skip
    rng = random.Random(seed)
    with app.app_context():
        from studyapp.migrate import upgrade

        upgrade()
        session = get_session()
        if session.scalar(select(OrgUnit.id).where(OrgUnit.code == "COUNTY")):
            sys.exit(f"{url} already holds a county: use a new database")
        started = time.perf_counter()
        load_demo(app, history_days=0,
                  passwords={p[0]: PASSWORD for p in demo_people()})  # fmt: skip
        print(f"demo org and content     {time.perf_counter() - started:.1f} s")
        now = datetime.now(UTC)
        today = study_day(now)
        joined = now - timedelta(days=days + 30)
        root = session.scalar(select(OrgUnit).where(OrgUnit.parent_id.is_(None)))
        next_id = (session.scalar(select(func.max(OrgUnit.id))) or 0) + 1
        county_id = next_id
        units = [{"id": county_id, "code": "COUNTY", "name": "县委",
                  "kind": "committee", "parent_id": root.id,
                  "path": f"{root.path}{county_id}/", "created_at": joined}]  # fmt: skip
        branch_ids = []
        uid = county_id + 1
        for t in range(TOWNS):
            town = uid
            uid += 1
            units.append({"id": town, "code": f"T{t:02d}", "name": f"乡镇{t}党委",
                          "kind": "committee", "parent_id": county_id,
                          "path": f"{root.path}{county_id}/{town}/",
                          "created_at": joined})  # fmt: skip
            for k, b in enumerate(range(t, branches, TOWNS)):
                units.append({"id": uid, "code": f"T{t:02d}-B{k:02d}",
                              "name": f"乡镇{t}第{b}党支部", "kind": "branch",
                              "parent_id": town,
                              "path": f"{root.path}{county_id}/{town}/{uid}/",
                              "created_at": joined})  # fmt: skip
                branch_ids.append(uid)
                uid += 1
        bar = Progress("units", len(units))
        session.execute(insert(OrgUnit), units)
        bar.add(len(units))
        bar.close()

        digest = auth_service.hash_password(PASSWORD)
        first_user = (session.scalar(select(func.max(User.id))) or 0) + 1
        people = []
        for i in range(members):
            people.append({
                "id": first_user + i, "username": f"1{i:010d}", "name": f"党员{i}",
                "branch_id": branch_ids[i % len(branch_ids)], "password_hash": digest,
                "exempt_reason": "年老体弱" if rng.random() < 0.03 else None,
                "is_active": True, "must_change_password": False,
                "created_at": joined,
            })  # fmt: skip
        bar = Progress("members", members)
        for chunk in _chunks(people):
            session.execute(insert(User.__table__), chunk)
            bar.add(len(chunk))
        grants = [{"user_id": p["id"], "unit_id": p["branch_id"], "role": "secretary"}
                  for p in people[: len(branch_ids)]]  # fmt: skip
        session.execute(insert(RoleGrant), grants)
        bar.close()
        session.commit()

        bar = Progress(f"{days} days of activity", members * days)
        points_of: dict[int, int] = {}
        for d in range(days, 0, -1):
            day = today - timedelta(days=d)
            rows = []
            for p in people:
                if rng.random() >= 0.6:
                    continue
                met, quiz = rng.random() < 0.6, rng.random() < 0.4
                points = rng.randrange(2, 12)
                points_of[p["id"]] = points_of.get(p["id"], 0) + points
                rows.append({
                    "user_id": p["id"], "study_day": day, "branch_id": p["branch_id"],
                    "study_seconds": 1800 + rng.randrange(1200) if met
                    else rng.randrange(1700),
                    "lessons_finished": rng.randrange(3), "lessons_opened": 1,
                    "daily_quiz_done": quiz, "quizzes_done": int(quiz),
                    "quiz_score": rng.choice([60.0, 80.0, 100.0]) if quiz else None,
                    "points": points, "goal_met": met, "excused": False,
                    "made_up": False,
                })  # fmt: skip
            for chunk in _chunks(rows, 20_000):
                session.execute(insert(DailyActivity.__table__), chunk)
            session.commit()
            bar.add(members)
        bar.close()

        bar = Progress("member stats", members)
        stats = [{"user_id": p["id"], "current_streak": rng.randrange(8),
                  "best_streak": rng.randrange(8, 40),
                  "total_points": points_of.get(p["id"], 0),
                  "as_of": today - timedelta(days=1)} for p in people]  # fmt: skip
        for chunk in _chunks(stats):
            session.execute(insert(UserStats.__table__), chunk)
            bar.add(len(chunk))
        session.commit()
        bar.close()

        started = time.perf_counter()
        print("nightly settlement       ", end="", flush=True)
        summary = settle(session, now, today)
        session.commit()
        print(f"{summary}  {time.perf_counter() - started:.1f} s")
        if session.get_bind().dialect.name == "sqlite":
            session.execute(select(func.count()).select_from(User))  # warm
            session.connection().exec_driver_sql("ANALYZE")
        else:
            session.connection().exec_driver_sql("ANALYZE")
        session.commit()
    app.extensions["studyapp.engine"].dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--branches", type=int, default=1_200)
    parser.add_argument("--days", type=int, default=180)
    parser.add_argument("--db", default="sqlite:///instance/county.db",
                        help="SQLAlchemy URL of a new, empty database")  # fmt: skip
    args = parser.parse_args()
    if args.db.startswith("sqlite:///"):
        Path(args.db.removeprefix("sqlite:///")).parent.mkdir(
            parents=True, exist_ok=True
        )
    started = time.perf_counter()
    build(args.db, args.members, args.branches, args.days)
    print(f"county ready in {time.perf_counter() - started:.0f} s: {args.db}")


if __name__ == "__main__":
    main()
