"""``/api/v1``: the member's own day, progress, 补学 and books."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from studyapp.api.kit import Router
from studyapp.db import get_session
from studyapp.main import actions as main
from studyapp.main.payloads import Home, Me
from studyapp.progress import actions
from studyapp.progress.payloads import (
    Book,
    BookIn,
    BookProgressIn,
    Books,
    BookSaved,
    HeartbeatIn,
    HeartbeatOut,
    History,
    MakeUpIn,
    MakeUpOut,
    MakeUpState,
)
from studyapp.timeutil import utcnow

router = Router("me", "me", "The member's own data: today, study time, books.")


@router.get("/me", ok=Me, errors=(401,))
def me() -> Any:
    """Who I am, and today's goal, streak and points."""
    return main.me(get_session(), current_user, utcnow())


@router.get("/home", ok=Home, errors=(401,))
def home() -> Any:
    """首页: today, 补学, the quizzes to do, this month's book."""
    return main.home(get_session(), current_user, utcnow())


@router.get("/me/history", ok=History, errors=(401,))
def history() -> Any:
    """我的: the last 30 days and my latest points."""
    return actions.history(get_session(), current_user, utcnow())


@router.post("/study/heartbeat", json=HeartbeatIn, ok=HeartbeatOut)
def heartbeat(json: HeartbeatIn) -> Any:
    """Credit study time for a visible lesson, quiz or 错题本 page (the server
    decides what counts)."""
    session = get_session()
    result = actions.heartbeat(session, current_user, json, utcnow())
    session.commit()
    return result


@router.get("/makeup", ok=MakeUpState, errors=(401,))
def makeup_state() -> Any:
    """补学: the make-up under way, or the days that may still be made up."""
    return actions.makeup_state(get_session(), current_user, utcnow())


@router.post("/makeup", json=MakeUpIn, ok=MakeUpOut, status=201)
def start_makeup(json: MakeUpIn) -> Any:
    """Start 补学 for a missed day: study time goes there until its goal is met."""
    session = get_session()
    result = actions.start_makeup(session, current_user, json, utcnow())
    session.commit()
    return result, 201


@router.get("/books", ok=Books, errors=(401,))
def books() -> Any:
    """月读一本书: my books, newest month first."""
    return actions.books(get_session(), current_user, utcnow())


@router.post("/books", json=BookIn, ok=Book, status=201)
def add_book(json: BookIn) -> Any:
    """Log a book for this month."""
    session = get_session()
    result = actions.add_book(session, current_user, json, utcnow())
    session.commit()
    return result, 201


@router.put("/books/<int:book_id>", json=BookProgressIn, ok=BookSaved)
def update_book(book_id: int, json: BookProgressIn) -> Any:
    """Save progress and a note; 100 % finishes the book (+5 points, once)."""
    session = get_session()
    result = actions.update_book(session, current_user, book_id, json, utcnow())
    session.commit()
    return result
