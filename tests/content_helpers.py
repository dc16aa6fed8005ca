"""Small content trees for publishing, CLI, view and admin tests."""

from __future__ import annotations

from pathlib import Path

LESSON = """---
id: {id}
title: {title}
series: 组织生活
tags: [三会一课]
minutes: 5
{extra}---
# {title}

{body}
"""

BANK = """---
id: jichu
title: 党建基础
tags: [党建]
lesson: sanhui
---

## 【单选题】“三会一课”中的“一课”指的是（　）。 {{#jc-001}}
- A. 党课
- B. 团课
答案：A
解析：{explanation}

## 党的力量来自{{{{组织|党组织}}}}。 {{#jc-002}}
解析：组织起来才有力量。
"""


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def lesson(
    id: str = "sanhui",
    title: str = "三会一课",
    body: str = "支部党员大会、支部委员会、党小组会和党课。",
    extra: str = "",
) -> str:
    return LESSON.format(id=id, title=title, body=body, extra=extra)


def bank(explanation: str = "一课指党课。") -> str:
    return BANK.format(explanation=explanation)


def basic_tree(root: Path) -> Path:
    """One lesson and one two-question bank under ``root`` (a content folder)."""
    write(root, "lessons/sanhui.md", lesson())
    write(root, "quizzes/jichu.md", bank())
    return root
