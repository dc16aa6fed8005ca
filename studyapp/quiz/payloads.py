"""Typed inputs and results of the quiz actions (pages render them, the API sends them).

The quiz-taking types (``QuestionPrompt``, ``AttemptView``) have no answer fields, by
construction; answers and explanations appear only in result types, filled in
when the review policy allows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

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
    #: The highest sequence number of a save the server kept (a phone numbers
    #: its next saves above it).
    max_seq: int = 0
    #: Each answer is shown right after it is given (``review: after_answer``).
    instant_feedback: bool = False

    @property
    def answered(self) -> int:
        return sum(q.response is not None for q in self.questions)

    def first_open(self) -> int:
        """The position of the first unanswered question (1 when all are)."""
        return next((q.position for q in self.questions if q.response is None), 1)


#: A phone's sequence number of a save (the server keeps the highest).
Seq = Annotated[int, Field(ge=1, le=2_000_000_000)]


class AnswersIn(Model):
    """Responses to save as they are given: ``{question_id: response}``; an empty
    response (``""``, ``[]``) clears an answer. ``seq``, when given, numbers the
    save: a save whose number is not above the one kept for an answer (a replay
    after a dropped connection) changes nothing and still succeeds."""

    answers: dict[QuestionId, Response | None]
    seq: Seq | None = None


class FormAnswerIn(Model):
    """One question's answer as a page posts it: the ticked option keys (or
    "true"/"false"), the blanks, and the phone's sequence number."""

    choices: list[str] = []
    blanks: list[str] = []
    seq: Seq | None = None


class AnswerReveal(Model):
    """An answer shown right after it was given (``review: after_answer``)."""

    question_id: str
    correct: bool
    response: Response | None
    answer: AnswerKey
    explanation: str | None
    lesson: str | None


class SubmitIn(Model):
    answers: dict[QuestionId, Response | None] = {}


class Saved(Model):
    saved: int
    #: The answers just given, where the quiz shows each answer at once.
    revealed: list[AnswerReveal] = []


class QuestionPage(Model):
    """One question of an attempt as its page shows it; ``reveal`` only once it
    is answered in a quiz that shows each answer at once (it is then locked)."""

    attempt: AttemptView
    item: QuestionPrompt
    reveal: AnswerReveal | None = None


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
    #: The lesson that explains it (shown with the answers).
    lesson: str | None = None


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
    #: The lesson to read again: the quiz's own, or that of the first wrong answer.
    lesson: str | None = None
    #: Another attempt may be started now (再练一次).
    can_retry: bool = False
    #: Wrong answers now in the 错题本, and when the first of them is due (None
    #: when it is due now).
    in_book: int = 0
    #: How many of them are due now; the others are due from ``book_due_at``.
    book_due_now: int = 0
    book_due_at: datetime | None = None


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
    type: str = "single"
    stem_html: str = ""
    #: In the question's own stable order, as the author wrote them.
    options: list[Option] = []
    response: Response | None = None
    #: When the card is due again.
    due_at: datetime | None = None
    correct: bool
    answer: AnswerKey
    explanation: str | None
    lesson: str | None
    leech: bool
    points: int


# --- 管理 › 测验 -------------------------------------------------------------

OccurrenceState = Literal["open", "closed"]


class AdminOccurrence(Model):
    """One occurrence of a quiz, with the figures of the admin's members."""

    id: int
    #: The days it is open, in words: 「11月30日–12月6日」.
    title: str
    state: OccurrenceState
    opens_at: datetime
    closes_at: datetime
    #: The schedule's closing time when an admin closed or extended it.
    scheduled_closes_at: datetime | None
    #: Eligible members of my subtree in its audience.
    eligible: int
    started: int
    handed_in: int
    passed: int
    #: Average of each member's best score (percent).
    avg_score: float | None
    pass_rate: float | None


class AdminQuizDefinition(Model):
    id: str
    title: str
    kind: str
    #: 「每日一练」「每周一测」…
    kind_name: str
    #: When it opens, in words.
    schedule: str
    #: 「全体」 or the audience units' names.
    audience: str
    pass_score: int
    #: I may close or extend its occurrences (my subtree holds its audience).
    can_run: bool
    withdrawn: bool
    occurrences: list[AdminOccurrence]
    #: How many occurrences there are in all.
    occurrence_count: int


class AdminQuizList(Model):
    """管理 › 测验: every quiz definition I can see, with its latest occurrences."""

    quizzes: list[AdminQuizDefinition]


class OccurrencePageQuery(Model):
    page: int = Field(1, ge=1, le=10_000)


class AdminQuizPage(Model):
    """One quiz definition with a page of its occurrences (newest first)."""

    quiz: AdminQuizDefinition
    page: int
    has_more: bool


class ExtendIn(Model):
    """The new closing time (later than now and than the current one), with
    its time zone (``2026-12-08T18:00:00+08:00``)."""

    closes_at: AwareDatetime


class OccurrenceChanged(Model):
    """An occurrence after it was closed or extended (audited)."""

    quiz_id: str
    occurrence: AdminOccurrence
    previous_closes_at: datetime
    #: Open attempts handed in (closing) or given the new deadline (extending).
    attempts: int


class ResultsQuery(Model):
    """A page of an occurrence's results, optionally one branch (its code)."""

    page: int = Field(1, ge=1, le=10_000)
    branch: str | None = Field(None, max_length=64)


class MemberScore(Model):
    username: str
    name: str
    branch: str
    branch_name: str
    #: Best graded score (percent); None: not handed in.
    score: float | None
    passed: bool
    submitted_at: datetime | None


class BranchScore(Model):
    code: str
    name: str
    eligible: int
    handed_in: int
    passed: int
    #: Passed out of handed in.
    pass_rate: float | None
    avg_score: float | None


class WeakQuestion(Model):
    question_id: str
    text: str
    answered: int
    correct: int
    correct_rate: float


class OccurrenceResults(Model):
    """An occurrence's results for my members: per branch, a page of members,
    the weakest questions."""

    quiz_id: str
    quiz_title: str
    kind: str
    occurrence: AdminOccurrence
    pass_score: int
    branches: list[BranchScore]
    members: list[MemberScore]
    member_count: int
    page: int
    has_more: bool
    branch: str | None
    weakest: list[WeakQuestion]


class SheetAnswer(Model):
    position: int
    question_id: str
    text: str
    correct: bool


class ScoreSheet(Model):
    """成绩单: one member's best result in an occurrence."""

    quiz_title: str
    occurrence_title: str
    username: str
    name: str
    branch_name: str
    pass_score: int
    score: float | None
    passed: bool
    correct: int
    questions: int
    submitted_at: datetime | None
    answers: list[SheetAnswer]


class BranchSheet(Model):
    """成绩单 of a branch: every eligible member's best result, for printing."""

    quiz_title: str
    occurrence_title: str
    pass_score: int
    branch: BranchScore
    members: list[MemberScore]
