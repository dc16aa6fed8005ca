"""``studyapp content publish`` of a big batch, SIGKILLed once its progress
bar shows the publishing has started: the database still holds exactly the
set published before (its one-transaction promise), and publishing again
puts the whole new set in, each item once."""

from __future__ import annotations

import subprocess
import time
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from studyapp.audit.models import AuditEvent
from studyapp.content.models import (
    Lesson,
    Question,
    QuestionBank,
    QuestionRevision,
    QuizDefinition,
)
from tests.faults.conftest import BIN, ROOT

pytestmark = pytest.mark.slow

#: Big enough that publishing takes a moment after the check (≈2–4 s here).
NEW_QUESTIONS = 3000
NEW_LESSONS = 40
EDITED = "sanhui-yike"


def _bank(n: int) -> str:
    head = "---\nid: faults-bulk\ntitle: 故障演练题库\ntags: [党建]\n---\n"
    questions = [
        f"## 【单选题】第 {i} 题：党的基层组织是（　）。 {{#fb-{i:05d}}}\n"
        f"- A. 党支部{i}\n- B. 团支部{i}\n- C. 工会{i}\n答案：A\n解析：第 {i} 题。\n"
        for i in range(n)
    ]
    return head + "\n".join(questions)


def _lesson(i: int) -> str:
    return (
        f"---\nid: faults-lesson-{i:02d}\ntitle: 演练课 {i}\nseries: 组织生活\n"
        f"minutes: 3\n---\n# 演练课 {i}\n\n" + "支部工作要点。" * 200 + "\n"
    )


def _write_batch(content: Any) -> None:
    (content / "quizzes" / "faults-bulk.md").write_text(
        _bank(NEW_QUESTIONS), encoding="utf-8"
    )
    for i in range(NEW_LESSONS):
        (content / "lessons" / f"faults-lesson-{i:02d}.md").write_text(
            _lesson(i), encoding="utf-8"
        )
    edited = content / "lessons" / f"{EDITED}.md"
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("title: ", "title: （修订）", 1), encoding="utf-8")


def _published(engine: Any) -> dict[str, Any]:
    """What members could be shown: every lesson, question, bank and quiz."""
    with Session(engine) as s:
        return {
            "lessons": dict(
                (slug, (title, revision, status))
                for slug, title, revision, status in s.execute(
                    select(Lesson.slug, Lesson.title, Lesson.revision, Lesson.status)
                )
            ),
            "questions": dict(s.execute(select(Question.slug, Question.status)).all()),
            "revisions": s.scalar(select(func.count()).select_from(QuestionRevision)),
            "banks": set(s.scalars(select(QuestionBank.slug))),
            "quizzes": set(s.scalars(select(QuizDefinition.slug))),
            "publishes": s.scalar(
                select(func.count()).where(AuditEvent.action == "content.publish")
            ),
        }


def _publish(site: Any, log: Any) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [str(BIN / "studyapp"), "content", "publish"],
            cwd=ROOT, env=site.env(), stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip


def test_a_publish_killed_midway_leaves_the_old_set_and_a_rerun_publishes_once(
    site, tmp_path
):
    before = _published(site.engine)
    _write_batch(site.content)
    log = tmp_path / "publish.log"
    proc = _publish(site, log)
    deadline = time.monotonic() + 120
    while "发布中" not in log.read_text(errors="replace"):
        assert proc.poll() is None, log.read_text()  # finished before the kill
        assert time.monotonic() < deadline, "publishing never started"
        time.sleep(0.02)
    time.sleep(0.3)  # well inside the writing
    proc.kill()
    assert proc.wait(timeout=30) == -9, log.read_text()  # killed, not finished
    assert _published(site.engine) == before  # nothing of the batch, no edit

    start = time.monotonic()
    again = _publish(site, tmp_path / "again.log")
    assert again.wait(timeout=300) == 0, (tmp_path / "again.log").read_text()
    took = time.monotonic() - start
    after = _published(site.engine)
    new = {f"fb-{i:05d}" for i in range(NEW_QUESTIONS)}
    assert set(after["questions"]) == set(before["questions"]) | new
    assert after["revisions"] == before["revisions"] + NEW_QUESTIONS  # once each
    assert len(after["lessons"]) == len(before["lessons"]) + NEW_LESSONS
    title, revision, _ = after["lessons"][EDITED]
    assert title.startswith("（修订）") and revision == before["lessons"][EDITED][1] + 1
    assert after["banks"] == before["banks"] | {"faults-bulk"}
    assert after["publishes"] == before["publishes"] + 1
    # Publishing the same files once more changes nothing.
    third = _publish(site, tmp_path / "third.log")
    assert third.wait(timeout=300) == 0
    assert _published(site.engine) == {**after, "publishes": after["publishes"] + 1}
    print(f"\nkill mid-publish: {NEW_QUESTIONS} questions + {NEW_LESSONS} lessons; "
          f"the full re-publish took {took:.1f} s")  # fmt: skip
