"""The audit log in words: every action code the code records has a sentence,
in Chinese and English; the page shows who, when (Shanghai), from where and
the target by name."""

from __future__ import annotations

import ast
from datetime import UTC, date, datetime
from pathlib import Path

from babel.messages.pofile import read_po
from sqlalchemy import select

from studyapp.audit.models import AuditEvent
from studyapp.audit.words import WORDS
from tests.conftest import csrf_token
from tests.html import text_of

PACKAGE = Path(__file__).resolve().parents[2] / "studyapp"
CATALOG = PACKAGE / "translations" / "en" / "LC_MESSAGES" / "messages.po"


def _strings(
    node: ast.AST, func: ast.AST | None, module: ast.Module
) -> set[str] | None:
    """The action codes an ``action=`` argument can be, or None if unreadable."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        a, b = _strings(node.body, func, module), _strings(node.orelse, func, module)
        return None if a is None or b is None else a | b
    if isinstance(node, ast.Name):  # a constant of the module or the function
        found: set[str] = set()
        for scope in (func, module):
            for n in ast.walk(scope) if scope is not None else ():
                if isinstance(n, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == node.id for t in n.targets
                ):
                    got = _strings(n.value, None, module)
                    if got is None:
                        return None
                    found |= got
            if found:
                return found
        return None
    if isinstance(node, ast.JoinedStr):  # f"content.{verb}"
        parts: set[str] = {""}
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts = {p + str(value.value) for p in parts}
                continue
            got = _strings(value.value, func, module)  # type: ignore[attr-defined]
            if got is None:
                return None
            parts = {p + g for p in parts for g in got}
        return parts
    return None


def recorded_codes() -> dict[str, str]:
    """Every action code passed to ``record(action=…)`` → where."""
    codes, unreadable = {}, []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = ast.parse(path.read_text(encoding="utf-8"))
        funcs = [n for n in ast.walk(module) if isinstance(n, ast.FunctionDef)]
        for call in ast.walk(module):
            if not isinstance(call, ast.Call):
                continue
            name = getattr(call.func, "id", None) or getattr(call.func, "attr", None)
            arg = next((k.value for k in call.keywords if k.arg == "action"), None)
            if name != "record" or arg is None:
                continue
            func = next(
                (
                    f
                    for f in funcs
                    if f.lineno <= call.lineno <= (f.end_lineno or 0)
                    and any(c is call for c in ast.walk(f))
                ),
                None,
            )
            where = f"{path.relative_to(PACKAGE)}:{call.lineno}"
            found = _strings(arg, func, module)
            if found is None:
                unreadable.append(where)
            for code in found or ():
                codes[code] = where
    assert unreadable == [], f"write these action codes as literals: {unreadable}"
    return codes


def test_every_recorded_action_code_has_words():
    codes = recorded_codes()
    assert {"member.excuse", "org.import", "unit.settings", "content.withdraw"} <= set(
        codes
    )
    missing = {c: w for c, w in codes.items() if c not in WORDS}
    assert missing == {}, f"add a sentence to studyapp/audit/words.py for {missing}"


def test_every_sentence_has_an_english_translation():
    with CATALOG.open("rb") as f:
        catalog = read_po(f)
    untranslated = [
        w for w in WORDS.values() if not (catalog.get(w) and catalog[w].string)
    ]
    assert untranslated == []


def test_the_audit_page_says_who_excused_a_day_in_words(client, login_as, county, db):
    from studyapp.audit.models import record
    from studyapp.auth.models import User

    with db() as s:
        admin = s.scalar(select(User).where(User.username == "admin"))
        s.info["studyapp.client_address"] = "10.1.2.3"
        record(
            s,
            action="member.excuse",
            at=datetime(2026, 12, 1, 1, 30, tzinfo=UTC),
            actor_id=admin.id,
            target="user:13800000001",
            detail={"day": date(2026, 11, 30).isoformat(), "reason": "出差"},
        )
    login_as("admin")
    page = client.get("/admin/audit").get_data(as_text=True)
    event_id = db_event_id(db)
    row = text_of(page, f"audit-{event_id}")
    assert "县管理员 为 王一 免除了 2026年11月30日 的统计（出差）" in row
    assert "member.excuse" not in row
    assert "2026-12-01 09:30" in row  # Asia/Shanghai
    assert "10.1.2.3" in row and "user:13800000001" in row


def db_event_id(db) -> int:  # type: ignore[no-untyped-def]
    with db() as s:
        return s.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()))


def test_a_web_change_keeps_the_address_it_came_from(client, login_as, county, db):
    login_as("admin")
    token = csrf_token(client, "/admin/settings/")
    client.post(
        "/admin/settings/SUB",
        data={"csrf_token": token, "goal_minutes": "25"},
        environ_base={"REMOTE_ADDR": "192.0.2.7"},
    )
    with db() as s:
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "unit.settings"))
        assert event.address == "192.0.2.7"
    page = client.get("/admin/audit").get_data(as_text=True)
    words = text_of(page, f"audit-{event.id}")
    assert "县管理员 修改了 镇党委 的设置：每日学习目标（分钟） 跟随上级 → 25" in words


def test_the_audit_page_in_english(client, login_as, county, db):
    login_as("admin")
    token = csrf_token(client, "/admin/settings/")
    client.post("/admin/settings/SUB", data={"csrf_token": token, "tracking": "off"})
    client.post("/lang", data={"csrf_token": token, "lang": "en"})
    page = client.get("/admin/audit").get_data(as_text=True)
    event_id = db_event_id(db)
    assert "changed the settings of 镇党委" in text_of(page, f"audit-{event_id}")
