"""管理 › 组织: the unit tree with member counts; add, rename, move and close units.

Each handler parses the form, calls one action of ``org.actions`` (the JSON
API calls the same ones), commits when it changed something, and renders. An
error the action raises is shown under the form field it names (422).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectChoice

from studyapp.admin.people_forms import (
    PlainForm,
    UnitAddForm,
    UnitMoveForm,
    UnitRenameForm,
    submit,
)
from studyapp.auth.roles import Role
from studyapp.db import get_session
from studyapp.errors import NotFound
from studyapp.org import actions
from studyapp.org.payloads import UnitIn, UnitMoveIn, UnitNode, UnitRenameIn, UnitTree
from studyapp.timeutil import utcnow
from studyapp.web import render_page, role_required

bp = Blueprint("admin_units", __name__, url_prefix="/admin/units")


@bp.before_request
@role_required(Role.ADMIN)
def _admins_only() -> None:
    """Only admins (the actions check each unit's scope)."""


@bp.get("/")
def index() -> ResponseReturnValue:
    """The tree of my units, with members counted, and the form to add one."""
    return _tree_page(UnitAddForm())


@bp.post("/")
def add() -> ResponseReturnValue:
    """Add a unit under one of mine."""
    form = UnitAddForm()
    done = submit(form, lambda s: actions.add_unit(s, current_user, _unit_in(form),
                                                   utcnow()))  # fmt: skip
    if isinstance(done, UnitNode):
        flash(_("已添加 %(name)s", name=done.name), "success")
        return redirect(url_for(".unit", code=done.code))
    return _tree_page(form, status=422)


@bp.get("/<code>")
def unit(code: str) -> ResponseReturnValue:
    """One unit: rename it, move it, close it."""
    return _unit_page(code)


@bp.post("/<code>/rename")
def rename(code: str) -> ResponseReturnValue:
    """Give the unit a new name (the code stays)."""
    form = UnitRenameForm()
    call = lambda s: actions.rename_unit(  # noqa: E731
        s, current_user, code, UnitRenameIn(name=form.name.data or ""), utcnow()
    )
    if isinstance(submit(form, call), UnitNode):
        flash(_("名称已修改"), "success")
        return redirect(url_for(".unit", code=code))
    return _unit_page(code, rename=form, status=422)


@bp.post("/<code>/move")
def move(code: str) -> ResponseReturnValue:
    """Move the unit, with everything under it, under another unit."""
    form = UnitMoveForm()
    call = lambda s: actions.move_unit(  # noqa: E731
        s, current_user, code, UnitMoveIn(parent=form.parent.data or "-"), utcnow()
    )
    if isinstance(submit(form, call), UnitNode):
        flash(_("已移动，下级组织随之移动"), "success")
        return redirect(url_for(".unit", code=code))
    return _unit_page(code, move=form, status=422)


@bp.post("/<code>/close")
def close(code: str) -> ResponseReturnValue:
    """Close the unit (only when nobody active is left in it)."""
    form = PlainForm()
    call = lambda s: actions.close_unit(s, current_user, code, utcnow())  # noqa: E731
    if isinstance(submit(form, call), UnitNode):
        flash(_("已撤销。历史数据保留，编码不会再被使用"), "success")
        return redirect(url_for(".unit", code=code))
    return _unit_page(code, close=form, status=422)


def _unit_in(form: UnitAddForm) -> UnitIn:
    return UnitIn(code=form.code.data, name=form.name.data, kind=form.kind.data,
                  parent=form.parent.data or "-")  # fmt: skip


def _tree(tree: UnitTree, *, open_only: bool = True) -> list[SelectChoice]:
    return [SelectChoice(u.code, "　" * u.depth + f"{u.name}（{u.code}）")
            for u in tree.units if not (open_only and u.closed)]  # fmt: skip


def _tree_page(form: UnitAddForm, status: int = 200) -> ResponseReturnValue:
    tree = actions.unit_tree(get_session(), current_user, utcnow())
    form.parent.choices = _tree(tree)
    return render_page("admin/units.html", tree=tree, form=form, status=status)


def _unit_page(code: str, status: int = 200, **forms: FlaskForm) -> ResponseReturnValue:
    tree = actions.unit_tree(get_session(), current_user, utcnow())
    node = next((u for u in tree.units if u.code == code), None)
    if node is None:
        raise NotFound(_("没有这个组织，或不在您管理的范围内"))
    move = forms.get("move") or UnitMoveForm(parent=node.parent)
    move.parent.choices = [c for c in _tree(tree) if c.value != code]  # type: ignore[union-attr]
    rename = forms.get("rename") or UnitRenameForm(name=node.name)
    close = forms.get("close") or PlainForm()
    return render_page("admin/unit.html", node=node, rename=rename, move=move,
                       close=close, status=status)  # fmt: skip
