"""Publishing a checked tree: upsert by id, revisions, retirement, all or nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from studyapp.content.format.checker import check_tree
from studyapp.content.models import (
    ACTIVE,
    RETIRED,
    Lesson,
    MediaFile,
    Question,
    QuestionRevision,
)
from studyapp.content.publishing import publish_report
from studyapp.timeutil import utcnow
from tests.content_helpers import bank, basic_tree, lesson, write


def publish(session, root, now=None):  # type: ignore[no-untyped-def]
    report = check_tree([root])
    assert report.ok, [str(i) for i in report.errors]
    summary = publish_report(
        session, report, content_root=root, scope=[root], now=now or utcnow()
    )
    session.flush()
    return summary


def test_first_publish_adds_everything(session, tmp_path):
    root = basic_tree(tmp_path / "content")
    summary = publish(session, root)
    assert summary.count("lesson", "added") == 1
    assert summary.count("question", "added") == 2
    lesson_row = session.scalar(select(Lesson))
    assert lesson_row.slug == "sanhui" and "支部党员大会" in lesson_row.body_html
    assert lesson_row.source_path == "lessons/sanhui.md"


def test_republishing_unchanged_content_changes_nothing(session, tmp_path):
    root = basic_tree(tmp_path / "content")
    publish(session, root)
    before = session.scalar(select(func.count(QuestionRevision.id)))
    summary = publish(session, root)
    assert summary.changes == [] and summary.lines() == ["没有变化。"]
    assert session.scalar(select(func.count(QuestionRevision.id))) == before


def test_edited_question_gets_a_new_revision_and_keeps_the_old(session, tmp_path):
    root = basic_tree(tmp_path / "content")
    publish(session, root)
    write(root, "quizzes/jichu.md", bank(explanation="“一课”就是党课。"))
    summary = publish(session, root)
    assert summary.count("question", "revised") == 1
    q = session.scalar(select(Question).where(Question.slug == "jc-001"))
    numbers = session.scalars(
        select(QuestionRevision.number).where(QuestionRevision.question_id == q.id)
    ).all()
    assert sorted(numbers) == [1, 2] and q.current.number == 2
    assert "就是党课" in q.current.explanation_html


def test_fill_in_answers_are_stored_but_not_in_the_stem(session, tmp_path):
    publish(session, basic_tree(tmp_path / "content"))
    q = session.scalar(select(Question).where(Question.slug == "jc-002"))
    assert q.type == "fill" and q.current.answer == [["组织", "党组织"]]
    assert "组织" not in q.current.stem_html.replace("党的力量来自", "")


def test_removed_items_are_retired_not_deleted(session, tmp_path):
    root = basic_tree(tmp_path / "content")
    publish(session, root)
    write(root, "quizzes/jichu.md", bank().split("## 党的力量")[0])
    summary = publish(session, root)
    assert summary.count("question", "retired") == 1
    gone = session.scalar(select(Question).where(Question.slug == "jc-002"))
    assert gone.status == RETIRED and gone.current is not None


def test_a_retired_question_comes_back_when_restored_to_the_file(session, tmp_path):
    root = basic_tree(tmp_path / "content")
    publish(session, root)
    write(root, "quizzes/jichu.md", bank().split("## 党的力量")[0])
    publish(session, root)
    write(root, "quizzes/jichu.md", bank())
    summary = publish(session, root)
    assert summary.count("question", "restored") == 1
    assert (
        session.scalar(select(Question).where(Question.slug == "jc-002")).status
        == ACTIVE
    )


def test_publishing_one_folder_does_not_retire_the_rest(session, tmp_path):
    root = basic_tree(tmp_path / "content")
    publish(session, root)
    report = check_tree([root / "lessons"])
    summary = publish_report(
        session, report, content_root=root, scope=[root / "lessons"], now=utcnow()
    )
    assert summary.count("question", "retired") == 0


def test_future_publish_at_is_reported_as_scheduled(session, tmp_path):
    root = tmp_path / "content"
    write(
        root,
        "lessons/later.md",
        lesson("later", "以后", extra='publish_at: "2099-01-01 08:00"\n'),
    )
    summary = publish(session, root)
    assert summary.count("lesson", "scheduled") == 1


def test_images_are_stored_once_and_linked(session, tmp_path):
    root = tmp_path / "content"
    png = bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"
    )
    (root / "lessons" / "img").mkdir(parents=True)
    (root / "lessons" / "img" / "flag.png").write_bytes(png)
    write(root, "lessons/pic.md", lesson("pic", "图", body="![党旗](img/flag.png)"))
    publish(session, root)
    media = session.scalar(select(MediaFile))
    row = session.scalar(select(Lesson).where(Lesson.slug == "pic"))
    assert f'src="/media/{media.sha256}.png"' in row.body_html
    publish(session, root)
    assert session.scalar(select(func.count()).select_from(MediaFile)) == 1


def test_a_report_with_errors_cannot_be_published(session, tmp_path):
    root = tmp_path / "content"
    write(
        root,
        "quizzes/bad.md",
        "---\ntitle: 坏\n---\n\n## 没有答案的题 {#b-1}\n- A. 甲\n- B. 乙\n",
    )
    report = check_tree([root])
    assert not report.ok
    with pytest.raises(ValueError):
        publish_report(session, report, content_root=root, scope=[root], now=utcnow())


def test_lesson_revision_counts_visible_changes_only(session, tmp_path):
    root = basic_tree(tmp_path / "content")
    now = utcnow()
    publish(session, root, now)
    write(root, "lessons/sanhui.md", lesson(body="改过的正文。"))
    publish(session, root, now + timedelta(minutes=1))
    row = session.scalar(select(Lesson))
    assert row.revision == 2 and "改过的正文" in row.search_text
