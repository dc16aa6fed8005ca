"""PURE: Markdown → HTML → nh3 allow-list; the only producer of HTML marked |safe."""

from __future__ import annotations

import html
import itertools
import posixpath
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import markdown
import nh3
from markdown.extensions.toc import slugify_unicode

MediaUrl = Callable[[str], str]

#: Prefix for every id and in-page anchor, so author ids cannot collide with the
#: app's own DOM ids (htmx targets such as ``#quiz-question``).
ID_PREFIX = "md-"

_EXTENSIONS = [
    "tables",
    "fenced_code",
    "attr_list",
    "toc",
    "sane_lists",
    "pymdownx.tasklist",
    "pymdownx.mark",
    "pymdownx.details",
    "pymdownx.tilde",
]
_EXTENSION_CONFIGS = {
    "toc": {"slugify": slugify_unicode},
    # align="…" instead of style="text-align: …": style attributes are never allowed.
    "tables": {"use_align_attribute": True},
    "pymdownx.tilde": {"subscript": False},
}

_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "em", "i",
    "u", "s", "del", "ins", "mark", "sub", "sup", "small", "abbr", "code", "pre",
    "kbd", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead",
    "tbody", "tfoot", "tr", "th", "td", "caption", "a", "img", "span", "div",
    "details", "summary", "input", "label", "figure", "figcaption",
}  # fmt: skip
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "th": {"align", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "ol": {"start"},
    "input": {"checked"},
    "details": {"open"},
    "*": {"class", "id"},
}
#: Task-list checkboxes are the only inputs: always a disabled checkbox.
_FORCED = {"input": {"type": "checkbox", "disabled": "disabled"}}
_URL_SCHEMES = {"http", "https", "mailto", "tel"}
_CLASS_OK = re.compile(
    r"^(?:language-[\w+#.-]+|task-list(?:-item|-control|-indicator)?|toc|"
    r"md-[\w-]+|note|tip|warning|danger|info|admonition)$"
)
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
_BLOCK_TABLE = re.compile(r"(<table\b[^>]*>)")
#: Text made only of these characters is one Markdown paragraph with nothing to
#: escape: no markup characters (#&*<>=[\\]^_`{|}~), no controls, no nbsp.
_PLAIN = re.compile(r"[^\x00-\x1f#&*<>=\[-`{-\x7f\xa0]+")
#: ...unless it starts like a list, a heading or a details block.
_BLOCK_START = re.compile(r"^(?:[-+?]|\d+[.)])")
#: ``**bold**`` around plain text that neither starts nor ends with a space.
_STRONG = re.compile(r"\*\*([^\s*](?:[^*]*[^\s*])?)\*\*")
_P_WRAPPED = re.compile(r"^<p>(?!.*<p>)(.*)</p>$", re.S)
#: Placeholder for a 填空 blank while Markdown runs: letters only, so inert.
_BLANK_TOKEN = re.compile(r"QQBLANKQQ(\d+)QQ", re.IGNORECASE)
BLANK_TEXT = "（　　）"
BLANK_HTML = '<span class="blank" data-blank="{n}">（　　）</span>'


@dataclass(frozen=True)
class Rendered:
    """Sanitised HTML plus the relative image paths it references (normalised)."""

    html: str
    images: tuple[str, ...]
    #: Markup nested too deep for Markdown (RecursionError): *html* is the text,
    #: escaped; the parser reports TOO_DEEP so the file is not published.
    too_deep: bool = False


#: The error for a text whose markup Markdown cannot nest (see Rendered.too_deep).
TOO_DEEP = "标记嵌套太深，无法显示（如几百层 ** 或 ~~）：请简化这一段"


_local = threading.local()


def _md() -> markdown.Markdown:
    # One Markdown instance per thread: building one costs far more than reset().
    md = getattr(_local, "md", None)
    if md is None:
        md = markdown.Markdown(
            extensions=_EXTENSIONS, extension_configs=_EXTENSION_CONFIGS
        )
        _local.md = md
    return md


def normalise_image_path(src: str) -> str | None:
    """Normalise a relative image reference to a POSIX path, or None if not relative.

    ``./img/a%20b.png`` → ``img/a b.png``. Paths that climb out with ``..`` are
    returned as-is (starting with ``..``) so that callers can report them.
    """
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or src.startswith(("/", "\\", "#")):
        return None
    path = unquote(parts.path).replace("\\", "/")
    if not path:
        return None
    return posixpath.normpath(path)


def _hidden_scheme(url: str) -> bool:
    """True for ``java script:…``: nh3 sees a relative URL, but a lax client might
    drop the blanks and see a scheme. Refuse anything whose squeezed form has one
    we do not allow."""
    match = _SCHEME.match(re.sub(r"[\x00-\x20]+", "", url))
    return bool(match) and match.group(1).lower() not in _URL_SCHEMES


def _classes(value: str) -> str | None:
    kept = [c for c in value.split() if _CLASS_OK.match(c)]
    return " ".join(kept) or None


class _Filter:
    """nh3 attribute callback: prefixes ids, filters classes, rewrites images."""

    def __init__(self, media_url: MediaUrl | None) -> None:
        self.media_url = media_url
        self.images: list[str] = []

    def __call__(self, tag: str, attr: str, value: str) -> str | None:
        if "QQBLANKQQ" in value.upper():
            # A 填空 blank inside an attribute (alt text, a slug): never its answer.
            value = _BLANK_TOKEN.sub(BLANK_TEXT, value)
        if attr == "class":
            return _classes(value)
        if attr == "id":
            return value if value.startswith(ID_PREFIX) else ID_PREFIX + value
        if attr == "href" and value.startswith("#") and len(value) > 1:
            return (
                value
                if value[1:].startswith(ID_PREFIX)
                else "#" + ID_PREFIX + value[1:]
            )
        if attr in ("href", "src") and _hidden_scheme(value):
            return None
        if tag == "img" and attr == "src":
            return self._image(value)
        return value

    def _image(self, src: str) -> str | None:
        rel = normalise_image_path(src)
        if rel is None:
            # Scheme already vetted by nh3; site-absolute "/…" paths pass, "//host" not.
            return None if src.startswith("//") else src
        if rel not in self.images:
            self.images.append(rel)
        if rel.startswith("..") or rel == ".":
            return None
        return self.media_url(rel) if self.media_url else rel


def _sanitise(raw_html: str, media_url: MediaUrl | None) -> Rendered:
    filt = _Filter(media_url)
    cleaner = nh3.Cleaner(
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        attribute_filter=filt,
        set_tag_attribute_values=_FORCED,
        url_schemes=_URL_SCHEMES,
        strip_comments=True,
        link_rel="noopener noreferrer nofollow",
    )
    cleaned = cleaner.clean(raw_html)
    cleaned = _BLOCK_TABLE.sub(r'<div class="table-scroll">\1', cleaned)
    cleaned = cleaned.replace("</table>", "</table></div>")
    return Rendered(cleaned, tuple(filt.images))


def is_plain(text: str) -> bool:
    """True when Markdown and nh3 would only wrap *text* in ``<p>``: one line,
    no markup characters, not starting like a list."""
    return (
        bool(_PLAIN.fullmatch(text))
        and text == text.strip()
        and not _BLOCK_START.match(text)
    )


def bold_line_html(text: str) -> str | None:
    """``<p>`` HTML for one plain line whose only markup is ``**bold**`` runs.

    None when *text* is anything else (adjacent runs, other markup, a list-like
    start): Markdown then renders it.
    """
    if "**" not in text or text != text.strip() or _BLOCK_START.match(text):
        return None
    parts = _STRONG.split(text)  # plain, bold, plain, …, plain
    if len(parts) < 3 or not all(parts[2:-1:2]):
        return None
    if not all(_PLAIN.fullmatch(p) for p in parts if p):
        return None
    marked = (p if i % 2 == 0 else f"<strong>{p}</strong>" for i, p in enumerate(parts))
    return f"<p>{''.join(marked)}</p>"


def render(text: str, *, media_url: MediaUrl | None = None) -> Rendered:
    """Render Markdown to sanitised HTML and collect relative image paths.

    Plain text (most option texts and explanations: one or more plain one-line
    paragraphs separated by a blank line, or one line with ``**bold**`` runs)
    skips Markdown and nh3 entirely; its output is identical to the slow path
    (checked by property tests).
    """
    if is_plain(text):
        return Rendered(f"<p>{text}</p>", ())
    if "\n\n" in text and all(is_plain(p) for p in text.split("\n\n")):
        return Rendered("\n".join(f"<p>{p}</p>" for p in text.split("\n\n")), ())
    if (bold := bold_line_html(text)) is not None:
        return Rendered(bold, ())
    md = _md()
    md.reset()
    try:
        converted = md.convert(text)
    except RecursionError:
        # Deep lists and quotes are refused before (format.limits); deep inline
        # markup is found here. The instance may hold half a tree: drop it.
        _local.md = None
        return Rendered(f"<p>{html.escape(text)}</p>", (), too_deep=True)
    return _sanitise(converted, media_url)


def render_markdown(text: str, *, media_url: MediaUrl | None = None) -> str:
    """Markdown → sanitised HTML (block level, e.g. ``<p>…</p>``).

    Relative image paths are passed through ``media_url(relpath)`` when given and
    left relative otherwise; images climbing out with ``..`` lose their ``src``.
    Tables are wrapped in ``<div class="table-scroll">``; ids and in-page anchors
    get the ``md-`` prefix. No script, event handler, style, iframe, object, form,
    ``javascript:`` or ``data:`` URL survives.
    """
    return render(text, media_url=media_url).html


def render_stem(text: str, *, media_url: MediaUrl | None = None) -> Rendered:
    """Render a question stem, showing each ``{{answer}}`` as an empty blank.

    The answers never reach the renderer: blanks become placeholders first, and
    the placeholders become ``<span class="blank" data-blank="N">（　　）</span>``
    (N from 1) after sanitising.
    """
    from studyapp.content.format.answers import BLANK

    numbers = itertools.count(1)
    tokened = BLANK.sub(lambda _: f"QQBLANKQQ{next(numbers)}QQ", text)
    done = render(tokened, media_url=media_url)
    html_out = _BLANK_TOKEN.sub(lambda m: BLANK_HTML.format(n=m.group(1)), done.html)
    return Rendered(html_out, done.images)


def unwrap_paragraph(html_text: str) -> str:
    """Drop the ``<p>`` around HTML that is exactly one paragraph."""
    out = html_text.strip()
    match = _P_WRAPPED.match(out)
    return match.group(1) if match else out


def render_inline(text: str, *, media_url: MediaUrl | None = None) -> str:
    """Like :func:`render_markdown` but without the ``<p>`` around a single paragraph.

    Used for option texts, which sit inside a ``<label>``.
    """
    return unwrap_paragraph(render_markdown(text, media_url=media_url))


def extract_image_paths(text: str) -> list[str]:
    """Relative image paths referenced by Markdown *text* (``![](…)`` or ``<img>``).

    Paths are normalised POSIX paths relative to the Markdown file, in order of
    first use, without duplicates; http(s) and site-absolute images are left out.
    """
    return list(render(text).images)


def text_length(html_text: str) -> int:
    """Number of visible non-whitespace characters in sanitised HTML."""
    plain = html.unescape(re.sub(r"<[^>]+>", "", html_text))
    return sum(1 for ch in plain if not ch.isspace())
