"""Do the tests notice when a result stops showing what matters?

Each mutation below removes one thing a member relies on after a quiz (the
explanation, the correct answer, the score) from a template or a payload. The
check applies one mutation at a time, runs the quiz and API tests, and expects
at least one failure; it restores the file afterwards, whatever happens.

    .venv/bin/python scripts/mutation_check.py          # every mutation
    .venv/bin/python scripts/mutation_check.py -k score # those whose name has "score"

It prints one line per mutation and exits 1 if any mutation survived (no test
failed) or no longer applies (the code it cuts has changed: update the list).
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
T = "studyapp/templates/quiz/"
TESTS = ["tests/quiz", "tests/api", "tests/content/convert/test_quiz.py"]


@dataclass(frozen=True)
class Mutation:
    name: str
    path: str
    cut: str
    put: str = ""


MUTATIONS = [
    Mutation("result page: explanation", T + "result.html",
             "{{ item.explanation|safe }}"),
    Mutation("result page: score", T + "result.html",
             "{{ result.score|round|int }}"),
    Mutation("result page: answers", T + "result.html",
             'qtype=item.type %}{% include "quiz/_marks.html" %}',
             "qtype=item.type %}"),
    Mutation("answer marks: right option marked", T + "_marks.html",
             '{% set right = answer is not none and has(answer, o.key) == "1" %}',
             "{% set right = false %}"),
    Mutation("错题本 result: explanation", T + "_review_result.html",
             "{{ outcome.explanation|safe }}"),
    Mutation("错题本 result: answer", T + "_review_result.html",
             'qtype=outcome.type %}{% include "quiz/_marks.html" %}',
             "qtype=outcome.type %}"),
    Mutation("错题本 page: the right option", T + "book.html",
             'options=card.options, qtype=card.type, mine=_("上次的选择") %}'
             '{% include "quiz/_marks.html" %}',
             'options=card.options, qtype=card.type, mine=_("上次的选择") %}'),
    Mutation("payload: explanation", "studyapp/quiz/results.py",
             "explanation=(revision.explanation_html or None) if shown else None",
             "explanation=None"),
    Mutation("payload: correct answer", "studyapp/quiz/results.py",
             "answer=revision.answer if shown else None", "answer=None"),
    Mutation("payload: score", "studyapp/quiz/results.py",
             "score=attempt.score or 0.0", "score=0.0"),
    Mutation("错题本 payload: explanation", "studyapp/quiz/actions.py",
             "explanation=outcome.explanation_html or None", "explanation=None"),
]  # fmt: skip


def run(mutation: Mutation) -> str:
    path = ROOT / mutation.path
    original = path.read_text(encoding="utf-8")
    if original.count(mutation.cut) != 1:
        return "does not apply"
    try:
        path.write_text(original.replace(mutation.cut, mutation.put), encoding="utf-8")
        tests = subprocess.run(
            [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
             "-m", "not slow and not e2e", *TESTS],
            cwd=ROOT, capture_output=True, text=True, check=False,
        )  # fmt: skip
    finally:
        path.write_text(original, encoding="utf-8")
    if tests.returncode == 0:
        return "SURVIVED (no test failed)"
    failed = [ln for ln in tests.stdout.splitlines() if ln.startswith("FAILED")]
    return f"caught by {failed[0].split()[1] if failed else 'the suite'}"


def main() -> int:
    # Stopped from outside (Ctrl-C, kill): still put the mutated file back.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", default="", help="only mutations whose name has this")
    chosen = [m for m in MUTATIONS if parser.parse_args().k in m.name]
    bad = 0
    for number, mutation in enumerate(chosen, 1):
        outcome = run(mutation)
        bad += not outcome.startswith("caught")
        print(f"[{number}/{len(chosen)}] {mutation.name}: {outcome}", flush=True)
    print(f"{len(chosen) - bad} of {len(chosen)} mutations caught")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
