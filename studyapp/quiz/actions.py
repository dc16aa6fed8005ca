"""What a member does with quizzes: list, start, answer, hand in, read results, and
work through the 错题本.

Each action is ``(session, actor, [input,] now) -> result``. An attempt is only
ever the actor's own (anyone else's is NotFound); a result shows answers only as
the quiz's review policy allows. Actions flush; the edge commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_
from sqlalchemy.orm import Session

from studyapp.audit.models import record
from studyapp.auth.actor import Actor
from studyapp.auth.permissions import is_global_admin, scope_roots
from studyapp.auth.roles import Role
from studyapp.content.models import RETIRED, QuizDefinition
from studyapp.content.payloads import Download
from studyapp.errors import Conflict, Forbidden, NotFound, ValidationFailed
from studyapp.org.models import OrgUnit
from studyapp.progress.settings import defaults as progress_defaults
from studyapp.progress.settings import for_actor
from studyapp.quiz import (
    catalog,
    grading,
    prompts,
    queries,
    results,
    review,
    running,
    service,
    standings,
    wording,
)
from studyapp.quiz.answers import answer_reveals
from studyapp.quiz.models import GRADED, Attempt, QuizOccurrence
from studyapp.quiz.payloads import (
    AdminOccurrence,
    AdminQuizDefinition,
    AdminQuizList,
    AdminQuizPage,
    AnswerReveal,
    AnswersIn,
    AttemptSummary,
    AttemptView,
    BookCard,
    BranchScore,
    BranchSheet,
    ExtendIn,
    FormAnswerIn,
    MemberScore,
    OccurrenceChanged,
    OccurrencePageQuery,
    OccurrenceResults,
    Option,
    QuestionPage,
    QuizCard,
    QuizIntro,
    QuizList,
    Result,
    ResultsQuery,
    ReviewAnswerIn,
    ReviewBook,
    ReviewCard,
    ReviewOutcome,
    Saved,
    ScoreSheet,
    SheetAnswer,
    SubmitIn,
    WeakQuestion,
)
from studyapp.reports.export import Table, to_xlsx
from studyapp.timeutil import local


def quiz_cards(session: Session, actor: Actor, now: datetime) -> list[QuizCard]:
    """The quizzes open to me now (the daily quiz has id ``daily``)."""
    rows = queries.quiz_cards(session, actor.id, actor.branch.path, now)
    return [card_of(c) for c in rows]


def card_of(c: queries.QuizCard) -> QuizCard:
    """The payload of one open quiz's card."""
    return QuizCard(
        id=c.slug,
        kind=c.kind,
        title=c.title,
        closes_at=c.closes_at,
        attempts_left=c.attempts_left,
        open_attempt_id=c.open_attempt_id,
        last_score=c.last_score,
        done=c.done,
    )


def quiz_list(session: Session, actor: Actor, now: datetime) -> QuizList:
    """答题: open quizzes, how many 错题本 cards are due, my latest results."""
    return QuizList(
        quizzes=quiz_cards(session, actor, now),
        review_due=review.due_count(session, actor.id, now),
        recent=attempt_history(session, actor, now),
    )


def attempt_history(
    session: Session, actor: Actor, now: datetime
) -> list[AttemptSummary]:
    """My latest graded attempts, newest first."""
    return [
        AttemptSummary(
            attempt_id=a.id,
            quiz_id=slug,
            title=title,
            score=a.score or 0.0,
            submitted_at=a.submitted_at,
        )
        for a, title, slug in queries.recent_attempts(session, actor.id)
    ]


def quiz_intro(session: Session, actor: Actor, slug: str, now: datetime) -> QuizIntro:
    """What a quiz is and its rules; NotFound when it is not for me."""
    definition = catalog.find_definition(session, slug)
    if definition is None or not catalog.audience_ok(
        session, definition, actor.branch.path
    ):
        raise NotFound("没有这个测验")
    card = next((c for c in quiz_cards(session, actor, now) if c.id == slug), None)
    cfg = definition.config
    return QuizIntro(
        id=slug,
        kind=definition.kind,
        title=definition.title,
        intro_html=definition.intro_html,
        time_limit_seconds=cfg.time_limit_seconds,
        pass_score=cfg.pass_score,
        review=cfg.review,
        card=card,
    )


def start_attempt(
    session: Session, actor: Actor, slug: str, now: datetime
) -> AttemptView:
    """Start an attempt at a quiz open now, or resume the open one.

    NotFound (no such quiz for me), Conflict (not open now, no attempts left).
    """
    if slug == catalog.DAILY:  # it draws due 错题本 cards first: bring them in
        review.record_closed(session, now, user_id=actor.id)
    attempt = service.start_attempt(
        session, actor, slug, now=now, settings=for_actor(session, actor)
    )
    return _view(session, attempt)


def get_attempt(
    session: Session, actor: Actor, attempt_id: int, now: datetime
) -> AttemptView:
    """One of my attempts with its questions and my saved responses."""
    return _view(session, service.get_attempt(session, actor, attempt_id))


def _view(session: Session, attempt: Attempt, rows=None) -> AttemptView:  # type: ignore[no-untyped-def]
    definition = service.definition_of(session, attempt)
    rows = rows if rows is not None else prompts.attempt_rows(session, attempt.id)
    return AttemptView(
        attempt_id=attempt.id,
        quiz_id=catalog.public_slug(definition),
        title=definition.title,
        kind=definition.kind,
        state=attempt.state,
        deadline=attempt.deadline,
        timed=bool(definition.config.time_limit_seconds),
        questions=prompts.build(rows),
        max_seq=max((a.client_seq or 0 for a, _r, _s in rows), default=0),
        instant_feedback=answer_reveals(definition),
    )


def question_page(
    session: Session, actor: Actor, attempt_id: int, n: int, now: datetime
) -> QuestionPage:
    """Question ``n`` (1-based) of my attempt, with its answer where the quiz
    shows each answer once given and this one is answered. NotFound past the end."""
    return _page(session, service.get_attempt(session, actor, attempt_id), n)


def _page(session: Session, attempt: Attempt, n: int) -> QuestionPage:
    rows = prompts.attempt_rows(session, attempt.id)
    if not 1 <= n <= len(rows):
        raise NotFound("没有这道题")
    view = _view(session, attempt, rows)
    answer, revision, slug = rows[n - 1]
    shown = None
    if view.instant_feedback and answer.answered_at is not None:
        lessons = results.lessons_of(session, [answer.question_id])
        shown = results.reveal(answer, revision, slug, lessons[answer.question_id])
    return QuestionPage(attempt=view, item=view.questions[n - 1], reveal=shown)


def answer_question(
    session: Session,
    actor: Actor,
    attempt_id: int,
    n: int,
    body: FormAnswerIn,
    now: datetime,
) -> QuestionPage:
    """Save the answer to question ``n`` as a page posts it (see ``save_answers``)
    and return the question as it now stands (from the rows just saved: the
    attempt is read once, locked for share as a save needs)."""
    attempt = service.get_attempt(session, actor, attempt_id, lock="share")
    page = _page(session, attempt, n)
    item = page.item
    response = _form_response(item.type, body)
    if page.reveal is not None and grading.is_blank(response):
        return page  # a locked answer's form posts no choice: nothing to change
    answers = AnswersIn(answers={item.id: response}, seq=body.seq)
    service.save_loaded(
        session, attempt, dict(answers.answers), now=now, seq=answers.seq
    )
    return _page(session, attempt, n)


def _form_response(qtype: str, body: FormAnswerIn):  # type: ignore[no-untyped-def]
    if qtype == "multiple":
        return list(body.choices)
    if qtype == "fill":
        return list(body.blanks)
    if len(body.choices) > 1:
        raise ValidationFailed("只能选一个答案", field="response")
    return body.choices[0] if body.choices else None


def save_answers(
    session: Session, actor: Actor, attempt_id: int, body: AnswersIn, now: datetime
) -> Saved:
    """Save responses as they are given (all or none; the field names the bad one).

    With ``seq`` a replay is harmless (the highest number is kept). Conflict
    after the deadline or once handed in, or when changing an answer already
    shown (``after_answer``).
    """
    attempt = service.save_answers(
        session, actor, attempt_id, dict(body.answers), now=now, seq=body.seq
    )
    return Saved(saved=len(body.answers), revealed=_revealed(session, attempt, body))


def _revealed(
    session: Session, attempt: Attempt, body: AnswersIn
) -> list[AnswerReveal]:
    definition = service.definition_of(session, attempt)
    if not answer_reveals(definition):
        return []
    rows = prompts.attempt_rows(session, attempt.id)
    rows = [r for r in rows if r[2] in body.answers]
    lessons = results.lessons_of(session, [a.question_id for a, _r, _s in rows])
    return [
        results.reveal(a, r, slug, lessons[a.question_id])
        for a, r, slug in rows
        if a.answered_at is not None
    ]


def submit(
    session: Session, actor: Actor, attempt_id: int, body: SubmitIn, now: datetime
) -> Result:
    """Hand in: grade once (a repeat, a double tap or a second device gets the
    same result), with any final answers saved first if before the deadline."""
    attempt = service.submit_attempt(
        session,
        actor,
        attempt_id,
        dict(body.answers) or None,
        now=now,
        settings=for_actor(session, actor),
    )
    return _result(session, actor, attempt, now)


def result(session: Session, actor: Actor, attempt_id: int, now: datetime) -> Result:
    """The result of my graded attempt; Conflict while it is still open."""
    attempt = service.get_attempt(session, actor, attempt_id)
    if attempt.state != GRADED:
        raise Conflict("还没有交卷")
    return _result(session, actor, attempt, now)


def _result(session: Session, actor: Actor, attempt: Attempt, now: datetime) -> Result:
    definition = service.occurrence_definition(session, attempt.occurrence)
    found = results.build(session, attempt, definition, now)
    retry = _can_retry(session, actor, attempt, definition, now)
    return found.model_copy(update={"can_retry": retry})


def _can_retry(
    session: Session,
    actor: Actor,
    attempt: Attempt,
    definition: QuizDefinition,
    now: datetime,
) -> bool:
    """再练一次: the quiz is open now with an attempt left (or one under way).

    An attempt graded in this request was the member's one open attempt and
    the last of its occurrence, so when that occurrence is the open one its
    number is how many were used; otherwise my attempts are read."""
    if service.graded_here(session, attempt):
        window = catalog.open_window(session, definition, now)
        if window is None:
            return False
        if window.key == attempt.occurrence.key:
            left = service.attempts_left(definition, attempt.number)
            return not (left == 0 or definition.kind == catalog.DAILY)
    cards = queries.quiz_cards(session, actor.id, actor.branch.path, now, [definition])
    slug = catalog.public_slug(definition)
    return any(c.slug == slug and not c.done for c in cards)


def review_due(
    session: Session, actor: Actor, now: datetime, limit: int = 20
) -> list[ReviewCard]:
    """My 错题本 cards that are due, most overdue first."""
    return [
        ReviewCard(
            question_id=c.slug,
            type=c.revision.type,
            stem_html=c.revision.stem_html,
            options=[Option(key=o["key"], html=o["html"]) for o in c.revision.options],
            blanks=prompts.blank_count(c.revision.stem_html),
            leech=c.card.is_leech,
            lesson=c.source_lesson,
        )
        for c in review.due_cards(session, actor.id, now, limit=limit)
    ]


def review_book(session: Session, actor: Actor, now: datetime) -> ReviewBook:
    """My whole 错题本: due and not yet due cards, with when each is due."""
    cards = [
        BookCard(
            question_id=e.slug,
            type=e.revision.type,
            stem_html=e.revision.stem_html,
            options=[Option(key=o["key"], html=o["html"]) for o in e.revision.options],
            due_at=e.card.due_at,
            is_due=e.card.due_at <= now,
            reviews=e.card.reviews,
            lapses=max(e.card.lapses, 0),
            leech=e.card.is_leech,
            lesson=e.source_lesson,
            last_wrong=e.last_wrong,
            answer=e.revision.answer,
            explanation=e.revision.explanation_html or None,
        )
        for e in review.book(session, actor.id)
    ]
    return ReviewBook(due=sum(c.is_due for c in cards), cards=cards)


def review_due_count(session: Session, actor: Actor, now: datetime) -> int:
    return review.due_count(session, actor.id, now)


def answer_review(
    session: Session, actor: Actor, slug: str, body: ReviewAnswerIn, now: datetime
) -> ReviewOutcome:
    """Answer one card of my 错题本; returns the answer and the explanation."""
    outcome = review.answer_review(
        session,
        actor,
        slug,
        body.response,
        now=now,
        settings=for_actor(session, actor),
    )
    return ReviewOutcome(
        question_id=slug,
        type=outcome.revision.type,
        stem_html=outcome.revision.stem_html,
        options=[Option(**o) for o in outcome.revision.options],
        response=outcome.response,
        due_at=outcome.due_at,
        correct=outcome.correct,
        answer=outcome.answer,
        explanation=outcome.explanation_html or None,
        lesson=outcome.source_lesson,
        leech=outcome.is_leech,
        points=outcome.points,
    )


# --- 管理 › 测验 -------------------------------------------------------------

#: Occurrences shown per quiz on the list, and per page of one quiz.
LATEST, PER_PAGE = 5, 20


def _scope(actor: Actor) -> running.Scope:
    roots = tuple(scope_roots(actor, Role.ADMIN))
    if not roots:
        raise Forbidden("只有管理员可以管理测验")
    return running.Scope(roots, is_global_admin(actor))


def quiz_admin_list(session: Session, actor: Actor, now: datetime) -> AdminQuizList:
    """Every quiz definition whose audience reaches my subtree, with its latest
    occurrences and their figures for my members."""
    scope = _scope(actor)
    return AdminQuizList(quizzes=[
        _admin_quiz(session, scope, d, now, limit=LATEST)
        for d in running.visible_definitions(session, scope)
    ])  # fmt: skip


def quiz_admin_page(
    session: Session, actor: Actor, slug: str, query: OccurrencePageQuery,
    now: datetime,
) -> AdminQuizPage:  # fmt: skip
    """One quiz definition with a page of its occurrences; NotFound outside my
    subtree."""
    scope = _scope(actor)
    definition = _visible(session, scope, slug)
    offset = (query.page - 1) * PER_PAGE
    quiz = _admin_quiz(session, scope, definition, now, limit=PER_PAGE, offset=offset)
    more = offset + PER_PAGE < quiz.occurrence_count
    return AdminQuizPage(quiz=quiz, page=query.page, has_more=more)


def close_occurrence(
    session: Session, actor: Actor, occurrence_id: int, now: datetime
) -> OccurrenceChanged:
    """Close an occurrence now for its whole audience (open attempts are handed
    in with what was saved), and audit it. NotFound outside my subtree;
    Forbidden when its audience reaches beyond it; Conflict when closed."""
    scope, occ, definition = _runnable(session, actor, occurrence_id)
    settings = progress_defaults(session)
    old, n = running.close(session, occ, definition, now, settings)
    return _changed(session, actor, scope, occ, definition, old, n, now, "close")


def extend_occurrence(
    session: Session, actor: Actor, occurrence_id: int, body: ExtendIn,
    now: datetime,
) -> OccurrenceChanged:  # fmt: skip
    """Move an occurrence's closing time later (members see the new deadline,
    open attempts get it), and audit it."""
    scope, occ, definition = _runnable(session, actor, occurrence_id)
    old, n = running.extend(session, occ, definition, body.closes_at, now)
    return _changed(session, actor, scope, occ, definition, old, n, now, "extend")


def _visible(session: Session, scope: running.Scope, slug: str) -> QuizDefinition:
    definition = running.find(session, slug)
    if definition is None or not running.sees(
        scope, running.audience_paths(session, definition)
    ):
        raise NotFound("没有这个测验")
    return definition


def _runnable(
    session: Session, actor: Actor, occurrence_id: int
) -> tuple[running.Scope, QuizOccurrence, QuizDefinition]:
    scope = _scope(actor)
    occ = session.get(QuizOccurrence, occurrence_id, with_for_update=True)
    definition = occ and session.get(QuizDefinition, occ.definition_id)
    if occ is None or definition is None or definition.status == RETIRED:
        raise NotFound("没有这次测验")
    audience = running.audience_paths(session, definition)
    if not running.sees(scope, audience):
        raise NotFound("没有这次测验")
    if not running.may_run(scope, audience):
        raise Forbidden("这个测验的参加范围超出了您管理的组织，不能关闭或延长")
    return scope, occ, definition


def _changed(session, actor, scope, occ, definition, old, n, now, verb):  # type: ignore[no-untyped-def]
    shown = _occurrence_rows(session, scope, definition, [occ], now)[0]
    record(session, action="quiz.close" if verb == "close" else "quiz.extend",
           at=now, actor_id=actor.id, target=f"quiz:{definition.slug}",
           detail={"occurrence": shown.title, "key": occ.key,
                   "from": f"{local(old):%Y-%m-%d %H:%M}",
                   "to": f"{local(occ.closes_at):%Y-%m-%d %H:%M}",
                   "attempts": n})  # fmt: skip
    return OccurrenceChanged(quiz_id=definition.slug, occurrence=shown,
                             previous_closes_at=old, attempts=n)  # fmt: skip


def _admin_quiz(
    session: Session, scope: running.Scope, definition: QuizDefinition,
    now: datetime, *, limit: int, offset: int = 0,
) -> AdminQuizDefinition:  # fmt: skip
    cfg = definition.config
    rows, total = running.occurrences(session, definition.id, limit=limit,
                                      offset=offset)  # fmt: skip
    return AdminQuizDefinition(
        id=definition.slug, title=definition.title, kind=definition.kind,
        kind_name=wording.KIND_NAMES.get(definition.kind, definition.kind),
        schedule=wording.schedule_words(definition.kind, cfg.schedule,
                                        cfg.open_for_seconds, cfg.opens_at,
                                        cfg.closes_at, now),
        audience=running.audience_words(session, definition),
        pass_score=cfg.pass_score,
        can_run=definition.kind != "daily"
        and running.may_run(scope, running.audience_paths(session, definition)),
        withdrawn=definition.status != "active",
        occurrences=_occurrence_rows(session, scope, definition, rows, now),
        occurrence_count=total,
    )  # fmt: skip


def _occurrence_rows(
    session: Session, scope: running.Scope, definition: QuizDefinition,
    rows: list[QuizOccurrence], now: datetime,
) -> list[AdminOccurrence]:  # fmt: skip
    where = running.member_filter(scope, running.audience_paths(session, definition))
    eligible = running.eligible_count(session, where) if rows else 0
    mark = float(definition.config.pass_score)
    found = running.figures(session, [r.id for r in rows], where, eligible, mark)
    empty = running.Figures(eligible, 0, 0, 0, None)
    out = []
    for r in rows:
        f = found.get(r.id, empty)
        out.append(AdminOccurrence(
            id=r.id, title=wording.occurrence_title(r.opens_at, r.closes_at, now),
            state="open" if r.opens_at <= now < r.closes_at else "closed",
            opens_at=r.opens_at, closes_at=r.closes_at,
            scheduled_closes_at=r.scheduled_closes_at, eligible=f.eligible,
            started=f.started, handed_in=f.handed_in, passed=f.passed,
            avg_score=f.avg_score,
            pass_rate=f.passed / f.handed_in if f.handed_in else None,
        ))  # fmt: skip
    return out


#: Members per page of an occurrence's results.
RESULTS_PER_PAGE = 50


def occurrence_results(
    session: Session, actor: Actor, occurrence_id: int, query: ResultsQuery,
    now: datetime,
) -> OccurrenceResults:  # fmt: skip
    """My members' scores in an occurrence (by branch, then name; paged), pass
    rate per branch, the ten weakest questions. NotFound outside my subtree
    (an unknown branch code or one outside it too)."""
    scope, occ, definition, where = _results_scope(session, actor, occurrence_id)
    mark = float(definition.config.pass_score)
    rows = standings.branch_rows(session, occ.id, where, mark)
    branches = [_branch_score(b) for b in rows]
    if query.branch and query.branch not in {b.code for b in branches}:
        raise NotFound("没有这个支部")
    if query.branch:
        where = and_(where, OrgUnit.code == query.branch)
    offset = (query.page - 1) * RESULTS_PER_PAGE
    members, total = standings.member_rows(
        session, occ.id, where, limit=RESULTS_PER_PAGE, offset=offset
    )
    return OccurrenceResults(
        quiz_id=definition.slug, quiz_title=definition.title, kind=definition.kind,
        occurrence=_occurrence_rows(session, scope, definition, [occ], now)[0],
        pass_score=definition.config.pass_score, branches=branches,
        members=[_member_score(r, mark) for r in members], member_count=total,
        page=query.page, has_more=offset + RESULTS_PER_PAGE < total,
        branch=query.branch,
        weakest=[WeakQuestion(question_id=w.question_id, text=w.text,
                              answered=w.answered, correct=w.correct,
                              correct_rate=w.correct / w.answered)
                 for w in standings.weakest(session, occ.id, where)],
    )  # fmt: skip


def results_export(
    session: Session, actor: Actor, occurrence_id: int, now: datetime
) -> Download:
    """Every member's score in an occurrence (all pages) as XLSX; text stays text."""
    _scope_, occ, definition, where = _results_scope(session, actor, occurrence_id)
    mark = float(definition.config.pass_score)
    rows, _total = standings.member_rows(session, occ.id, where, limit=None)
    when = wording.occurrence_title(occ.opens_at, occ.closes_at, now)
    title = f"{definition.title} {when}"
    table = Table(
        name=f"{definition.slug}-{occ.id}", title=title,
        headers=["支部", "支部编码", "姓名", "账号", "成绩", "是否通过", "交卷时间"],
        rows=[[r.branch_name, r.branch_code, r.name, r.username, r.score,
               _passed_words(r.score, mark),
               local(r.submitted_at).replace(tzinfo=None) if r.submitted_at else None]
              for r in rows],
    )  # fmt: skip
    return Download(filename=f"{definition.slug}-成绩.xlsx", data=to_xlsx(table))


def score_sheet(
    session: Session, actor: Actor, occurrence_id: int, username: str, now: datetime
) -> ScoreSheet:
    """成绩单 of one member of my subtree: their best result, question by question
    (right or wrong, never the answers). NotFound for anyone outside it."""
    _scope_, occ, definition, where = _results_scope(session, actor, occurrence_id)
    found = standings.member_in_scope(session, username, where)
    if found is None:
        raise NotFound("没有这位党员")
    member, branch = found
    attempt = standings.best_attempt(session, occ.id, member.id)
    answers = standings.sheet_answers(session, attempt.id) if attempt else []
    mark = definition.config.pass_score
    score = attempt.score if attempt else None
    return ScoreSheet(
        quiz_title=definition.title,
        occurrence_title=wording.occurrence_title(occ.opens_at, occ.closes_at, now),
        username=member.username, name=member.name, branch_name=branch.name,
        pass_score=mark, score=score, passed=score is not None and score >= mark,
        correct=attempt.correct_count or 0 if attempt else 0,
        questions=attempt.question_count if attempt else 0,
        submitted_at=attempt.submitted_at if attempt else None,
        answers=[SheetAnswer(position=i, question_id=q, text=t, correct=ok)
                 for i, (q, t, ok) in enumerate(answers, start=1)],
    )  # fmt: skip


def _results_scope(session: Session, actor: Actor, occurrence_id: int):  # type: ignore[no-untyped-def]
    scope = _scope(actor)
    occ = session.get(QuizOccurrence, occurrence_id)
    definition = occ and session.get(QuizDefinition, occ.definition_id)
    if occ is None or definition is None or definition.status == RETIRED:
        raise NotFound("没有这次测验")
    audience = running.audience_paths(session, definition)
    if not running.sees(scope, audience):
        raise NotFound("没有这次测验")
    return scope, occ, definition, running.member_filter(scope, audience)


def _passed_words(score: float | None, mark: float) -> str:
    if score is None:
        return "未交卷"
    return "通过" if score >= mark else "未通过"


def _member_score(r: standings.MemberRow, mark: float) -> MemberScore:
    return MemberScore(username=r.username, name=r.name, branch=r.branch_code,
                       branch_name=r.branch_name, score=r.score,
                       passed=r.score is not None and r.score >= mark,
                       submitted_at=r.submitted_at)  # fmt: skip


def _branch_score(b: standings.BranchRow) -> BranchScore:
    return BranchScore(code=b.code, name=b.name, eligible=b.eligible,
                       handed_in=b.handed_in, passed=b.passed,
                       pass_rate=b.passed / b.handed_in if b.handed_in else None,
                       avg_score=b.avg_score)  # fmt: skip


def branch_sheet(
    session: Session, actor: Actor, occurrence_id: int, code: str, now: datetime
) -> BranchSheet:
    """成绩单 of one branch in my subtree: its figures and every member (not
    paged). NotFound for a branch outside it or without members in the quiz."""
    _scope_, occ, definition, where = _results_scope(session, actor, occurrence_id)
    mark = float(definition.config.pass_score)
    where = and_(where, OrgUnit.code == code)
    found = standings.branch_rows(session, occ.id, where, mark)
    if not found:
        raise NotFound("没有这个支部")
    rows, _total = standings.member_rows(session, occ.id, where, limit=None)
    return BranchSheet(
        quiz_title=definition.title,
        occurrence_title=wording.occurrence_title(occ.opens_at, occ.closes_at, now),
        pass_score=definition.config.pass_score, branch=_branch_score(found[0]),
        members=[_member_score(r, mark) for r in rows],
    )  # fmt: skip
