"""PURE: stable question ids across conversions of the same file.

The scheme: an id from the 编号/ID column is used as written (a bare number N
means ``<bank>-NNN``). Otherwise a question keeps the id it had in the existing
bank file when it is unchanged (the same Markdown, wherever it moved), or when
it sits at the same place: the same position in the same section (sheet row
order, or the paper's numbering within a 题型 section), so an edited question keeps
its id. Any other question is new and gets ``<bank>-NNN``, NNN one more than the
highest number the bank has used (in the file, or in *reserved*: ids the
database already knows, so a retired question's id is never handed out again).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from studyapp.content.format.blocks import HEADING1, HEADING2, HEADING_ID, fenced
from studyapp.content.format.docs import IssueLog
from studyapp.content.format.yamlmeta import normalise_newlines, split_front_matter

#: (section index, position in the section), both from 0; section 0 holds the
#: questions before the first level-1 heading, section k those after the k-th.
Slot = tuple[int, int]


@dataclass(frozen=True)
class Previous:
    """What an existing bank file says: its front matter and its questions.

    ``by_text`` maps a question's Markdown (its id taken out) to its ids in file
    order; ``by_slot`` maps a slot to the id there.
    """

    bank_id: str | None = None
    title: str | None = None
    lesson: str | None = None
    by_text: dict[str, list[str]] = field(default_factory=dict)
    by_slot: dict[Slot, str] = field(default_factory=dict)

    @property
    def ids(self) -> set[str]:
        return set(self.by_slot.values())


def read_previous(text: str | None) -> Previous:
    """Read an existing bank file (None or unreadable: nothing is kept)."""
    if not text:
        return Previous()
    log = IssueLog("previous.md")
    front = split_front_matter(normalise_newlines(text), log)
    if front is None:
        return Previous()
    meta = {k: f.value for k, f in front.fields.items() if isinstance(f.value, str)}
    by_text: dict[str, list[str]] = defaultdict(list)
    by_slot: dict[Slot, str] = {}
    for slot, qid, block in question_blocks(front.body):
        by_text[block].append(qid)
        by_slot[slot] = qid
    return Previous(
        meta.get("id"), meta.get("title"), meta.get("lesson"), dict(by_text), by_slot
    )


def question_blocks(body: str) -> Iterable[tuple[Slot, str, str]]:
    """``(slot, id, text)`` of each question with an id; text has the id taken out."""
    section, position = 0, 0
    current: list[str] | None = None
    qid = ""
    for _, line, inside in fenced(body.split("\n")):
        heading = None if inside else HEADING2.match(line)
        if heading or (not inside and HEADING1.match(line)):
            if current is not None:
                yield (section, position - 1), qid, block_text(current)
            current = None
            if heading and (found := HEADING_ID.search(line)):
                qid, current = found.group(1).strip(), [line[: found.start()].rstrip()]
                position += 1
            elif not heading:
                section, position = section + 1, 0
        elif current is not None:
            current.append(line)
    if current is not None:
        yield (section, position - 1), qid, block_text(current)


def block_text(lines: Sequence[str]) -> str:
    """A question's lines as compared between conversions (trailing blanks cut)."""
    return "\n".join(line.rstrip() for line in lines).rstrip("\n")


def assign_ids(
    bank_id: str,
    wanted: Sequence[tuple[Slot, str, str | None]],
    previous: Previous,
    reserved: Iterable[str] = (),
) -> list[str]:
    """An id for each question given as ``(slot, text, id from the file or None)``.

    *text* is the question's Markdown without its id, as :func:`question_blocks`
    gives it. Ids are unique; see the module docstring for the rules.
    """
    ids: list[str | None] = [given for _, _, given in wanted]
    taken = {i for i in ids if i is not None}
    pools = {
        text: [i for i in found if i not in taken]
        for text, found in previous.by_text.items()
    }
    for index, (_, text, _) in enumerate(wanted):
        pool = pools.get(text, [])
        while pool and pool[0] in taken:  # a file may repeat an id by mistake
            pool.pop(0)
        if ids[index] is None and pool:
            found = pool.pop(0)
            ids[index] = found
            taken.add(found)
    for index, (slot, _, _) in enumerate(wanted):
        old = previous.by_slot.get(slot)
        if ids[index] is None and old is not None and old not in taken:
            ids[index] = old
            taken.add(old)
    counter = _Counter(bank_id, [*taken, *previous.ids, *reserved])
    return [i if i is not None else counter.next(taken) for i in ids]


class _Counter:
    """Hands out ``<bank>-NNN`` above the highest number in use."""

    def __init__(self, bank_id: str, used: Iterable[str]) -> None:
        self.bank_id = bank_id
        pattern = re.compile(rf"{re.escape(bank_id)}-(\d+)")
        self.last = max(
            (int(m.group(1)) for i in used if (m := pattern.fullmatch(i))), default=0
        )

    def next(self, taken: set[str]) -> str:
        while True:
            self.last += 1
            candidate = f"{self.bank_id}-{self.last:03d}"
            if candidate not in taken:
                taken.add(candidate)
                return candidate
