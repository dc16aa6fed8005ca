"""What a member does with lessons (browse, search, read), and what an admin
does with content (overview, upload, check, preview, publish, withdraw, restore;
the authors' command line too).

Each action is ``(session, actor, [input,] now) -> result``. For members, a
lesson outside their audience, withdrawn, or not yet published is NotFound.
Content is shared by the whole organisation, so only a global admin manages it
(``actor`` None is the command line). Actions flush; the edge commits, and
files reach the content folder only once it has.
The lesson-announcement job is ``(session, now) -> summary``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from studyapp.audit.models import record
from studyapp.auth.actor import Actor
from studyapp.auth.permissions import is_global_admin
from studyapp.content import (
    folder,
    office,
    publishing,
    queries,
    reading,
    scheduled,
    service,
    uploads,
)
from studyapp.content.convert import export, sample, template
from studyapp.content.convert.converter import ConvertOptions
from studyapp.content.format import checker
from studyapp.content.format.docs import BankDoc
from studyapp.content.models import RETIRED, WITHDRAWN
from studyapp.content.payloads import (
    AdminBank,
    AdminLesson,
    AdminQuiz,
    BankPreview,
    CheckFailed,
    CheckIssue,
    CheckReport,
    ContentChange,
    ContentChanges,
    ContentOverview,
    Download,
    IdsAdded,
    ItemStatus,
    LessonBrief,
    LessonOut,
    LessonPage,
    LessonQuery,
    NextLesson,
    PathsIn,
    Published,
    State,
    UploadIn,
    UploadReport,
)
from studyapp.content.settings import defaults
from studyapp.db import after_commit
from studyapp.deployment import deployment
from studyapp.errors import Conflict, Forbidden, NotFound, ValidationFailed
from studyapp.progress import settings as progress_settings

#: ``progress(steps, total)``: publishing moved ``steps`` on of ``total``.
Progress = Callable[[int, int], None]


def lessons(
    session: Session, actor: Actor, query: LessonQuery, now: datetime
) -> LessonPage:
    """Lessons I may read now, newest first, filtered and paged."""
    q = (query.q or "").strip() or None
    rows, has_more = queries.published_lessons(
        session,
        now,
        unit_path=actor.branch.path,
        series=query.series or None,
        tag=query.tag or None,
        q=q,
        page=query.page,
    )
    series, tags = queries.lesson_facets(session, now)
    seen = _seen(session, actor)
    seconds = seen.seconds
    return LessonPage(
        lessons=[
            LessonBrief(**_brief(r), **_reading(r.slug, r.minutes, seen, seconds))
            for r in rows
        ],
        page=query.page,
        has_more=has_more,
        query=query.model_copy(update={"q": q}),
        all_series=series,
        all_tags=tags,
        **_counts(session, actor, seen, now),
    )


def _counts(
    session: Session, actor: Actor, seen: reading.History, now: datetime
) -> dict[str, int]:
    mine = [
        e.slug
        for e in reading.catalog(session)
        if e.visible_to(actor.branch.path, now)
    ]
    return {"total_count": len(mine), "read_count": len(seen.read.intersection(mine))}


def lesson(session: Session, actor: Actor, slug: str, now: datetime) -> LessonOut:
    """One lesson I may read now, with its HTML."""
    found = queries.lesson_by_slug(session, slug, now, unit_path=actor.branch.path)
    if found is None:
        raise NotFound("没有这篇课文")
    seen = _seen(session, actor)
    seconds = seen.seconds
    mine = _reading(slug, found.minutes, seen, seconds)
    left = reading.finish_seconds(found.minutes) - seconds.get(slug, 0)
    after = reading.next_in_series(
        reading.catalog(session), slug, actor.branch.path, now
    )
    return LessonOut(
        **_brief(found), **mine, html=found.body_html,
        seconds_to_finish=0 if mine["reading"] == reading.READ else max(left, 1),
        next=next_lesson(after, seen, {}) if after else None,
    )  # fmt: skip


def next_step(session: Session, actor: Actor, now: datetime) -> NextLesson | None:
    """首页's one primary action: the lesson to continue, or the next unread one
    (None when every lesson is read, or there is none)."""
    seen = _seen(session, actor)
    entry, continuing = reading.suggestion(
        reading.catalog(session), seen, actor.branch.path, now
    )
    if entry is None:
        return None
    return next_lesson(entry, seen, seen.seconds, continuing=continuing)


def next_lesson(
    entry: reading.Entry,
    seen: reading.History,
    seconds: dict[str, int],
    *,
    continuing: bool = False,
) -> NextLesson:
    return NextLesson(
        id=entry.slug, title=entry.title, series=entry.series, minutes=entry.minutes,
        continuing=continuing, **_reading(entry.slug, entry.minutes, seen, seconds),
    )  # fmt: skip


def _seen(session: Session, actor: Actor) -> reading.History:
    tracking = progress_settings.for_actor(session, actor).tracking
    return reading.history(session, actor.id, tracking=tracking)


def _reading(
    slug: str, minutes: int, seen: reading.History, seconds: dict[str, int]
) -> dict[str, Any]:
    found = reading.state_of(slug, minutes, seen, seconds)
    return {"reading": found.state, "read_percent": found.percent}


def _brief(row: Any) -> dict[str, Any]:
    return {
        "id": row.slug,
        "title": row.title,
        "series": row.series,
        "tags": list(row.tags or []),
        "minutes": row.minutes,
        "revision": row.revision,
        "published_at": row.publish_at or row.created_at,
    }


def record_published(session: Session, now: datetime) -> dict[str, Any]:
    """Job: record each scheduled lesson that went live, once, and (when the
    deployment says so) tell its audience 新课文上线. ``now`` is the occurrence
    time (UTC)."""
    notify = deployment(session).notify_new_lessons
    return scheduled.announce_due(session, now, notify=notify)


# --- 管理 › 内容 -------------------------------------------------------------


def _content_admin(actor: Actor | None) -> None:
    if actor is not None and not is_global_admin(actor):
        raise Forbidden("只有全局管理员可以管理学习内容")


def content_overview(
    session: Session, actor: Actor | None, now: datetime
) -> ContentOverview:
    """Every lesson, bank and quiz with its revision and state, by id."""
    _content_admin(actor)
    rows = queries.content_overview(session)
    return ContentOverview(
        lessons=[
            AdminLesson(**_item(r, now), revision=r.revision, publish_at=r.publish_at)
            for r in rows["lessons"]
        ],
        banks=[AdminBank(**_item(b, now), questions=n) for b, n in rows["banks"]],
        quizzes=[
            AdminQuiz(**_item(q, now), kind=q.kind, revision=q.revision)
            for q in rows["quizzes"]
        ],
    )


def _item(row: Any, now: datetime) -> dict[str, Any]:
    return {
        "id": row.slug,
        "title": row.title,
        "state": _state(row, now),
        "source_path": row.source_path,
        "updated_at": row.updated_at,
    }


def _state(row: Any, now: datetime) -> State:
    if row.status in (RETIRED, WITHDRAWN):
        return row.status  # type: ignore[no-any-return]
    publish_at = getattr(row, "publish_at", None)
    return "scheduled" if publish_at and publish_at > now else "published"


def withdraw(
    session: Session, actor: Actor | None, kind: str, slug: str, now: datetime
) -> ItemStatus:
    """Hide a lesson, bank or quiz from members (it stays withdrawn through
    later publishes) and audit it. NotFound; Conflict for a retired item."""
    return _set_status(session, actor, kind, slug, now, withdrawn=True)


def restore(
    session: Session, actor: Actor | None, kind: str, slug: str, now: datetime
) -> ItemStatus:
    """Show a withdrawn item to members again, and audit it."""
    return _set_status(session, actor, kind, slug, now, withdrawn=False)


def _set_status(
    session: Session,
    actor: Actor | None,
    kind: str,
    slug: str,
    now: datetime,
    *,
    withdrawn: bool,
) -> ItemStatus:
    _content_admin(actor)
    row = service.set_status(session, kind, slug, withdrawn=withdrawn, now=now)
    verb = "withdraw" if withdrawn else "restore"
    record(session, action=f"content.{verb}", at=now, actor_id=_id(actor),
           target=f"{kind}:{slug}")  # fmt: skip
    return ItemStatus(kind=kind, id=slug, title=row.title, state=_state(row, now))


def check_upload(
    session: Session, actor: Actor | None, body: UploadIn, now: datetime
) -> UploadReport:
    """Stage an upload, check it with the whole content folder and preview
    what publishing it would change (the database keeps nothing of it).

    An .xlsx or .docx bank is converted first, as ``content convert`` does:
    when any has an error the report lists every one (``file[sheet]:row`` or
    ``file:paragraph``) and nothing is staged. ValidationFailed (``files``) for
    a file of another kind or an unsafe archive; then nothing is staged.
    """
    _content_admin(actor)
    where = defaults(session)
    converted = _convert_office(session, where.content_dir, body)
    if any(not c.conversion.ok for c in converted):
        return _conversion_failed(converted)
    token, stage = uploads.new_stage(where.staging_dir)
    files = [(f.name, f.data) for f in body.files if not office.is_office(f.name)]
    try:
        staged = uploads.stage_files(stage, where.content_dir, files, body.kind,
                                     required=not converted)  # fmt: skip
        for c in converted:
            staged += office.stage_converted(stage, c)
    except ValidationFailed:  # a bad or hostile file: keep nothing
        shutil.rmtree(stage, ignore_errors=True)
        raise
    with uploads.merged_tree(where.content_dir, stage) as root:
        report = uploads.check_merged(root)
        preview = _preview(session, report, root, now) if report.ok else None
        banks = _bank_previews(report, converted, root)
    fields = _fields(report, office.issue_fields(converted))
    return UploadReport(**fields, token=token, staged=staged, preview=preview,
                        banks=banks)  # fmt: skip


def _convert_office(
    session: Session, content_dir: Path, body: UploadIn
) -> list[office.Converted]:
    wanted = [f for f in body.files if office.is_office(f.name)]
    if len(wanted) > 1 and (body.bank or body.title):
        raise ValidationFailed("一次上传几个 Excel、Word 题库时，各用文件名作题库 id："
                               "请不填“题库 id”和“题库标题”", field="bank")  # fmt: skip
    options = ConvertOptions(bank=body.bank or None, title=body.title or None,
                             lesson=body.lesson or None)  # fmt: skip
    reserved = queries.question_slugs(session) if wanted else set()
    return [office.convert_upload(content_dir, f.name, f.data, options, reserved)
            for f in wanted]  # fmt: skip


def _conversion_failed(converted: list[office.Converted]) -> UploadReport:
    issues = [CheckIssue.model_validate(i) for i in office.issue_fields(converted)]
    errors = sum(i.is_error for i in issues)
    summary = (f"转换了 {len(converted)} 个文件：{errors} 个错误，"
               f"{len(issues) - errors} 个警告")  # fmt: skip
    return UploadReport(ok=False, files=len(converted), errors=errors,
                        warnings=len(issues) - errors, summary=summary,
                        issues=issues, token="", staged=[], preview=None)  # fmt: skip


def _bank_previews(
    report: checker.Report, converted: list[office.Converted], root: Path
) -> list[BankPreview]:
    by_path = {uploads.relative_to(b.path, root): b for b in report.banks}
    return [BankPreview.model_validate(office.preview_fields(by_path[c.target], c))
            for c in converted if c.target in by_path]  # fmt: skip


def _preview(
    session: Session, report: checker.Report, root: Path, now: datetime
) -> ContentChanges:
    savepoint = session.begin_nested()
    try:
        summary = publishing.publish_report(
            session, report, content_root=root, scope=[root], now=now
        )
    finally:
        savepoint.rollback()  # a preview: nothing is kept
    return _changes(summary)


#: The files 管理 › 内容 offers for download, by the name in the URL.
BANK_FILES = ("template.xlsx", "sample.xlsx", "sample.docx")


def bank_download(
    session: Session, actor: Actor | None, name: str, now: datetime
) -> Download:
    """The empty question-bank template (填写说明 + 题目 with its header), a
    filled sample workbook, or a sample Word paper; NotFound for another name."""
    _content_admin(actor)
    made = {
        "template.xlsx": ("题库模板.xlsx", lambda: template.workbook_bytes(())),
        "sample.xlsx": ("题库示例.xlsx", template.template_xlsx),
        "sample.docx": ("试卷示例.docx", sample.sample_docx),
    }.get(name)
    if made is None:
        raise NotFound("没有这个文件")
    filename, build = made
    return Download(filename=filename, data=build())


def export_bank(
    session: Session, actor: Actor | None, slug: str, now: datetime
) -> Download:
    """A published bank as the template workbook, with its ids in 编号 (converting
    it back gives the same questions). NotFound; Conflict when the bank's file
    is gone from the content folder or no longer reads as a bank."""
    _content_admin(actor)
    row = queries.bank_by_slug(session, slug)
    if row is None:
        raise NotFound("没有这个题库")
    doc = _bank_doc(defaults(session).content_dir / row.source_path)
    if doc is None:
        raise Conflict(f"题库文件 {row.source_path} 不在内容文件夹中或有错误，"
                       "请先运行 studyapp content check")  # fmt: skip
    return Download(filename=f"{slug}.xlsx", data=export.export_xlsx(doc))


def _bank_doc(path: Path) -> BankDoc | None:
    if not path.is_file():
        return None
    doc, _issues = checker.parse_path(path)
    return doc if isinstance(doc, BankDoc) else None


def publish_upload(
    session: Session, actor: Actor | None, token: str, now: datetime
) -> Published:
    """Publish a staged upload together with the content folder, or nothing;
    its files join the content folder once the transaction commits.

    ValidationFailed (``token``) when the upload is unknown or expired;
    CheckFailed when the folder with it no longer checks clean.
    """
    _content_admin(actor)
    where = defaults(session)
    stage = uploads.stage_dir(where.staging_dir, token)
    with uploads.merged_tree(where.content_dir, stage) as root:
        report = uploads.check_merged(root)
        if not report.ok:
            failed = UploadReport(**_fields(report), token=token, staged=[],
                                  preview=None)  # fmt: skip
            raise CheckFailed(failed, field="token")
        summary = publishing.publish_report(
            session, report, content_root=root, scope=[root], now=now
        )
    record(session, action="content.publish", at=now, actor_id=_id(actor),
           target="web-upload", detail={"changes": len(summary.changes)})  # fmt: skip
    after_commit(session, lambda: uploads.apply_stage(stage, where.content_dir))
    return Published(report=_report(report), changes=_changes(summary))


def check_paths(
    session: Session, actor: Actor | None, body: PathsIn, now: datetime
) -> CheckReport:
    """Every problem in the given files or folders (default: the content
    folder), read with the whole folder so references resolve."""
    _content_admin(actor)
    root = defaults(session).content_dir
    targets = body.paths or [root]
    report = checker.check_tree(folder.to_check(targets, root))
    return _report(folder.within(report, targets))


def publish_paths(
    session: Session,
    actor: Actor | None,
    body: PathsIn,
    now: datetime,
    progress: Progress | None = None,
) -> Published:
    """Check, then publish everything in one transaction, or nothing
    (CheckFailed); only items from files under the paths can be retired."""
    _content_admin(actor)
    root = defaults(session).content_dir
    targets = body.paths or [root]
    report = checker.check_tree(folder.to_check(targets, root))
    if not report.ok:
        raise CheckFailed(_report(report))
    total = publishing.work_units(report)
    summary = publishing.publish_report(
        session, report, content_root=root, scope=targets, now=now,
        progress=(lambda n: progress(n, total)) if progress else None,
    )  # fmt: skip
    detail = {"changes": len(summary.changes), "unchanged": summary.unchanged}
    record(session, action="content.publish", at=now, actor_id=_id(actor),
           target=",".join(str(p) for p in targets), detail=detail)  # fmt: skip
    return Published(report=_report(report), changes=_changes(summary))


def add_ids(
    session: Session, actor: Actor | None, body: PathsIn, now: datetime
) -> IdsAdded:
    """Write missing ``{#id}``s into question headings (new ids are unique in
    the folder and the database, retired ones included); nothing else changes."""
    _content_admin(actor)
    files, _issues = checker.collect_files(body.paths)
    used = folder.question_ids_in_use(session, files, defaults(session).content_dir)
    added = {str(p): ids for p in files if (ids := folder.write_missing_ids(p, used))}
    return IdsAdded(files=added)


def _fields(
    report: checker.Report, first: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The report's counts and issues; ``first`` (conversion warnings) go first."""
    extra = [CheckIssue.model_validate(i) for i in first or []]
    return {
        "ok": report.ok,
        "files": report.files,
        "errors": len(report.errors),
        "warnings": len(report.warnings) + len(extra),
        "summary": report.summary(),
        "issues": extra + [CheckIssue.model_validate(i) for i in report.issues],
    }


def _report(report: checker.Report) -> CheckReport:
    return CheckReport(**_fields(report))


def _changes(summary: publishing.PublishSummary) -> ContentChanges:
    return ContentChanges(
        lines=summary.lines(),
        changes=[
            ContentChange(kind=c.kind, id=c.slug, title=c.title, action=c.action)  # type: ignore[arg-type]
            for c in summary.changes
        ],
        unchanged=summary.unchanged,
        media_added=summary.media_added,
    )


def _id(actor: Actor | None) -> int | None:
    return actor.id if actor is not None else None
