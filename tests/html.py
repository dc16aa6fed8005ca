"""Read one element of a page, so a test asserts what a fragment shows."""

from __future__ import annotations

from html.parser import HTMLParser

_VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr", "col"}


class _Element(HTMLParser):
    def __init__(self, wanted: str) -> None:
        super().__init__(convert_charrefs=True)
        self.wanted = wanted
        self.depth = 0  # > 0 while inside the wanted element
        self.found = False
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth:
            self.depth += tag not in _VOID
        elif dict(attrs).get("id") == self.wanted and not self.found:
            self.found, self.depth = True, 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag not in _VOID:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text.append(data)


def text_of(html: str, element_id: str) -> str:
    """The visible text inside the element with ``id`` (whitespace folded);
    AssertionError when the page has no such element."""
    parser = _Element(element_id)
    parser.feed(html)
    assert parser.found, f"no element #{element_id} on the page"
    return " ".join("".join(parser.text).split())
