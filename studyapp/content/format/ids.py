"""PURE: write missing ``{#id}``s into question headings; every other byte stays."""

from __future__ import annotations

import re
from collections.abc import Iterable

from studyapp.content.format.blocks import HEADING2, HEADING_ID, fenced
from studyapp.content.format.yamlmeta import DELIMITER

_NEWLINE = re.compile(r"(\r\n|\r|\n)")


def add_missing_ids(
    text: str, bank_id: str, existing_ids: set[str]
) -> tuple[str, list[str]]:
    """Append ``{#<bank_id>-NNN}`` to each question heading that has no id.

    NNN continues after the highest ``<bank_id>-N`` in *existing_ids* or in the file
    (never reusing a number, so a retired question's id is not given to a new one),
    zero-padded to 3 digits. Returns the new text and the ids added, in file order.
    Line endings, BOM, front matter, fenced code and all other text are unchanged;
    running it again adds nothing.
    """
    parts = _NEWLINE.split(text)
    lines = parts[0::2]
    start = _body_start(lines)
    if start is None:
        return text, []
    body = [lines[i] for i in range(start, len(lines))]
    headings = [
        start + i
        for i, line, inside in fenced(body)
        if not inside and _is_question(line)
    ]
    used = set(existing_ids) | set(_ids_in(lines[i] for i in headings))
    last = _highest(bank_id, used)
    added: list[str] = []
    for index in headings:
        if HEADING_ID.search(lines[index]):
            continue
        last, new_id = _next_id(bank_id, last, used)
        added.append(new_id)
        parts[index * 2] = _with_id(lines[index], new_id)
    return "".join(parts), added


def _body_start(lines: list[str]) -> int | None:
    """Index of the first body line, or None when the front matter is unclosed."""
    if not DELIMITER.fullmatch(lines[0].removeprefix("\ufeff")):
        return 0
    for index in range(1, len(lines)):
        if DELIMITER.fullmatch(lines[index]):
            return index + 1
    return None


def _is_question(line: str) -> bool:
    match = HEADING2.match(line)
    return bool(match and (match.group(1) or "").strip())


def _ids_in(headings: Iterable[str]) -> Iterable[str]:
    for line in headings:
        match = HEADING_ID.search(line)
        if match:
            yield match.group(1).strip()


def _highest(bank_id: str, used: set[str]) -> int:
    pattern = re.compile(rf"{re.escape(bank_id)}-(\d+)")
    return max(
        (int(m.group(1)) for i in used if (m := pattern.fullmatch(i))), default=0
    )


def _next_id(bank_id: str, last: int, used: set[str]) -> tuple[int, str]:
    while True:
        last += 1
        candidate = f"{bank_id}-{last:03d}"
        if candidate not in used:
            used.add(candidate)
            return last, candidate


def _with_id(line: str, new_id: str) -> str:
    content = line.rstrip(" \t")
    return f"{content} {{#{new_id}}}{line[len(content) :]}"
