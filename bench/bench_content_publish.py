"""Benchmark: publish 10,000 questions (SPEC §8: under 10 s), then re-publish.

Generates the same tree as bench_content_check.py, checks it, and publishes it
into a fresh SQLite file database in one transaction, as `studyapp content
publish` does; then publishes the unchanged tree again (which must change
nothing) and once more after editing every tenth question.

Run: .venv/bin/python bench/bench_content_publish.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_content_check import generate  # noqa: E402

from studyapp import create_app  # noqa: E402
from studyapp.content.format.checker import check_tree  # noqa: E402
from studyapp.content.publishing import publish_report  # noqa: E402
from studyapp.db import Base, get_engine, get_session  # noqa: E402
from studyapp.timeutil import utcnow  # noqa: E402


def publish(root: Path) -> tuple[float, float, list[str]]:
    start = time.perf_counter()
    report = check_tree([root])
    checked = time.perf_counter()
    session = get_session()
    summary = publish_report(
        session, report, content_root=root, scope=[root], now=utcnow()
    )
    session.commit()
    return checked - start, time.perf_counter() - checked, summary.lines()


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-publish-"))
    root = tmp / "content"
    generate(root, questions=10_000, banks=50)
    app = create_app(
        {
            "ENV": "development",
            "SECRET_KEY": "bench",
            "DATABASE_URL": f"sqlite:///{tmp}/publish.db",
        }
    )
    with app.app_context():
        Base.metadata.create_all(get_engine())
        for label in ("first publish", "unchanged re-publish"):
            check, write, lines = publish(root)
            print(
                f"{label}: check {check:.2f} s + publish {write:.2f} s "
                f"= {check + write:.2f} s (target < 10 s); {' / '.join(lines)}"
            )
        for path in sorted((root / "quizzes").glob("*.md"))[::10]:
            path.write_text(
                path.read_text(encoding="utf-8").replace(
                    "解析：", "解析：（修订）", 20
                ),
                encoding="utf-8",
            )
        check, write, lines = publish(root)
        print(
            f"edited re-publish: check {check:.2f} s + publish {write:.2f} s; "
            f"{' / '.join(lines)}"
        )


if __name__ == "__main__":
    main()
