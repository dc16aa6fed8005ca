"""PURE: clean text from cells and paragraphs: line breaks, odd spaces, numbers."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time

#: Invisible characters that office programs leave in text: zero-width spaces and
#: joiners, word joiner, BOM, soft hyphen. They are dropped.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
#: Spaces of other widths become a plain space; the full-width space (U+3000) is
#: kept inside text, where Chinese authors use it on purpose (「（　）」).
_ODD_SPACES = dict.fromkeys(
    map(
        ord,
        "\t\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
        "\u2008\u2009\u200a\u202f\u205f",
    ),  # fmt: skip
    " ",
)
_TABLE = {**_INVISIBLE, **_ODD_SPACES}
#: Excel keeps a carriage return typed in a cell as the escape ``_x000D_``.
_BREAKS = re.compile(r"_x000D_\n?|\r\n?|[\u2028\u2029\v\f\x85]")


#: Anything clean_lines changes besides trimming (most cells have none of it).
_SPECIAL = re.compile(
    "[\n\r\t\v\f\x85\xa0\xad\u1680\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\ufeff_]"
)


def clean_lines(text: str) -> list[str]:
    """The non-empty lines of *text*, each trimmed, with odd spaces made plain."""
    if not _SPECIAL.search(text):
        stripped = text.strip()
        return [stripped] if stripped else []
    text = _BREAKS.sub("\n", text).translate(_TABLE)
    return [line.strip() for line in text.split("\n") if line.strip()]


def clean_text(text: str) -> str:
    """*text* on one line: its non-empty lines joined by a space."""
    return " ".join(clean_lines(text))


def cell_text(value: object) -> str:
    """A cell value as the author sees it in Excel, before cleaning.

    Whole numbers lose the ``.0`` Excel adds (``3.0`` → ``3``); dates are
    ``YYYY-MM-DD`` (with the time when it is not midnight); booleans are
    ``TRUE``/``FALSE``, as Excel shows them.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


#: Traditional forms of the characters in headers, type names and answer words
#: (題幹, 單選題, 對/錯 …): those are read in either script; content is kept as typed.
_SIMPLIFIED = str.maketrans(
    "題幹選項單斷類難標籤簽處編號課確誤參點識擇錯對據",
    "题干选项单断类难标签签处编号课确误参点识择错对据",
)


def simplified(word: str) -> str:
    """*word* (a header, type name or answer word) in simplified characters."""
    return word.translate(_SIMPLIFIED)


def fold(text: str) -> str:
    """*text* for comparing: NFKC (full-width → half-width), no whitespace, casefold."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()
