"""Typed inputs and results of the quiz actions (pages render them, the API sends them).

The quiz-taking types (``QuestionPrompt``, ``AttemptView``) have no answer fields, by
construction; answers and explanations appear only in result types, filled in
when the review policy allows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

#: A response: the option key (single choice), a list of keys (multiple choice),
#: true/false (判断), or one string per blank (填空).
Response = str | bool | list[str]
#: An answer key as results show it: like a response, but each blank of a 填空
#: lists every accepted spelling.
AnswerKey = str | bool | list[str] | list[list[str]]

QuestionId = Annotated[str, Field(min_length=1, max_length=100)]


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)


class Option(Model):
    #: Stable for the question, whatever order the options are shown in.
    key: str
    html: str


class QuestionPrompt(Model):
    """One question as a member sees it before the answers may be shown."""

    id: str
    position: int
    type: str
    stem_html: str
    options: list[Option]
    #: Number of blanks of a 填空 question (0 otherwise).
    blanks: int
    #: What the member has saved so far.
    response: Response | None = None


class QuizCard(Model):
    """A quiz open to the member now, with what is left to do in it."""

    id: str
    kind: str
    title: str
    closes_at: datetime
    #: None: unlimited.
    attempts_left: int | None
    open_attempt_id: int | None
    last_score: float | None
    #: No attempts left, or (daily) taken today.
    done: bool


class AttemptSummary(Model):
    attempt_id: int
    quiz_id: str
    title: str
    score: float
    submitted_at: datetime


class QuizList(Model):
    """答题: the quizzes open now, the 错题本 count and my latest results."""

    quizzes: list[QuizCard]
    review_due: int
    recent: list[AttemptSummary]


class QuizIntro(Model):
    """A quiz's rules before starting; ``card`` is None when it is not open now."""

    id: str
    kind: str
    title: str
    intro_html: str
    time_limit_seconds: int | None
    pass_score: int
    review: str
    card: QuizCard | None


class AttemptView(Model):
    """An attempt with its questions in order (no answers)."""

    attempt_id: int
    quiz_id: str
    title: str
    kind: str
    state: str
    deadline: datetime
    #: The quiz has a time limit (the page shows a countdown).
    timed: bool
    questions: list[QuestionPrompt]

    @property
    def answered(self) -> int:
        return sum(q.response is not None for q in self.questions)

    def first_open(self) -> int:
        """The position of the first unanswered question (1 when all are)."""
        return next((q.position for q in self.questions if q.response is None), 1)


class AnswersIn(Model):
    """Responses to save as they are given: ``{question_id: response}``; an empty
    response (``""``, ``[]``) clears an answer."""

    answers: dict[QuestionId, Response | None]


class SubmitIn(Model):
    answers: dict[QuestionId, Response | None] = {}


class Saved(Model):
    saved: int


class ItemResult(Model):
    question_id: str
    position: int
    type: str
    stem_html: str
    options: list[Option]
    response: Response | None
    #: These three are None while the review policy hides them.
    correct: bool | None = None
    answer: AnswerKey | None = None
    explanation: str | None = None


class Result(Model):
    """A graded attempt (SPEC §7): score in percent of ``max_score`` 100."""

    attempt_id: int
    quiz_id: str
    title: str
    kind: str
    score: float
    max_score: int = 100
    correct: int
    total: int
    passed: bool
    pass_score: int
    points: int
    #: Answers and explanations are shown (else ``results`` carry only ids).
    review_available: bool
    #: When they will be (``after_close``), else None.
    review_at: datetime | None
    results: list[ItemResult]


class ReviewCard(Model):
    """A 错题本 card that is due, as a member answers it."""

    question_id: str
    type: str
    stem_html: str
    options: list[Option]
    blanks: int
    #: Forgotten many times: the member is pointed to the lesson.
    leech: bool
    lesson: str | None

    @property
    def id(self) -> str:
        return self.question_id


class BookCard(Model):
    """One question of my 错题本, due or not (options in the question's own
    stable order, as the author wrote them)."""

    question_id: str
    type: str
    stem_html: str
    options: list[Option]
    due_at: datetime
    is_due: bool
    reviews: int
    #: Times forgotten after it entered the book.
    lapses: int
    leech: bool
    lesson: str | None
    #: My latest wrong response to it.
    last_wrong: Response | None
    answer: AnswerKey
    explanation: str | None


class ReviewBook(Model):
    """错题本: how many cards are due now, and every card."""

    due: int
    cards: list[BookCard]


class ReviewAnswerIn(Model):
    response: Response


class ReviewOutcome(Model):
    question_id: str
    correct: bool
    answer: AnswerKey
    explanation: str | None
    lesson: str | None
    leech: bool
    points: int
    #: The question's options in its own order (choice questions), to show
    #: the answer and the member's response as options, not keys.
    options: list[Option] = []
    response: Response | None = None
