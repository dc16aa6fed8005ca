"""The API against its own OpenAPI document: generated requests to every
operation, valid and invalid, as a member and as the global admin. No answer
may be a 5xx, and every answer must match the document (status, content type,
body schema).

Driven by our own Hypothesis loop (schemathesis's pytest plugin does not run
on pytest 9). The suite runs a small budget; ``make fuzz`` runs the ``slow``
test with a larger one (``STUDYAPP_FUZZ_EXAMPLES`` examples per operation,
mode and role; ``make fuzz`` sets 100).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.openapi.checks import JsonSchemaError
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from studyapp.auth.roles import Role
from studyapp.content.format.checker import check_tree
from studyapp.content.publishing import publish_report
from studyapp.timeutil import utcnow
from tests.conftest import PASSWORD
from tests.content_helpers import lesson, write
from tests.factories import make_tree, make_user
from tests.quiz.conftest import BANK, quiz_files

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
#: These end the login the run uses (each has its own tests).
SKIP = {"revoke_token", "change_password"}
SMALL_BUDGET = 4


@pytest.fixture
def api(app, db) -> Iterator[tuple[Any, dict[str, str]]]:  # type: ignore[no-untyped-def]
    """The loaded schema, and bearer headers per role, on a site with content."""
    root = Path(app.config["CONTENT_DIR"])
    write(root, "lessons/sanhui.md", lesson())
    write(root, "quizzes/bank.md", BANK.format(secret="解析"))
    quiz_files(root)
    with db() as s:
        report = check_tree([root])
        publish_report(s, report, content_root=root, scope=[root], now=utcnow())
        units = make_tree(s)
        make_user(s, units["a"], "member_a")
        make_user(s, units["root"], "admin_root", role=Role.ADMIN)
    client = app.test_client()
    headers = {}
    for name in ("member_a", "admin_root"):
        resp = client.post(
            "/api/v1/auth/token", json={"username": name, "password": PASSWORD}
        )
        headers[name] = resp.get_json()["token"]
    yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app), headers


def operations(schema: Any) -> list[Any]:
    found = [result.ok() for result in schema.get_all_operations()]
    return [op for op in found if op.definition.raw.get("operationId") not in SKIP]


def fuzz(schema: Any, tokens: dict[str, str], examples: int) -> dict[str, str]:
    """Run every operation × mode × role; returns the failures by operation."""
    failures: dict[str, str] = {}
    ops = operations(schema)
    assert len(ops) >= 50, [op.label for op in ops]
    for op in ops:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            for role, token in tokens.items():
                try:
                    _run(op, mode, token, examples)
                except (Exception, BaseExceptionGroup) as exc:  # reported below
                    failures[f"{op.label} [{mode.value}, {role}]"] = str(exc)[:800]
    return failures


def _run(op: Any, mode: GenerationMode, token: str, examples: int) -> None:
    # The in-process transport does not undo gzip (an HTTP client would), and
    # large API answers are sent compressed to clients that accept it.
    headers = {"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"}

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=op.as_strategy(generation_mode=mode))
    def one(case: Any) -> None:
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    one()


def test_every_operation_holds_under_generated_requests(api):
    schema, tokens = api
    assert fuzz(schema, tokens, SMALL_BUDGET) == {}


@pytest.mark.slow
@pytest.mark.skipif(
    "STUDYAPP_FUZZ_EXAMPLES" not in os.environ,
    reason="the long fuzz runs with `make fuzz` (STUDYAPP_FUZZ_EXAMPLES)",
)
def test_every_operation_holds_under_a_long_fuzz(api):
    schema, tokens = api
    assert fuzz(schema, tokens, int(os.environ["STUDYAPP_FUZZ_EXAMPLES"])) == {}


def test_the_checks_catch_an_answer_off_the_document(api, app):
    # Proves the loop above can fail: a 200 /me without its fields is caught.
    from werkzeug.test import TestResponse

    schema, _ = api
    op = schema["/api/v1/me"]["GET"]
    case = op.Case()
    wrong = TestResponse(
        response=[b'{"name": 1}'],
        status="200 OK",
        headers={"Content-Type": "application/json"},
        request=app.test_request_context("/api/v1/me").request,
    )
    with pytest.raises(BaseExceptionGroup) as err:
        case.validate_response(wrong, checks=CHECKS)
    assert err.group_contains(JsonSchemaError)
