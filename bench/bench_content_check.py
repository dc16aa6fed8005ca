"""Time ``check_tree`` over 10,000 generated questions in ~50 banks (target < 3 s).

Run: ``.venv/bin/python bench/bench_content_check.py [--questions N] [--banks N]``.
The generated questions mix all four types, both option styles, Markdown in some
stems and options, explanations, tags and 出处, so the timing reflects real files.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from studyapp.content.format.checker import check_tree

TOPICS = [
    "三会一课",
    "组织生活",
    "党史",
    "党章",
    "民主评议",
    "发展党员",
    "党费",
    "廉洁",
]
WORDS = (
    "党支部应当坚持组织生活制度认真落实三会一课加强党员教育管理监督发挥战斗堡垒作用"
    "全面从严治党永远在路上坚持以人民为中心的发展思想不忘初心牢记使命推动高质量发展"
) * 3


def _text(rng: random.Random, n: int) -> str:
    start = rng.randrange(len(WORDS) - n)
    return WORDS[start : start + n]


def _choice_question(rng: random.Random, qid: str, multiple: bool) -> str:
    n = rng.randint(3, 5)
    correct = sorted(rng.sample(range(n), 2 if multiple else 1))
    marker = "【多选题】" if multiple else rng.choice(["【单选题】", "[单选]", ""])
    topic = _text(rng, 6)
    stem = f"## {marker}关于“{topic}”（{qid}），下列说法正确的是（　）。 {{#{qid}}}"
    lines = [stem]
    if rng.random() < 0.5:
        lines += [f"- {chr(65 + i)}. {_text(rng, 8)}{i}" for i in range(n)]
        lines.append("答案：" + "".join(chr(65 + i) for i in correct))
    else:
        for i in range(n):
            tick = "x" if i in correct else " "
            body = f"**{_text(rng, 4)}**{_text(rng, 4)}" if i == 0 else _text(rng, 8)
            body += str(i)
            lines.append(f"- [{tick}] {body}")
    return "\n".join(lines)


def _question(rng: random.Random, qid: str) -> str:
    kind = rng.random()
    if kind < 0.4:
        text = _choice_question(rng, qid, multiple=False)
    elif kind < 0.65:
        text = _choice_question(rng, qid, multiple=True)
    elif kind < 0.85:
        answer = rng.choice(["正确", "错误", "√", "×"])
        text = f"## 【判断题】{_text(rng, 20)}（{qid}）。 {{#{qid}}}\n答案：{answer}"
    else:
        blank = f"{{{{{_text(rng, 2)}|{_text(rng, 3)}}}}}"
        text = f"## {_text(rng, 10)}{blank}（{qid}）。 {{#{qid}}}"
    extra = (
        f"解析：{_text(rng, 30)}（见《{_text(rng, 4)}》）。\n标签：{rng.choice(TOPICS)}"
    )
    if rng.random() < 0.3:
        extra += f"\n难度：{rng.randint(1, 5)}\n出处：lesson-{rng.randrange(5)}"
    return f"{text}\n{extra}\n"


def generate(root: Path, questions: int, banks: int, seed: int = 7) -> None:
    """Write lessons, *banks* bank files with *questions* in all, and two quizzes."""
    rng = random.Random(seed)
    (root / "lessons").mkdir(parents=True)
    (root / "quizzes").mkdir()
    for i in range(5):
        body = "\n\n".join(_text(rng, 40) for _ in range(30))
        (root / "lessons" / f"lesson-{i}.md").write_text(
            f"---\ntitle: 课程 {i}\ntags: [党史]\n---\n# 标题\n\n{body}\n", "utf-8"
        )
    per_bank = questions // banks
    for b in range(banks):
        items = [_question(rng, f"b{b:02d}-{n:04d}") for n in range(per_bank)]
        head = f"---\nid: bank-{b:02d}\ntitle: 题库 {b}\ntags: [{TOPICS[b % 8]}]\n"
        head += f"lesson: lesson-{b % 5}\n---\n\n"
        (root / "quizzes" / f"bank-{b:02d}.md").write_text(
            head + "\n".join(items), "utf-8"
        )
    (root / "quizzes" / "weekly.md").write_text(
        '---\ntitle: 每周一测\nkind: weekly\nschedule: "0 8 * * mon"\nopen_for: 7d\n'
        "draw:\n  - {bank: bank-00, count: 5}\n  - {tags: [党史], count: 5}\n---\n",
        "utf-8",
    )
    (root / "quizzes" / "daily.md").write_text(
        "---\ntitle: 每日一练\nkind: daily\ncount: 5\n---\n", "utf-8"
    )


def main() -> None:
    """Generate the tree in a temp dir, time check_tree, print the result."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--banks", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "content"
        generate(root, args.questions, args.banks)
        started = time.perf_counter()
        report = check_tree([root])
        elapsed = time.perf_counter() - started
    questions = sum(len(b.questions) for b in report.banks)
    print(report.summary())
    print(f"check_tree: {questions} questions in {elapsed:.2f} s (target < 3 s)")
    if report.errors:
        print("unexpected errors, first:", report.errors[0])


if __name__ == "__main__":
    main()
