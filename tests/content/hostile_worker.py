"""Check content paths in a process of bounded memory; print what they render.

``python -m tests.content.hostile_worker PATH…`` (run by ``test_hostile``) sets
an address-space limit first, so a runaway parse fails here with MemoryError
instead of taking the machine; it prints one JSON object: the issues, and every
piece of HTML the checked docs would publish.
"""

from __future__ import annotations

import json
import resource
import sys

#: Address space the check may use (the app itself needs about 100 MB).
MEMORY_LIMIT = 1024**3


def main(paths: list[str]) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    from studyapp.content.format.checker import check_tree

    report = check_tree(paths)
    html = [d.body_html for d in report.lessons] + [
        d.intro_html for d in report.quizzes
    ]
    for q in report.questions:
        html += [q.stem_html, q.explanation_html, *(o.html for o in q.options)]
    issues = [
        {"path": i.path, "line": i.line, "severity": i.severity, "message": i.message}
        for i in report.issues
    ]
    print(json.dumps({"issues": issues, "html": html}, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
