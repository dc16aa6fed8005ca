"""A hostile corpus: scripts, handlers, javascript:/data: URLs, SVG, CSS, frames,
5 MB files and 10,000 levels of nesting.

Every file is checked in a subprocess limited to 1 GiB of address space and
60 s (a bound against runaway input, not a speed test). What checks clean must
render without anything that runs script, restyles the page or leaves for a
``javascript:``/``data:`` URL; what is too large or too deep is refused with its
file and line, by the checker and by ``studyapp content check``.
"""

# The table of generated files keeps one case a line, so some lines are long.
# ruff: noqa: E501

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from studyapp.content.format.checker import check_tree
from studyapp.content.format.limits import MAX_BLOCK_CHARS, MAX_DEPTH
from studyapp.content.format.render import TOO_DEEP
from studyapp.content.publishing import publish_report
from studyapp.timeutil import utcnow
from tests.conftest import login
from tests.content_helpers import lesson, write
from tests.factories import make_tree, make_user

HOSTILE = Path(__file__).parents[1] / "data" / "hostile"
ROOT = Path(__file__).parents[2]
TIMEOUT = 60
MEMORY = 1024**3

#: Elements that run script, load other documents, restyle or take input.
BAD_TAGS = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "form",
    "button", "textarea", "select", "svg", "math", "link", "meta", "base",
    "template", "noscript", "video", "audio", "source", "marquee", "isindex",
}  # fmt: skip
BAD_ATTRS = {"style", "srcdoc", "formaction", "action", "xlink:href", "autofocus"}
URL_ATTRS = {"href", "src", "srcset", "data", "poster", "background", "cite"}
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)


class _Dangers(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BAD_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in BAD_ATTRS:
                self.found.append(f"<{tag} {name}>")
            if name in URL_ATTRS and value is not None:
                squeezed = re.sub(r"[\x00-\x20]+", "", value)
                match = _SCHEME.match(squeezed)
                if match and match.group(1).lower() not in SAFE_SCHEMES:
                    self.found.append(f"<{tag} {name}={value[:40]}>")
                if name == "src" and squeezed.startswith("//"):  # policy: see render
                    self.found.append(f"<{tag} {name}={value[:40]}>")


def dangers(html: str) -> list[str]:
    """What in *html* could run script, leave the site or restyle the page."""
    parser = _Dangers()
    parser.feed(html)
    parser.close()
    if re.search(r"<\s*/?\s*script", html, re.IGNORECASE):
        parser.found.append("script text")
    return parser.found


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def check_bounded(*paths: Path) -> dict:  # type: ignore[type-arg]
    """Issues and HTML of *paths*, checked in a bounded subprocess."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.content.hostile_worker", *map(str, paths)],
        cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def test_the_hand_written_corpus_checks_clean_and_renders_nothing_dangerous():
    result = check_bounded(HOSTILE)
    assert [i for i in result["issues"] if i["severity"] == "error"] == []
    assert len(result["html"]) >= 6 + 2 * 3
    for html in result["html"]:
        assert dangers(html) == [], html
    everything = "\n".join(result["html"])
    for kept in ('href="https://example.com/"', 'href="mailto:a@example.com"',
                 'href="tel:12345"', "只保留允许的 class", 'id="md-quiz-question"'):  # fmt: skip
        assert kept in everything


def _front(doc_id: str) -> str:
    return f"---\nid: {doc_id}\ntitle: 恶意内容\n---\n"


BODY_LINE = 5  # the first line after a four-line front matter
#: name → (body, the refused line or None when it must render, message part)
# fmt: off
GENERATED = {
    "huge-5mb": ("段落 *强调* [链接](https://example.com/)\n\n" * 120_000, 1, "文件太大"),
    "list-10000-one-line": ("- " * 10_000 + "项\n", BODY_LINE, "嵌套太深"),
    "list-10000-indented": (
        "".join("    " * (i % 25) + f"- 第 {i} 项\n" for i in range(10_000)),
        BODY_LINE + MAX_DEPTH, "嵌套太深",
    ),
    "ordered-10000": ("1. " * 10_000 + "项\n", BODY_LINE, "嵌套太深"),
    "quotes-10000": ("> " * 10_000 + "引用\n", BODY_LINE, "嵌套太深"),
    "quote-lines": ("".join(">" * (i + 1) + " 引用\n" for i in range(100)),
                    BODY_LINE + MAX_DEPTH, "嵌套太深"),
    "emphasis-10000": ("*" * 10_000 + "字" + "*" * 10_000 + "\n", BODY_LINE, TOO_DEEP),
    "strong-10000": ("**" * 10_000 + "字" + "**" * 10_000 + "\n", BODY_LINE, TOO_DEEP),
    "strike-10000": ("~~" * 10_000 + "字" + "~~" * 10_000 + "\n", BODY_LINE, TOO_DEEP),
    "mixed-emphasis": ("*a " * 2_000 + "字" + " a*" * 2_000 + "\n", BODY_LINE, TOO_DEEP),
    "line-900k": ("党" * 900_000 + "\n", BODY_LINE, "这一段太长"),
    "line-40k-markup": ("a *b* [c](https://example.com/) " * 1_300 + "\n", None, ""),
    "flat-list-10000": ("".join(f"- 第 {i} 项\n" for i in range(10_000)),
                        BODY_LINE, "这一段太长"),
    "flat-list-4000": ("".join(f"- 第 {i} 项\n" for i in range(4_000)), None, ""),
    "html-nesting-10000": ("<div>" * 10_000 + "字" + "</div>" * 10_000 + "\n",
                           BODY_LINE, "这一段太长"),
    "html-nesting-4000": ("<div>" * 4_000 + "字" + "</div>" * 4_000 + "\n", None, ""),
    "brackets-8000": ("[" * 8_000 + "字" + "](x)" * 8_000 + "\n", BODY_LINE, "方括号"),
    "brackets-flat": ("[甲](https://example.com/) " * 1_500 + "\n", None, ""),
    "widest-accepted": (
        ("a *b* " * ((MAX_BLOCK_CHARS - 100) // 6) + "\n\n") * 4, None, ""
    ),
}
# fmt: on


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile") / "content"
    (root / "lessons").mkdir(parents=True)
    (root / "quizzes").mkdir()
    for name, (body, _line, _message) in GENERATED.items():
        (root / "lessons" / f"{name}.md").write_text(_front(name) + body, "utf-8")
    bank = "## 【单选题】题干 {#q-%d}\n\n- A. 甲\n- B. 乙\n\n答案：A\n解析：无\n\n"
    big = "".join(bank % i for i in range(65_000))
    (root / "quizzes" / "bank-5mb.md").write_text(_front("bank-5mb") + big, "utf-8")
    return root


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(GENERATED))
def test_huge_and_deep_lessons_are_refused_with_their_line_or_render_safe(
    generated, name
):
    _body, line, message = GENERATED[name]
    path = generated / "lessons" / f"{name}.md"
    result = check_bounded(path)
    errors = [i for i in result["issues"] if i["severity"] == "error"]
    if line is None:
        assert errors == []
        assert len(result["html"]) == 1 and dangers(result["html"][0]) == []
    else:
        assert [(e["line"], message in e["message"]) for e in errors] == [(line, True)]
        assert all(e["path"] == str(path) for e in errors)


def test_a_5mb_bank_is_refused_with_its_name(generated):
    path = generated / "quizzes" / "bank-5mb.md"
    assert path.stat().st_size > 5 * 1024 * 1024
    result = check_bounded(path)
    assert [(i["path"], i["line"]) for i in result["issues"]] == [(str(path), 1)]
    assert "文件太大" in result["issues"][0]["message"]


@pytest.mark.slow
def test_content_check_names_file_and_line_and_never_shows_a_traceback(
    generated, database_url, app
):
    env = {**os.environ, "STUDYAPP_DATABASE_URL": database_url,
           "STUDYAPP_ENV": "testing", "STUDYAPP_SECRET_KEY": "test-secret"}  # fmt: skip
    done = subprocess.run(
        [str(Path(sys.executable).parent / "studyapp"), "content", "check", str(generated)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT * 3,
        preexec_fn=_limits, check=False,
    )  # fmt: skip
    out = done.stdout + done.stderr
    assert done.returncode == 1, out[-2000:]
    assert "Traceback" not in out and 'File "' not in out
    refused = [n for n, (_b, line, _m) in GENERATED.items() if line is not None]
    for name in refused:
        line = GENERATED[name][1]
        assert f"lessons/{name}.md:{line}: error:" in out, name
    assert "quizzes/bank-5mb.md:1: error: 文件太大" in out


def test_published_hostile_lessons_show_nothing_dangerous_on_their_pages(
    app, db, client, tmp_path
):
    root = tmp_path / "hostile"
    shutil.copytree(HOSTILE, root)
    write(root, "lessons/sanhui.md", lesson())
    with db() as s:
        report = check_tree([root])
        assert report.ok, [str(i) for i in report.errors]
        publish_report(s, report, content_root=root, scope=[root], now=utcnow())
        make_user(s, make_tree(s)["a"], "am1")
    assert login(client, "am1").status_code == 302
    # A harmless lesson's page: the app's own scripts, buttons and forms.
    clean = set(dangers(client.get("/lessons/sanhui").text))
    hostile = [doc.id for doc in report.lessons if doc.id.startswith("hostile-")]
    assert len(hostile) == 6
    for lesson_id in hostile:
        page = client.get(f"/lessons/{lesson_id}")
        assert page.status_code == 200, lesson_id
        assert set(dangers(page.text)) <= clean, lesson_id
        assert page.text.count("<script") == client.get("/lessons/sanhui").text.count(
            "<script"
        )
