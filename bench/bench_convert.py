"""Time converting a 10,000-row sheet (target < 5 s) and checking the bank (< 3 s).

Run: ``.venv/bin/python bench/bench_convert.py [--rows N]``.
The generated sheet mixes all four types, 2 to 8 options, two-blank 填空, answers
spelt several ways, multi-line explanations, tags and difficulty, behind an
instructions sheet, as authors' sheets are. It times the first conversion, a
re-conversion into the existing bank (ids kept, output identical), the same for
a Word paper of 2,000 questions, and ``check_tree`` of the converted bank. Each
is the best of ``--repeat`` runs, as wall and CPU time.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import docx  # noqa: E402
import xlsxwriter  # noqa: E402

from studyapp.content.convert.converter import convert_file  # noqa: E402
from studyapp.content.format.checker import check_tree  # noqa: E402

HEADER = ["序号", "题型", "题干", *(f"选项{c}" for c in "ABCDEFGH"), "答案", "解析",
          "难度", "标签"]  # fmt: skip
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


def _row(rng: random.Random, n: int) -> list[object]:
    kind = rng.random()
    options: list[str] = []
    if kind < 0.65:
        count = rng.randint(2, 8)
        options = [f"{_text(rng, 6)}{i}" for i in range(count)]
        right = sorted(rng.sample(range(count), 1 if kind < 0.4 else min(count, 2)))
        letters = [chr(65 + i) for i in right]
        answer = rng.choice(["".join(letters), ",".join(letters), "、".join(letters)])
        qtype = "单选" if len(letters) == 1 else "多选题"
        stem = f"关于“{_text(rng, 6)}”（{n}），下列说法正确的是（　）。"
    elif kind < 0.85:
        qtype, answer = "判断", rng.choice(["对", "错", "正确", "错误", "√", "×"])
        stem = f"{_text(rng, 20)}（{n}）。"
    else:
        qtype = "填空"
        stem = f"{_text(rng, 8)}____，{_text(rng, 6)}（　）（{n}）。"
        answer = f"{_text(rng, 2)}|{_text(rng, 3)}；{_text(rng, 2)}"
    explanation = f"{_text(rng, 30)}。" + (
        f"\n{_text(rng, 20)}。" if n % 5 == 0 else ""
    )
    padded = options + [""] * (8 - len(options))
    return [n, qtype, stem, *padded, answer, explanation, rng.randint(1, 5),
            f"{rng.choice(TOPICS)}、{rng.choice(TOPICS)}"]  # fmt: skip


def sheet(rows: int, seed: int = 7) -> bytes:
    """A workbook with an instructions sheet and *rows* question rows.

    Written with XlsxWriter, which stores text as Excel does (a shared-strings
    table); openpyxl's own files inline every string and read about twice as slow.
    """
    rng = random.Random(seed)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.add_worksheet("说明").write(0, 0, "题库填写说明")
    questions = book.add_worksheet("题目")
    questions.write_row(0, 0, HEADER)
    for n in range(1, rows + 1):
        questions.write_row(n, 0, _row(rng, n))
    book.close()
    return buffer.getvalue()


def paper(count: int, seed: int = 7) -> bytes:
    """A Word paper with *count* single-choice questions, options on one line."""
    rng = random.Random(seed)
    document = docx.Document()
    document.add_paragraph("一、单选题")
    for n in range(1, count + 1):
        document.add_paragraph(f"{n}．{_text(rng, 16)}（{n}）（　）。")
        document.add_paragraph("　".join(f"{c}．{_text(rng, 4)}{c}" for c in "ABCD"))
        document.add_paragraph(f"答案：{rng.choice('ABCD')}")
        document.add_paragraph(f"解析：{_text(rng, 24)}。")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def timed(fn, repeat: int):  # type: ignore[no-untyped-def]
    """``fn()``'s result and its best wall and CPU seconds over *repeat* runs.

    The best run is reported because the bench machine is shared: other work only
    ever adds time.
    """
    wall = cpu = float("inf")
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        result = fn()
        wall = min(wall, time.perf_counter() - started)
        cpu = min(cpu, time.process_time() - cpu_started)
    return result, wall, cpu


def _convert(name: str, data: bytes, out: str, existing: str | None = None):  # type: ignore[no-untyped-def]
    result = convert_file(name, data, out_name=out, existing=existing)
    if not result.ok:
        print("unexpected errors, first:", result.errors[0])
    return result


def main() -> None:
    """Generate the files, time each conversion and the check, print the results."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--paper", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data, words = sheet(args.rows), paper(args.paper)
    first, wall, cpu = timed(
        lambda: _convert("题库.xlsx", data, "tiku.md"), args.repeat
    )
    print(first.summary())
    print(
        f"convert {args.rows} rows: {wall:.2f} s wall, {cpu:.2f} s CPU (target < 5 s)"
    )
    again, wall, cpu = timed(
        lambda: _convert("题库.xlsx", data, "tiku.md", first.markdown), args.repeat
    )
    same = "identical" if again.markdown == first.markdown else "DIFFERENT"
    print(f"re-convert into the bank: {wall:.2f} s wall, {cpu:.2f} s CPU, {same}")
    _, wall, cpu = timed(lambda: _convert("试卷.docx", words, "sj.md"), args.repeat)
    print(f"convert a {args.paper}-question paper: {wall:.2f} s wall, {cpu:.2f} s CPU")
    with tempfile.TemporaryDirectory() as tmp:
        bank = Path(tmp) / "content" / "quizzes" / "tiku.md"
        bank.parent.mkdir(parents=True)
        bank.write_text(first.markdown, encoding="utf-8")
        report, wall, cpu = timed(lambda: check_tree([bank.parent.parent]), args.repeat)
    print(report.summary())
    print(f"check_tree of the converted bank: {wall:.2f} s wall, {cpu:.2f} s CPU "
          "(target < 3 s)")  # fmt: skip


if __name__ == "__main__":
    main()
