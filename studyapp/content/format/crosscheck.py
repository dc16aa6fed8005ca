"""PURE: checks across files: duplicate ids, references, draws that cannot be filled."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import combinations

from studyapp.content.format.answers import BLANK
from studyapp.content.format.docs import (
    BankDoc,
    DrawRule,
    IdKind,
    IdUse,
    Issue,
    LessonDoc,
    QuestionDoc,
    QuizDoc,
)

#: Hall's condition is checked over every subset of draw rules up to this many rules;
#: quizzes with more rules are only checked rule by rule.
MAX_RULES_FOR_SUBSETS = 10

Place = tuple[str, str, int]  # (id, path, line)

#: How each id namespace is named in messages.
ID_KINDS: dict[IdKind, str] = {
    "lesson": "课程",
    "bank": "题库/测验",
    "question": "题目",
}


def cross_check(
    lessons: Sequence[LessonDoc],
    banks: Sequence[BankDoc],
    quizzes: Sequence[QuizDoc],
    ids: Sequence[IdUse] | None = None,
) -> list[Issue]:
    """Every cross-file problem of a content tree (unsorted).

    Duplicates are looked for among *ids* (every id written in the files, see
    ``parser.ParsedFile``) when given, else among the ids of the docs.
    """
    questions = [q for doc in (*banks, *quizzes) for q in doc.questions]
    if ids is None:
        ids = doc_ids(lessons, banks, quizzes)
    issues = []
    for kind, what in ID_KINDS.items():
        issues += duplicate_ids(
            [(u.id, u.path, u.line) for u in ids if u.kind == kind], what
        )
    issues += unknown_lessons({d.id for d in lessons}, banks, quizzes)
    issues += draw_problems(banks, quizzes)
    issues += single_daily(quizzes)
    issues += duplicate_stems(questions)
    return issues


def doc_ids(
    lessons: Sequence[LessonDoc], banks: Sequence[BankDoc], quizzes: Sequence[QuizDoc]
) -> list[IdUse]:
    """The ids of parsed docs and their (valid) questions."""
    ids = [IdUse("lesson", d.id, d.path, d.line_of("id")) for d in lessons]
    ids += [IdUse("bank", d.id, d.path, d.line_of("id")) for d in (*banks, *quizzes)]
    ids += [
        IdUse("question", q.id, q.path, q.line)
        for doc in (*banks, *quizzes)
        for q in doc.questions
    ]
    return ids


def duplicate_ids(places: Iterable[Place], what: str) -> list[Issue]:
    """An error at each place whose id is used elsewhere, naming another place."""
    by_id: dict[str, list[Place]] = defaultdict(list)
    for place in places:
        by_id[place[0]].append(place)
    issues = []
    for same in by_id.values():
        for place in same if len(same) > 1 else ():
            other = next(p for p in same if p is not place)
            issues.append(
                Issue(
                    place[1],
                    place[2],
                    "error",
                    f"{what} id “{place[0]}” 重复：另见 {other[1]}:{other[2]}",
                )
            )
    return issues


def unknown_lessons(
    lesson_ids: set[str], banks: Sequence[BankDoc], quizzes: Sequence[QuizDoc]
) -> list[Issue]:
    """Bank/quiz ``lesson`` and question 出处 that name no lesson."""
    issues = []
    for doc in (*banks, *quizzes):
        if doc.lesson and doc.lesson not in lesson_ids:
            message = f"lesson “{doc.lesson}” 没有对应的课程"
            issues.append(Issue(doc.path, doc.line_of("lesson"), "error", message))
        for q in doc.questions:
            line = q.source_lesson_line
            if line is not None and q.source_lesson not in lesson_ids:
                message = f"出处 “{q.source_lesson}” 没有对应的课程"
                issues.append(Issue(q.path, line, "error", message))
    return issues


def eligible(rule: DrawRule, pool: Iterable[tuple[str, QuestionDoc]]) -> set[str]:
    """Ids of the questions (with their bank ids) that *rule* may draw."""
    tags, types = set(rule.tags), set(rule.types)
    return {
        q.id
        for bank_id, q in pool
        if (rule.bank is None or bank_id == rule.bank)
        and (not tags or tags.intersection(q.tags))
        and (not types or q.type in types)
    }


def draw_problems(banks: Sequence[BankDoc], quizzes: Sequence[QuizDoc]) -> list[Issue]:
    """Unknown banks in draws, and draws/daily counts the banks cannot fill."""
    pool = [(b.id, q) for b in banks for q in b.questions]
    bank_ids = {b.id for b in banks}
    issues = []
    for quiz in quizzes:
        issues += _unknown_banks(quiz, bank_ids)
        rules = [r for r in quiz.draw if r.bank is None or r.bank in bank_ids]
        issues += _unfillable(quiz, [(r, eligible(r, pool)) for r in rules])
        if quiz.count is not None and quiz.count > len(pool):
            message = (
                f"daily 测验每天抽 {quiz.count} 题，但题库中一共只有 {len(pool)} 题"
            )
            line = quiz.line_of("count", quiz.line_of("kind"))
            issues.append(Issue(quiz.path, line, "error", message))
    return issues


def _unknown_banks(quiz: QuizDoc, bank_ids: set[str]) -> list[Issue]:
    return [
        Issue(quiz.path, r.line, "error", f"draw 中的题库 “{r.bank}” 不存在")
        for r in quiz.draw
        if r.bank is not None and r.bank not in bank_ids
    ]


def _unfillable(quiz: QuizDoc, rules: list[tuple[DrawRule, set[str]]]) -> list[Issue]:
    # Each attempt draws distinct questions, so every set of rules together needs
    # as many distinct eligible questions as their counts add up to (Hall).
    short = [(r, ids) for r, ids in rules if len(ids) < r.count]
    if short:
        return [
            Issue(
                quiz.path,
                r.line,
                "error",
                f"抽题规则（{describe_rule(r)}）要 {r.count} 题，"
                f"但符合条件的只有 {len(ids)} 题",
            )
            for r, ids in short
        ]
    if len(rules) > MAX_RULES_FOR_SUBSETS:
        return []
    for size in range(2, len(rules) + 1):
        for group in combinations(rules, size):
            need = sum(r.count for r, _ in group)
            have = len(set().union(*(ids for _, ids in group)))
            if have < need:
                lines = "、".join(str(r.line) for r, _ in group)
                message = (
                    f"第 {lines} 行的抽题规则共要 {need} 题，但符合条件的不同题目只有 "
                    f"{have} 题（同一次测验不重复出题）"
                )
                return [Issue(quiz.path, group[0][0].line, "error", message)]
    return []


def describe_rule(rule: DrawRule) -> str:
    """``bank=x，tags=党史/党章，types=single`` (or 全部题库)."""
    parts = [f"bank={rule.bank}"] if rule.bank else []
    parts += [f"tags={'/'.join(rule.tags)}"] if rule.tags else []
    parts += [f"types={'/'.join(rule.types)}"] if rule.types else []
    return "，".join(parts) or "全部题库"


def single_daily(quizzes: Sequence[QuizDoc]) -> list[Issue]:
    """At most one daily quiz: the API knows it as ``daily``."""
    daily = [q for q in quizzes if q.kind == "daily"]
    first = daily[0] if daily else None
    return [
        Issue(
            q.path,
            q.line_of("kind"),
            "error",
            f"只能有一个 daily 测验：已在 {first.path}:{first.line_of('kind')} 定义",
        )
        for q in daily[1:]
    ]


_NOT_WORD = re.compile(r"[\W_]+")


def stem_key(stem_md: str) -> str:
    """A stem reduced for duplicate detection (case, width, spaces, punctuation)."""
    text = unicodedata.normalize("NFKC", BLANK.sub("{}", stem_md)).casefold()
    return _NOT_WORD.sub("", text)


def duplicate_stems(questions: Sequence[QuestionDoc]) -> list[Issue]:
    """A warning at each question whose stem repeats another's."""
    by_key: dict[str, list[QuestionDoc]] = defaultdict(list)
    for q in questions:
        key = stem_key(q.stem_md)
        if key:
            by_key[key].append(q)
    issues = []
    for same in by_key.values():
        for q in same if len(same) > 1 else ():
            other = same[1] if q is same[0] else same[0]
            message = f"题干与 {other.path}:{other.line}（{other.id}）重复"
            issues.append(Issue(q.path, q.line, "warning", message))
    return issues
