"""A published question bank and quiz definitions for quiz service and view tests."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from studyapp.content.format.checker import check_tree
from studyapp.content.publishing import publish_report
from studyapp.progress.settings import ProgressSettings
from studyapp.timeutil import local, utcnow
from tests.content_helpers import lesson, write
from tests.factories import letters, make_unit, make_user

#: A unique explanation: proves the key is absent before submit and present after.
SECRET = "解析-7f3a"

BANK = """---
id: bank
title: 测试题库
tags: [党史]
lesson: sanhui
---

## 【单选题】“一课”指的是（　）。 {{#q-single}}
- A. 党课
- B. 团课
- C. 形势课
答案：A
解析：{secret}

## 【多选题】属于“三会”的有（　） {{#q-multi}}
- [x] 支部党员大会
- [x] 支部委员会
- [ ] 团员大会
解析：团员大会不是。

## 【判断题】党小组会一般每月召开一次。 {{#q-tf}}
答案：正确
解析：一般每月一次。

## 党的力量来自{{{{组织|党组织}}}}。 {{#q-fill}}
解析：组织起来。
"""


def fmt(at):  # type: ignore[no-untyped-def]
    return local(at).strftime("%Y-%m-%d %H:%M")


def quiz_files(root: Path) -> None:
    now = utcnow()
    opens, closes = fmt(now - timedelta(days=1)), fmt(now + timedelta(days=1))
    write(
        root,
        "quizzes/quizzes/daily.md",
        "---\nid: daily\ntitle: 每日答题\nkind: daily\ncount: 3\n---\n每天三题。\n",
    )
    write(
        root,
        "quizzes/quizzes/special.md",
        f"""---
id: special
title: 党史竞赛
kind: special
opens_at: "{opens}"
closes_at: "{closes}"
draw:
  - {{tags: [党史], count: 4}}
time_limit: 20m
attempts: 2
review: after_close
points: 10
---
竞赛。
""",
    )
    write(
        root,
        "quizzes/quizzes/practice.md",
        f"""---
id: practice
title: 练习
kind: special
opens_at: "{opens}"
closes_at: "{closes}"
draw:
  - {{bank: bank, count: 4}}
attempts: unlimited
review: after_submit
points: 5
---
练习。
""",
    )


@pytest.fixture
def quiz_site(db, app):  # type: ignore[no-untyped-def]
    root = Path(app.config["CONTENT_DIR"])
    write(root, "lessons/sanhui.md", lesson())
    write(root, "quizzes/bank.md", BANK.format(secret=SECRET))
    quiz_files(root)
    with db() as s:
        report = check_tree([root])
        assert report.ok, [str(i) for i in report.errors]
        publish_report(s, report, content_root=root, scope=[root], now=utcnow())
        make_user(s, make_unit(s, "BR"), "13800000001", name="王建国")
    return "13800000001"


DRILL = """---
id: drill
title: 随练
kind: special
opens_at: "{opens}"
closes_at: "{closes}"
draw:
  - {{bank: bank, count: 4}}
attempts: unlimited
review: after_answer
---
答一题看一题。
"""


@pytest.fixture
def drill(quiz_site, db, app):  # type: ignore[no-untyped-def]
    """Also a practice quiz that shows each answer once given (after_answer)."""
    root = Path(app.config["CONTENT_DIR"])
    now = utcnow()
    write(
        root,
        "quizzes/quizzes/drill.md",
        DRILL.format(
            opens=fmt(now - timedelta(days=1)), closes=fmt(now + timedelta(days=1))
        ),
    )
    with db() as s:
        report = check_tree([root])
        assert report.ok, [str(i) for i in report.errors]
        publish_report(s, report, content_root=root, scope=[root], now=now)
    return quiz_site


@pytest.fixture
def settings() -> ProgressSettings:
    return ProgressSettings()


@pytest.fixture
def keys(quiz_site, db):  # type: ignore[no-untyped-def]
    """Each choice question's option keys by the author's letter (keys are opaque)."""
    with db() as s:
        return {slug: letters(s, slug) for slug in ("q-single", "q-multi")}


@pytest.fixture
def key(keys):  # type: ignore[no-untyped-def]
    """The option keys of ``q-single`` by letter: ``key["A"]``."""
    return keys["q-single"]
