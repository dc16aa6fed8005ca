"""Option keys are opaque: they never tell a member the order the author wrote.

Options are shown shuffled, and authors put right answers first (45 of 46
multiple-choice answers in the first shipped banks were "the first N"). Keys
that were the author's letters gave that order away to anyone reading a page or
the API. Keys are now a hash of the question and the option's own text.
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select

from studyapp.content.format.checker import check_tree
from studyapp.content.models import Question, QuestionRevision
from studyapp.content.publishing import option_keys, publish_report
from studyapp.timeutil import utcnow
from tests.content_helpers import write

BANK = """---
id: keys
title: 选项
---

## 【多选题】属于“三会”的有（　） {{#q-multi}}
- [x] {a}
- [x] 支部委员会
- [ ] 团员大会
- [ ] 职工大会
解析：团员大会不是。
"""

REPO = Path(__file__).resolve().parents[2]


def publish(session, root, a="支部党员大会"):  # type: ignore[no-untyped-def]
    write(root, "quizzes/keys.md", BANK.format(a=a))
    report = check_tree([root])
    assert report.ok, [str(i) for i in report.errors]
    publish_report(session, report, content_root=root, scope=[root], now=utcnow())
    session.flush()
    return session.scalar(
        select(QuestionRevision)
        .join(Question, Question.current_revision_id == QuestionRevision.id)
        .where(Question.slug == "q-multi")
    )


def test_keys_are_not_the_authors_letters(session, tmp_path):
    revision = publish(session, tmp_path)
    keys = [o["key"] for o in revision.options]
    assert [o["label"] for o in revision.options] == ["A", "B", "C", "D"]
    assert all(re.fullmatch(r"K\d{6}", k) for k in keys) and len(set(keys)) == 4
    assert revision.answer == sorted(keys[:2])  # the key, in opaque keys


def test_a_key_follows_its_option_and_only_an_edited_option_changes(
    session, tmp_path
):
    first = [o["key"] for o in publish(session, tmp_path).options]
    again = [o["key"] for o in publish(session, tmp_path, a="支部党员大会 ").options]
    assert again == first  # whitespace the renderer drops: same option
    edited = [o["key"] for o in publish(session, tmp_path, a="党员大会").options]
    assert edited[0] != first[0] and edited[1:] == first[1:]


def test_options_with_the_same_text_still_get_distinct_keys():
    keys = option_keys("q", ["<p>同</p>", "<p>同</p>", "<p>异</p>"])
    assert len(set(keys)) == 3


def test_the_order_of_keys_tells_nothing_about_the_shipped_answers(session):
    """In the shipped banks, sorting the keys no longer lines up with the answer."""
    root = REPO / "content"
    report = check_tree([root])
    assert report.ok, [str(i) for i in report.errors]
    publish_report(session, report, content_root=root, scope=[root], now=utcnow())
    session.flush()
    multiples = session.scalars(
        select(QuestionRevision).where(QuestionRevision.type == "multiple")
    ).all()
    assert len(multiples) >= 20
    first_n = 0
    for rev in multiples:
        by_key = sorted(o["key"] for o in rev.options)
        first_n += rev.answer == by_key[: len(rev.answer)]
    # by the authors' letters this was 45 of 46; by chance it is about 1 in 5
    assert first_n <= len(multiples) // 2
