"""PURE: check and grade member responses (single, multiple, 判断, 填空).

Answers come from the published question revision (JSON-shaped): single ``"A"``;
multiple ``["A", "C"]``; truefalse ``true``/``false``; fill one list of accepted
alternatives per blank, ``[["组织", "党组织"], …]``. Responses follow SPEC §7.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from fractions import Fraction
from math import floor
from typing import Any

from studyapp.content.format.answers import parse_truefalse

QUESTION_TYPES = ("single", "multiple", "truefalse", "fill")
#: Longest text accepted for one blank; longer input is a client error, not an answer.
MAX_BLANK_CHARS = 200

_KEY_SEPARATORS = re.compile(r"[\s,，、;；/|]+")
_WHITESPACE = re.compile(r"\s+")
# Zero-width characters come along with text pasted from office documents and chats.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_REQUIRED = {
    "single": "请选择一个选项",
    "multiple": "请至少选择一个选项",
    "truefalse": "请选择“正确”或“错误”",
    "fill": "请填写答案",
}


class InvalidResponse(ValueError):
    """A response that cannot be stored; ``str(exc)`` is a Chinese message for the UI.

    ``code`` is stable for API clients: ``required`` (nothing answered),
    ``invalid`` (wrong shape), ``unknown_option``, ``too_many`` (several keys for a
    single choice), ``blank_count`` (wrong number of blanks), ``too_long``.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Graded:
    """The outcome for one question.

    ``normalized`` is the response in canonical form, as it should be stored: single
    an upper-case key; multiple a sorted list of unique keys; truefalse a bool; fill a
    list of trimmed strings. It is None when the response was blank or malformed.
    ``blanks`` has one flag per 填空 blank (empty for the other types).
    """

    correct: bool
    normalized: Any
    blanks: tuple[bool, ...] = ()


def is_blank(response: Any) -> bool:
    """True when nothing was answered: None, whitespace, or a list of only those.

    ``False`` is an answer (判断 “错误”), not a blank.
    """
    if response is None:
        return True
    if isinstance(response, str):
        return not response.strip()
    if isinstance(response, list | tuple):
        return all(
            item is None or (isinstance(item, str) and not item.strip())
            for item in response
        )
    return False


def validate_response(
    qtype: str,
    response: Any,
    *,
    option_keys: Collection[str] = (),
    blanks: int = 0,
) -> Any:
    """Return the canonical form of a non-blank *response*, or raise InvalidResponse.

    Accepts what forms and JSON clients send: single ``"a"``/``"A"`` (or a one-item
    list); multiple a list of keys or a string ``"AC"``/``"A,C"``/``"A、C"``;
    truefalse a bool, ``0``/``1``, or ``"true"``/``"false"``/``"正确"``/``"错误"``/
    ``"对"``/``"错"``/``"1"``/``"0"``; fill a list with one string per blank (None
    counts as an empty blank; a bare string is accepted for a one-blank question).
    Choice keys must be among *option_keys*; *blanks* is the number of blanks.
    A blank response raises ``required``: check :func:`is_blank` first where an
    unanswered question is allowed (it grades as wrong). Unknown *qtype* raises
    a plain ValueError.
    """
    _check_type(qtype)
    if is_blank(response):
        raise InvalidResponse("required", _REQUIRED[qtype])
    canonical = _canonical(qtype, response, blanks)
    if qtype in ("single", "multiple"):
        _check_keys(canonical, option_keys)
    return canonical


def grade(qtype: str, answer: Any, response: Any) -> Graded:
    """Grade *response* against the revision's *answer*; never raises on a response.

    single: the same key; multiple: exactly the same set of keys (all or nothing);
    truefalse: the same bool; fill: every blank matches one of its alternatives after
    :func:`normalise_blank`. Blank or malformed responses are wrong. Unknown *qtype*
    raises ValueError (a programming error, not a member's).
    """
    _check_type(qtype)
    n_blanks = len(answer) if qtype == "fill" else 0
    wrong = Graded(False, None, (False,) * n_blanks)
    if is_blank(response):
        return wrong
    try:
        canonical = _canonical(qtype, response, n_blanks)
    except InvalidResponse:
        return wrong
    if qtype == "fill":
        pairs = zip(canonical, answer, strict=True)
        flags = tuple(_blank_ok(text, alts) for text, alts in pairs)
        return Graded(bool(flags) and all(flags), canonical, flags)
    return Graded(canonical == _canonical_answer(qtype, answer), canonical)


def normalise_blank(text: str) -> str:
    """Fold a 填空 text for comparison.

    NFKC (full-width → half-width: ``Ａ１（`` → ``A1(``, U+3000 → space), zero-width
    characters dropped, case folded, runs of whitespace collapsed to one space and
    the ends trimmed. Chinese characters are compared as written: traditional and
    simplified forms are different answers.
    """
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    # Case folding can leave text that NFKC would change again (e.g. decomposed
    # accents): normalise once more so the fold is stable.
    folded = unicodedata.normalize("NFKC", text.casefold())
    return _WHITESPACE.sub(" ", folded).strip()


def score_percent(correct: int, total: int) -> float:
    """Share of correct answers in percent, rounded half up to one decimal; 0 if none.

    Raises ValueError when the counts are negative or *correct* exceeds *total*.
    """
    if correct < 0 or total < 0 or correct > total:
        raise ValueError(f"bad counts: {correct}/{total}")
    if total == 0:
        return 0.0
    tenths = floor(Fraction(1000 * correct, total) + Fraction(1, 2))
    return tenths / 10


def _check_type(qtype: str) -> None:
    if qtype not in QUESTION_TYPES:
        raise ValueError(f"unknown question type: {qtype!r}")


def _canonical(qtype: str, response: Any, blanks: int) -> Any:
    if qtype == "single":
        return _single(response)
    if qtype == "multiple":
        return _multiple(response)
    if qtype == "truefalse":
        return _truefalse(response)
    return _fill(response, blanks)


def _key(value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidResponse("invalid", "答案格式不正确")
    return unicodedata.normalize("NFKC", value).strip().upper()


def _single(response: Any) -> str:
    if isinstance(response, list | tuple):
        keys = [k for k in map(_key, response) if k]
        if len(keys) != 1:
            raise InvalidResponse("too_many", "单选题只能选择一个选项")
        return keys[0]
    return _key(response)


def _multiple(response: Any) -> list[str]:
    if isinstance(response, str):
        tokens = [t for t in _KEY_SEPARATORS.split(_key(response)) if t]
        # "AC" is one letter per key; opaque keys ("K384129") always hold digits.
        one_word = len(tokens) == 1 and tokens[0].isalpha()
        keys = list(tokens[0]) if one_word else tokens
    elif isinstance(response, list | tuple):
        keys = [k for k in map(_key, response) if k]
    else:
        raise InvalidResponse("invalid", "答案格式不正确")
    return sorted(set(keys))


def _truefalse(response: Any) -> bool:
    if isinstance(response, bool):
        return response
    if isinstance(response, int) and response in (0, 1):
        return bool(response)
    if isinstance(response, str):
        token = response.strip()
        if token in ("1", "0"):
            return token == "1"
        value = parse_truefalse(token)
        if value is not None:
            return value
    raise InvalidResponse("invalid", "判断题请回答“正确”或“错误”")


def _fill(response: Any, blanks: int) -> list[str]:
    if isinstance(response, str) and blanks == 1:
        response = [response]
    if not isinstance(response, list | tuple):
        raise InvalidResponse("invalid", "答案格式不正确")
    if len(response) != blanks:
        raise InvalidResponse("blank_count", f"应填写 {blanks} 个空")
    return [_blank_text(item) for item in response]


def _blank_text(item: Any) -> str:
    if item is None:
        return ""
    if isinstance(item, int) and not isinstance(item, bool):
        item = str(item)  # a JSON client may send a year as a number
    if not isinstance(item, str):
        raise InvalidResponse("invalid", "答案格式不正确")
    text = item.strip()
    if len(text) > MAX_BLANK_CHARS:
        raise InvalidResponse("too_long", f"每空最多 {MAX_BLANK_CHARS} 字")
    return text


def _check_keys(canonical: str | list[str], option_keys: Collection[str]) -> None:
    known = {_key(k) for k in option_keys}
    for key in [canonical] if isinstance(canonical, str) else canonical:
        if key not in known:
            raise InvalidResponse("unknown_option", f"选项 {key} 不存在")


def _canonical_answer(qtype: str, answer: Any) -> Any:
    if qtype == "multiple":
        return sorted({_key(k) for k in answer})
    if qtype == "single":
        return _key(answer)
    return answer


def _blank_ok(text: str, alternatives: Any) -> bool:
    if isinstance(alternatives, str):
        alternatives = [alternatives]
    mine = normalise_blank(text)
    return bool(mine) and any(mine == normalise_blank(alt) for alt in alternatives)
