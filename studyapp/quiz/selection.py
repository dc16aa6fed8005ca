"""PURE: reproducible question draws and option orders, derived from a seed string.

Randomness comes only from ``random.Random`` seeded with a sha256 of the seed string
(never Python's salted ``hash()``), so a draw can be replayed from the seed stored
with the attempt as long as the candidates and this algorithm are unchanged.
"""

from __future__ import annotations

import hashlib
import html
import json
import random
import re
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    """A question that may be drawn; ``times_seen``: how often this member had it."""

    question_id: int
    bank: str | None
    tags: tuple[str, ...]
    type: str
    times_seen: int


@dataclass(frozen=True)
class Rule:
    """Draw ``count`` questions matching every criterion given.

    A candidate matches when its bank equals ``bank`` (if given), it shares at least
    one of ``tags`` (if given), and its type is one of ``types`` (if given).
    """

    count: int
    bank: str | None = None
    tags: tuple[str, ...] = ()
    types: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.count < 0:
            raise ValueError(f"Rule.count must be >= 0, got {self.count}")

    def matches(self, candidate: Candidate) -> bool:
        """Whether *candidate* is eligible under this rule."""
        return (
            (self.bank is None or candidate.bank == self.bank)
            and (not self.tags or not set(self.tags).isdisjoint(candidate.tags))
            and (not self.types or candidate.type in self.types)
        )


@dataclass(frozen=True)
class Draw:
    """One attempt's questions, and how many each rule could not supply.

    ``missing[i]`` is rule *i*'s shortfall: its share of the total (after ``first``)
    minus what it found. ``sum(missing) > 0`` means the paper is shorter than asked.
    """

    question_ids: list[int]
    missing: tuple[int, ...]

    @property
    def total_missing(self) -> int:
        """How many questions short of the requested total the paper is."""
        return sum(self.missing)


def make_seed(*parts: object) -> str:
    """A 16-hex-digit seed from *parts*, e.g. ``make_seed(quiz, occurrence, user, n)``.

    The parts are encoded unambiguously (as a JSON list of their ``str``), so
    ``("a|b", "c")`` and ``("a", "b|c")`` give different seeds.
    """
    text = json.dumps([str(p) for p in parts], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def draw(
    candidates: Iterable[Candidate],
    rules: Sequence[Rule],
    seed: str,
    *,
    exclude: Collection[int] = (),
    first: Sequence[int] = (),
) -> list[int]:
    """The question ids of one attempt, in the order they are asked.

    The total is ``sum(rule.count)``. ``first`` ids (e.g. due 错题本 reviews, most
    urgent first) open the paper in the given order and use up the total before any
    rule; ids beyond the total are dropped. The remaining budget goes to the rules in
    order, each taking at most its ``count``: within a rule the least-seen eligible
    questions come first, ties in a pseudo-random order fixed by *seed*. A question
    is never asked twice (a later rule cannot take what an earlier one took) and
    ``exclude`` ids are never drawn, not even from ``first``. A rule that runs short
    takes what exists (see :func:`draw_detailed` for the shortfall). Rule-drawn ids
    are shuffled by *seed* after the ``first`` ids. Candidate order does not matter:
    same inputs and seed, same paper.
    """
    result = draw_detailed(candidates, rules, seed, exclude=exclude, first=first)
    return result.question_ids


def draw_detailed(
    candidates: Iterable[Candidate],
    rules: Sequence[Rule],
    seed: str,
    *,
    exclude: Collection[int] = (),
    first: Sequence[int] = (),
) -> Draw:
    """:func:`draw`, plus each rule's shortfall so callers can warn authors."""
    excluded = set(exclude)
    budget = sum(rule.count for rule in rules)
    head = _unique(q for q in first if q not in excluded)[:budget]
    taken = set(head) | excluded
    pool = _tie_order(candidates, taken, seed)
    budget -= len(head)
    drawn: list[int] = []
    missing: list[int] = []
    for rule in rules:
        share = min(rule.count, budget)
        picked = _fill_rule(rule, pool, taken, share)
        drawn += picked
        missing.append(share - len(picked))
        budget -= share
    _rng(seed, "order").shuffle(drawn)
    return Draw(head + drawn, tuple(missing))


def option_order(option_keys: Sequence[str], seed: str, *, shuffle: bool) -> list[str]:
    """The order to show options in: a permutation of *option_keys* fixed by *seed*.

    Keys stay attached to their options (grading uses keys); only the display order
    changes. With ``shuffle`` False (see :func:`should_shuffle`) the authored order
    is kept. Pass a per-question seed, e.g. ``make_seed(attempt_seed, question_id)``.
    """
    keys = list(option_keys)
    if shuffle:
        _rng(seed, "options").shuffle(keys)
    return keys


# Options that refer to other options or to their position: 以上都对, 以上均不正确,
# 上述说法都对, 全部正确, 都不对, 均不是, 两者皆非, A和B, A、B两项, AB都对, 前三项.
_POSITIONAL = re.compile(
    r"(以上|上述)(都|均|皆|全|各|所有|说法|选项|答案|几项|[一二两三四五六七八\d]项)"
    r"|全部(正确|错误|都|对|错|是|不|符合|属于)"
    r"|(都|均|皆|全)(是|对|错|不|非|正确|错误|符合|属于|可以)"
    r"|(?<![A-Za-z])[A-H]\s*[和与及或、,]\s*[A-H](?![A-Za-z])"
    r"|(?<![A-Za-z])[A-H]{2,}\s*(两|三|四|都|均|项)"
    r"|前[两二三四五]项|两者|二者|选项\s*[A-H](?![A-Za-z])"
)
_TAG = re.compile(r"<[^>]*>")


def should_shuffle(option_htmls: Sequence[str]) -> bool:
    """False when any option refers to others or to its place.

    For example 以上都是, 全部正确, 都不对, A和B: shuffling would make them wrong.

    Errs on the side of not shuffling: a false alarm only keeps the authored order.
    """
    for option in option_htmls:
        text = unicodedata.normalize("NFKC", html.unescape(_TAG.sub("", option)))
        if _POSITIONAL.search(text):
            return False
    return True


def _rng(seed: str, purpose: str) -> random.Random:
    digest = hashlib.sha256(f"{purpose}\x1f{seed}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _unique(ids: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(ids))


def _tie_order(
    candidates: Iterable[Candidate], taken: Collection[int], seed: str
) -> list[Candidate]:
    """Eligible candidates in draw order: least seen first, seeded order within ties.

    Sorting by id before the shuffle makes the result independent of input order.
    """
    by_id: dict[int, Candidate] = {}
    for cand in candidates:
        if cand.question_id not in taken:
            by_id.setdefault(cand.question_id, cand)
    pool = [by_id[q] for q in sorted(by_id)]
    _rng(seed, "ties").shuffle(pool)
    pool.sort(key=lambda c: c.times_seen)  # stable: keeps the seeded order in ties
    return pool


def _fill_rule(
    rule: Rule, pool: Sequence[Candidate], taken: set[int], share: int
) -> list[int]:
    picked: list[int] = []
    for cand in pool:
        if len(picked) >= share:
            break
        if cand.question_id not in taken and rule.matches(cand):
            picked.append(cand.question_id)
            taken.add(cand.question_id)
    return picked
