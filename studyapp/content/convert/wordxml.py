"""PURE: read a .docx into numbered paragraphs of text, with its pictures.

Paragraphs are counted from 1 in document order, those in table cells included.
Text comes from runs (also inside hyperlinks, tracked insertions, fields and
content controls; deleted text is left out), tabs and line breaks included, with
Word's automatic numbering drawn in front. A picture becomes ``![](images/…)`` at
its place in the text; other drawings are noted as problems of their paragraph.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from studyapp.content.convert.numbering import Numbering

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "v": "urn:schemas-microsoft-com:vml",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
}
_W = f"{{{NS['w']}}}"
_MC = f"{{{NS['mc']}}}"
#: Containers whose runs are part of the paragraph's text.
_INLINE = {
    _W + t
    for t in ("hyperlink", "ins", "smartTag", "fldSimple", "sdt", "sdtContent",
              "moveTo", "customXml", "dir", "bdo")
}  # fmt: skip
#: Picture formats a browser shows (the same as the media store accepts).
IMAGE_TYPES = {"png": "png", "jpg": "jpg", "jpeg": "jpg", "gif": "gif", "webp": "webp"}
#: Folder, next to the bank, where pictures from Word go (named by content hash).
IMAGE_DIR = "images"
_PICTURES = etree.XPath(".//a:blip/@r:embed | .//v:imagedata/@r:id", namespaces=NS)
SHAPE = "有无法转换的图形（图表、SmartArt、文本框或形状）：请改为图片后再转换"


@dataclass(frozen=True)
class Paragraph:
    """One paragraph: its number, its text, and what could not be converted."""

    number: int
    text: str
    problems: tuple[str, ...] = ()


@dataclass
class WordText:
    """The paragraphs of a document and the pictures they reference."""

    paragraphs: list[Paragraph] = field(default_factory=list)
    images: dict[str, bytes] = field(default_factory=dict)


class BadDocument(Exception):
    """The bytes are not a .docx python-docx can open."""


def read_document(data: bytes) -> WordText:
    """Every paragraph of the body, in order; raises BadDocument when unreadable."""
    import docx  # only when a Word file is read: every CLI start loads this module
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.exceptions import PackageNotFoundError

    # python-docx trusts the package's parts: a damaged [Content_Types].xml or
    # document.xml fails with AttributeError or TypeError, an unsupported or
    # encrypted zip member with NotImplementedError or RuntimeError.
    try:
        document = docx.Document(io.BytesIO(data))
        part = document.part
        reader = _Reader(
            part, Numbering(_related(part, RT.NUMBERING), _related(part, RT.STYLES))
        )
        for element in _blocks(document.element.body):
            reader.paragraph(element)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError,
            etree.XMLSyntaxError, OSError, AttributeError, TypeError, EOFError,
            NotImplementedError, RuntimeError, zlib.error) as exc:  # fmt: skip
        raise BadDocument(str(exc)) from exc
    return reader.out


def _related(part: Any, reltype: str) -> Any | None:
    try:
        return part.part_related_by(reltype).element
    except (KeyError, AttributeError):
        return None


def _blocks(container: Any) -> Iterator[Any]:
    """Paragraphs of a body or cell in order, descending into tables and controls."""
    for child in container:
        if child.tag == _W + "p":
            yield child
        elif child.tag == _W + "tbl":
            for cell in child.iterfind("w:tr/w:tc", NS):
                yield from _blocks(cell)
        elif child.tag in (_W + "sdt", _W + "sdtContent", _W + "customXml"):
            yield from _blocks(child)


class _Reader:
    def __init__(self, part: Any, numbering: Numbering) -> None:
        self.part = part
        self.numbering = numbering
        self.out = WordText()

    def paragraph(self, element: Any) -> None:
        pieces: list[str] = [self.numbering.prefix(element)]
        problems: list[str] = []
        for run in _runs(element):
            for child in run:
                self._content(child, pieces, problems)
        number = len(self.out.paragraphs) + 1
        self.out.paragraphs.append(
            Paragraph(number, "".join(pieces), tuple(dict.fromkeys(problems)))
        )

    def _content(self, child: Any, pieces: list[str], problems: list[str]) -> None:
        tag = child.tag
        if tag == _W + "t":
            pieces.append(child.text or "")
        elif tag in (_W + "tab", _W + "ptab"):
            pieces.append("\t")
        elif tag in (_W + "br", _W + "cr"):
            pieces.append("\n")
        elif tag == _W + "noBreakHyphen":
            pieces.append("-")
        elif tag in (
            _W + "drawing",
            _W + "pict",
            _W + "object",
            _MC + "AlternateContent",
        ):
            self._drawing(_chosen(child), pieces, problems)

    def _drawing(self, element: Any, pieces: list[str], problems: list[str]) -> None:
        ids = _PICTURES(element)
        if not ids:
            problems.append(SHAPE)
            return
        target = self.part.related_parts.get(ids[0])
        if target is None:
            problems.append("图片已丢失（文件中找不到它的数据）：请重新插入图片")
            return
        ext = str(target.partname).rsplit(".", 1)[-1].lower()
        if ext not in IMAGE_TYPES:
            problems.append(
                f"图片是 {ext.upper()} 格式（常见于公式或旧版剪贴画），浏览器无法显示："
                "请另存为 PNG 或 JPG 后重新插入"
            )
            return
        blob = target.blob
        name = f"{IMAGE_DIR}/{hashlib.sha256(blob).hexdigest()[:16]}.{IMAGE_TYPES[ext]}"
        self.out.images[name] = blob
        pieces.append(f"![]({name})")


def _chosen(element: Any) -> Any:
    """For markup-compatibility content, the first choice (else the fallback)."""
    if element.tag != _MC + "AlternateContent":
        return element
    for branch in element:
        return branch
    return element


def _runs(container: Any) -> Iterator[Any]:
    """The runs of a paragraph in order; deleted and moved-away text is skipped."""
    for child in container:
        if child.tag == _W + "r":
            yield child
        elif child.tag in _INLINE:
            yield from _runs(child)
