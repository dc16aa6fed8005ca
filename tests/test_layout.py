"""The shape the action layer promises, checked on the code itself.

- every HTML view and API route is a thin adapter: at most 15 lines of body;
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "studyapp"
ROUTE_DECORATORS = {"get", "post", "put", "delete", "patch", "route"}
#: Lines of body (without the docstring and decorators) a view or route may have.
MAX_BODY = 15


def _edge_modules() -> list[Path]:
    views = sorted(PACKAGE.glob("*/views.py")) + sorted(PACKAGE.glob("admin/*.py"))
    return views + sorted(PACKAGE.glob("api/*.py"))


def _routes(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef):
            continue
        decorated = any(
            isinstance(d, ast.Call)
            and isinstance(d.func, ast.Attribute)
            and d.func.attr in ROUTE_DECORATORS
            for d in node.decorator_list
        )
        if not decorated:
            continue
        body = node.body
        first = body[0] if body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            body = body[1:]  # the docstring
        lines = (body[-1].end_lineno - body[0].lineno + 1) if body else 0
        found.append((node.name, lines))
    return found


@pytest.mark.parametrize(
    "module", _edge_modules(), ids=lambda p: str(p.relative_to(PACKAGE))
)
def test_views_and_routes_are_thin(module: Path) -> None:
    long = [(name, n) for name, n in _routes(module) if n > MAX_BODY]
    assert long == [], f"{module.name}: views over {MAX_BODY} lines: {long}"
