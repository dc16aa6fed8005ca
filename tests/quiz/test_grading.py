"""Grading: what a member's answer is worth, and what the form accepts."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studyapp.quiz.grading import (
    Graded,
    InvalidResponse,
    grade,
    is_blank,
    normalise_blank,
    score_percent,
    validate_response,
)

KEYS = ("A", "B", "C", "D")
FILL = [["组织", "党组织"], ["1921"]]


def check(qtype: str, response: Any, **kw: Any) -> Any:
    kw.setdefault("option_keys", KEYS)
    return validate_response(qtype, response, **kw)


def error_of(qtype: str, response: Any, **kw: Any) -> InvalidResponse:
    with pytest.raises(InvalidResponse) as info:
        check(qtype, response, **kw)
    return info.value


# -- single choice -----------------------------------------------------------------


def test_single_choice_right_key_is_correct():
    assert grade("single", "A", "A") == Graded(True, "A")


def test_single_choice_other_key_is_wrong():
    assert grade("single", "A", "B") == Graded(False, "B")


@pytest.mark.parametrize("response", ["a", " A ", "Ａ", ["A"]])
def test_single_choice_accepts_lower_case_and_full_width_keys(response):
    assert check("single", response) == "A"
    assert grade("single", "A", response).correct


def test_single_choice_with_unknown_option_is_refused():
    err = error_of("single", "E")
    assert str(err) == "选项 E 不存在"
    assert err.code == "unknown_option"


def test_single_choice_with_two_keys_is_refused_and_graded_wrong():
    assert error_of("single", ["A", "B"]).code == "too_many"
    assert not grade("single", "A", ["A", "B"]).correct


def test_single_choice_nothing_chosen_asks_to_choose():
    err = error_of("single", "")
    assert (err.code, str(err)) == ("required", "请选择一个选项")


# -- multiple choice ---------------------------------------------------------------


def test_multiple_choice_needs_exactly_the_right_set():
    assert grade("multiple", ["A", "C"], ["C", "A"]) == Graded(True, ["A", "C"])
    assert not grade("multiple", ["A", "C"], ["A"]).correct
    assert not grade("multiple", ["A", "C"], ["A", "B", "C"]).correct


@pytest.mark.parametrize(
    "response", ["AC", "A,C", "a、c", "C，A", "A C", ["c", "a", "A"]]
)
def test_multiple_choice_accepts_strings_and_lists_in_any_order(response):
    assert check("multiple", response) == ["A", "C"]


def test_multiple_choice_ignores_empty_form_values():
    assert check("multiple", ["A", "", "C"]) == ["A", "C"]


def test_multiple_choice_with_unknown_option_names_it():
    assert str(error_of("multiple", "ABE")) == "选项 E 不存在"


def test_multiple_choice_nothing_chosen_asks_for_at_least_one():
    assert str(error_of("multiple", [])) == "请至少选择一个选项"


# -- true/false --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("response", "value"),
    [
        (True, True),
        (False, False),
        ("true", True),
        ("false", False),
        ("正确", True),
        ("错误", False),
        ("对", True),
        ("错", False),
        ("1", True),
        ("0", False),
        (1, True),
        (0, False),
    ],
)
def test_true_false_accepts_form_and_json_spellings(response, value):
    assert check("truefalse", response) is value


def test_true_false_false_is_an_answer_not_a_blank():
    assert not is_blank(False)
    assert grade("truefalse", False, False) == Graded(True, False)
    assert grade("truefalse", True, False) == Graded(False, False)


@pytest.mark.parametrize("response", ["maybe", 2, ["正确"], {"v": True}])
def test_true_false_refuses_anything_else(response):
    assert error_of("truefalse", response).code == "invalid"


# -- fill in the blanks ------------------------------------------------------------


def test_fill_in_accepts_full_width_letters_and_any_alternative():
    answer = [["CPU"], ["组织", "党组织"]]
    graded = grade("fill", answer, ["ｃｐｕ", "党组织"])
    assert graded == Graded(True, ["ｃｐｕ", "党组织"], (True, True))


def test_fill_in_trims_spaces_including_full_width_ones():
    assert grade("fill", FILL, ["\u3000组织 ", " １９２１\u3000"]).correct


def test_fill_in_reports_which_blank_is_wrong():
    graded = grade("fill", FILL, ["组织", "1949"])
    assert not graded.correct
    assert graded.blanks == (True, False)


def test_fill_in_does_not_convert_traditional_to_simplified():
    assert not grade("fill", FILL, ["組織", "1921"]).correct


def test_fill_in_partly_answered_is_stored_and_wrong():
    assert check("fill", ["组织", None], blanks=2) == ["组织", ""]
    graded = grade("fill", FILL, ["组织", ""])
    assert graded == Graded(False, ["组织", ""], (True, False))


def test_fill_in_wrong_number_of_blanks_is_refused_and_graded_wrong():
    err = error_of("fill", ["组织"], blanks=2)
    assert (err.code, str(err)) == ("blank_count", "应填写 2 个空")
    assert grade("fill", FILL, ["组织"]) == Graded(False, None, (False, False))


def test_fill_in_one_blank_may_be_sent_as_a_plain_string():
    assert check("fill", " 党组织 ", blanks=1) == ["党组织"]
    assert grade("fill", [["组织", "党组织"]], "党组织").correct


def test_fill_in_a_year_sent_as_a_number_is_accepted():
    assert check("fill", ["组织", 1921], blanks=2) == ["组织", "1921"]


def test_fill_in_an_overlong_blank_is_refused():
    assert error_of("fill", ["党" * 201], blanks=1).code == "too_long"


def test_fill_in_canonical_form_keeps_what_the_member_typed():
    assert check("fill", [" Ａb ", "１"], blanks=2) == ["Ａb", "１"]


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("  党组织  ", "党组织"),
        ("\u3000党组织\u3000", "党组织"),
        ("ＡＢＣ", "abc"),
        ("１９２１", "1921"),
        ("（一）", "(一)"),
        ("Marx  \t Engels", "marx engels"),
        ("党\u200b组织", "党组织"),
        ("組織", "組織"),
    ],
)
def test_normalise_blank(text, folded):
    assert normalise_blank(text) == folded


# -- blanks and garbage ------------------------------------------------------------


@pytest.mark.parametrize("response", [None, "", "  ", "\u3000", [], ["", None, " "]])
def test_blank_responses(response):
    assert is_blank(response)


@pytest.mark.parametrize("qtype", ["single", "multiple", "truefalse"])
def test_an_unanswered_question_is_wrong_not_an_error(qtype):
    answer = {"single": "A", "multiple": ["A", "B"], "truefalse": True}[qtype]
    assert grade(qtype, answer, None) == Graded(False, None)


def test_an_unanswered_fill_in_is_wrong_for_every_blank():
    assert grade("fill", FILL, None) == Graded(False, None, (False, False))


def test_unknown_question_type_is_a_programming_error():
    with pytest.raises(ValueError):
        grade("essay", "A", "A")
    with pytest.raises(ValueError):
        validate_response("essay", "A")


json_like = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=12,
)
ANSWERS = {"single": "A", "multiple": ["A", "C"], "truefalse": False, "fill": FILL}


@given(qtype=st.sampled_from(sorted(ANSWERS)), response=json_like)
def test_grade_never_raises_on_arbitrary_json(qtype, response):
    graded = grade(qtype, ANSWERS[qtype], response)
    assert isinstance(graded.correct, bool)
    if qtype == "fill":
        assert len(graded.blanks) == 2


@given(qtype=st.sampled_from(sorted(ANSWERS)), response=json_like)
def test_a_validated_response_grades_the_same_and_is_already_canonical(qtype, response):
    try:
        canonical = check(qtype, response, blanks=2)
    except InvalidResponse as err:
        assert str(err)  # always a message for the member
        return
    assert grade(qtype, ANSWERS[qtype], canonical) == grade(
        qtype, ANSWERS[qtype], response
    )
    assert check(qtype, canonical, blanks=2) == canonical


@given(st.text())
def test_normalise_blank_is_idempotent(text):
    once = normalise_blank(text)
    assert normalise_blank(once) == once


# -- score -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("correct", "total", "percent"),
    [(0, 0, 0.0), (0, 5, 0.0), (5, 5, 100.0), (2, 3, 66.7), (1, 3, 33.3), (1, 16, 6.3)],
)
def test_score_percent_has_one_decimal_rounded_half_up(correct, total, percent):
    assert score_percent(correct, total) == percent


@pytest.mark.parametrize(("correct", "total"), [(-1, 3), (4, 3), (0, -1)])
def test_score_percent_refuses_impossible_counts(correct, total):
    with pytest.raises(ValueError):
        score_percent(correct, total)
