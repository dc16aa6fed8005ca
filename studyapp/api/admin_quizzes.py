"""``/api/v1/admin/quizzes``: quiz definitions with their occurrences, closing
and extending an occurrence, its results and a member's 成绩单 (管理 › 测验).

Admins only, each within their subtree (the actions check it): figures count
the members there; closing or extending needs the whole audience in it.
"""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from studyapp.api.kit import Router
from studyapp.db import get_session
from studyapp.quiz import actions
from studyapp.quiz.payloads import (
    AdminQuizList,
    AdminQuizPage,
    BranchSheet,
    ExtendIn,
    OccurrenceChanged,
    OccurrencePageQuery,
    OccurrenceResults,
    ResultsQuery,
    ScoreSheet,
)
from studyapp.timeutil import utcnow

router = Router("admin_quizzes", "admin-quizzes", "管理 › 测验: occurrences, results.")

READ = (400, 401, 403, 404)
WRITE = (400, 401, 403, 404, 409)


@router.get("/admin/quizzes", ok=AdminQuizList, errors=(401, 403))
def quiz_list() -> Any:
    """Every quiz whose audience reaches my subtree, with its latest occurrences."""
    return actions.quiz_admin_list(get_session(), current_user, utcnow())


@router.get("/admin/quizzes/<slug>", query=OccurrencePageQuery, ok=AdminQuizPage,
            errors=READ)  # fmt: skip
def quiz_page(slug: str, query: OccurrencePageQuery) -> Any:
    """One quiz with a page of its occurrences (20 a page, newest first)."""
    return actions.quiz_admin_page(get_session(), current_user, slug, query, utcnow())


@router.post("/admin/quiz-occurrences/<int:occurrence_id>/close",
             ok=OccurrenceChanged, errors=WRITE)  # fmt: skip
def close_occurrence(occurrence_id: int) -> Any:
    """Close an occurrence now; open attempts are handed in (409 when closed)."""
    session = get_session()
    done = actions.close_occurrence(session, current_user, occurrence_id, utcnow())
    session.commit()
    return done


@router.post("/admin/quiz-occurrences/<int:occurrence_id>/extend", json=ExtendIn,
             ok=OccurrenceChanged, errors=WRITE)  # fmt: skip
def extend_occurrence(occurrence_id: int, json: ExtendIn) -> Any:
    """Move the closing time later; open attempts get the new deadline."""
    session = get_session()
    done = actions.extend_occurrence(session, current_user, occurrence_id, json,
                                     utcnow())  # fmt: skip
    session.commit()
    return done


@router.get("/admin/quiz-occurrences/<int:occurrence_id>/results",
            query=ResultsQuery, ok=OccurrenceResults, errors=READ)  # fmt: skip
def occurrence_results(occurrence_id: int, query: ResultsQuery) -> Any:
    """My members' scores (50 a page), per branch, and the weakest questions."""
    return actions.occurrence_results(get_session(), current_user, occurrence_id,
                                      query, utcnow())  # fmt: skip


@router.get("/admin/quiz-occurrences/<int:occurrence_id>/results/<username>",
            ok=ScoreSheet, errors=READ)  # fmt: skip
def score_sheet(occurrence_id: int, username: str) -> Any:
    """成绩单: one member's best result, question by question (no answers)."""
    return actions.score_sheet(get_session(), current_user, occurrence_id, username,
                               utcnow())  # fmt: skip


@router.get("/admin/quiz-occurrences/<int:occurrence_id>/branches/<code>",
            ok=BranchSheet, errors=READ)  # fmt: skip
def branch_sheet(occurrence_id: int, code: str) -> Any:
    """成绩单 of one branch: its figures and every member's best result."""
    return actions.branch_sheet(get_session(), current_user, occurrence_id, code,
                                utcnow())  # fmt: skip
