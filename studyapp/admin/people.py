"""管理 › 党员: find people in my scope, add one, and change one person.

Admins manage people in their subtree; secretaries may search their branch,
reset a member's password and mark exemptions (the actions decide, per person).
Each handler parses the form, calls one action of ``people.actions`` (the JSON
API calls the same ones), commits, and renders; an action's error is shown
under the form field it names (422). A generated password is shown once, on the
page that answers the POST, and never stored.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectChoice

from studyapp.admin import people_forms as forms
from studyapp.auth.permissions import units_in_scope
from studyapp.auth.roles import Role
from studyapp.db import get_session
from studyapp.org.models import UnitKind
from studyapp.people import actions
from studyapp.people.payloads import (
    ActiveIn,
    MoveIn,
    PeopleQuery,
    PersonAdded,
    PersonAddIn,
    PersonEditIn,
    PersonExemptIn,
    ResetIn,
    RoleIn,
)
from studyapp.timeutil import study_day, utcnow
from studyapp.web import render_page, role_required

bp = Blueprint("admin_people", __name__, url_prefix="/admin/people")


@bp.before_request
@role_required(Role.SECRETARY)
def _secretaries_and_admins() -> None:
    """Secretaries and admins (the actions check each person's scope)."""


@bp.get("/")
def index() -> ResponseReturnValue:
    """Search by name or username, 30 a page; htmx swaps just the results."""
    query = PeopleQuery.model_validate(_args("q", "unit", "status", "page"))
    page = actions.search(get_session(), current_user, query, utcnow())
    form = forms.PeopleSearchForm(request.args)
    return render_page("admin/people.html", partial="admin/_people_rows.html",
                       page=page, query=query, form=form,
                       can_add=current_user.has_role(Role.ADMIN))  # fmt: skip


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def add() -> ResponseReturnValue:
    """Add one person to a branch; a generated password is shown once."""
    form = forms.PersonAddForm()
    form.branch.choices = _branches()
    add_one = lambda s: actions.add_person(  # noqa: E731
        s, current_user, _person_in(form), utcnow()
    )
    done = forms.submit(form, add_one)
    if isinstance(done, PersonAdded):
        return render_page("admin/person_added.html", done=done)
    status = 422 if request.method == "POST" else 200
    return render_page("admin/person_new.html", form=form, status=status)


@bp.get("/<username>")
def person(username: str) -> ResponseReturnValue:
    """One person: details, past branches, and the forms to change them."""
    return _person_page(username)


@bp.post("/<username>/edit")
def edit(username: str) -> ResponseReturnValue:
    """Change the name and phone."""
    form = forms.PersonEditForm()
    body = lambda: PersonEditIn(name=form.name.data, phone=form.phone.data)  # noqa: E731
    return _change(username, "edit", form, actions.edit_person, body, _("已保存"))


@bp.post("/<username>/exempt")
def exempt(username: str) -> ResponseReturnValue:
    """Mark exempt with a reason, or clear it (empty reason)."""
    form = forms.PersonExemptForm()
    body = lambda: PersonExemptIn(reason=form.reason.data)  # noqa: E731
    return _change(username, "exempt", form, actions.set_exempt, body, _("已保存"))


@bp.post("/<username>/active")
def active(username: str) -> ResponseReturnValue:
    """Deactivate (``active=0``) or reactivate (``active=1``)."""
    on = request.form.get("active") == "1"
    message = _("已恢复，可以登录") if on else _("已停用：不能登录，从今天起不计入统计")
    return _change(username, "active", forms.PlainForm(), actions.set_active,
                   lambda: ActiveIn(active=on), message)  # fmt: skip


@bp.post("/<username>/move")
def move(username: str) -> ResponseReturnValue:
    """Move to another branch from a day on (earlier days stay with the old one)."""
    form = forms.PersonMoveForm()
    form.branch.choices = _branches()
    body = lambda: MoveIn(branch=form.branch.data or "-", day=form.day.data)  # noqa: E731
    return _change(username, "move", form, actions.move_person, body, _("已调动"))


@bp.post("/<username>/roles")
def grant(username: str) -> ResponseReturnValue:
    """Grant secretary or admin on a unit."""
    form = forms.RoleForm()
    form.unit.choices = _units()
    body = lambda: RoleIn(role=form.role.data, unit=form.unit.data or "-")  # noqa: E731
    return _change(username, "grant", form, actions.grant_role, body, _("已授予"))


@bp.post("/<username>/roles/revoke")
def revoke(username: str) -> ResponseReturnValue:
    """Take back a role on a unit."""
    form = forms.RevokeForm()
    body = lambda: RoleIn(role=form.role.data, unit=form.unit.data)  # noqa: E731
    return _change(username, "grant", form, actions.revoke_role, body, _("角色已撤销"))


@bp.route("/<username>/password", methods=["GET", "POST"])
def password(username: str) -> ResponseReturnValue:
    """Reset the password: shown once; every login of theirs ends."""
    detail = actions.person_detail(get_session(), current_user, username, utcnow())
    form = forms.ResetPasswordForm()
    body = lambda: ResetIn(password=form.password.data or None)  # noqa: E731
    reset = lambda s: actions.reset_password(  # noqa: E731
        s, current_user, username, body(), utcnow()
    )
    done = forms.submit(form, reset)
    if done is not None:
        return render_page("admin/password_reset.html", done=done)
    status = 422 if request.method == "POST" else 200
    return render_page(
        "admin/password_form.html", detail=detail, form=form, status=status
    )


def _change(username: str, name: str, form: FlaskForm, action: Any, body: Any,
            message: str) -> ResponseReturnValue:  # fmt: skip
    """Run one change to a person; back to their page, or it with the errors."""
    call = lambda s: action(s, current_user, username, body(), utcnow())  # noqa: E731
    if forms.submit(form, call) is not None:
        flash(message, "success")
        return redirect(url_for(".person", username=username))
    return _person_page(username, status=422, **{name: form})


def _person_page(
    username: str, status: int = 200, **given: FlaskForm
) -> ResponseReturnValue:
    detail = actions.person_detail(get_session(), current_user, username, utcnow())
    p = detail.person
    f: dict[str, Any] = {
        "edit": forms.PersonEditForm(name=p.name, phone=p.phone),
        "exempt": forms.PersonExemptForm(reason=p.exempt_reason),
        "active": forms.PlainForm(),
        "move": forms.PersonMoveForm(day=study_day(utcnow())),
        "grant": forms.RoleForm(),
        "revoke": forms.RevokeForm(),
    } | given
    if detail.can_manage:
        f["move"].branch.choices = [c for c in _branches() if c.value != p.branch.code]
        f["grant"].unit.choices = _units()
    return render_page("admin/person.html", detail=detail, forms=f, status=status)


def _person_in(form: forms.PersonAddForm) -> PersonAddIn:
    return PersonAddIn(username=form.username.data, name=form.name.data,
                       branch=form.branch.data or "-", phone=form.phone.data,
                       password=form.password.data or None)  # fmt: skip


def _units(*kinds: str) -> list[SelectChoice]:
    """Open units of my admin scope, in tree order, as form choices."""
    units = units_in_scope(get_session(), current_user, Role.ADMIN)
    return [SelectChoice(u.code, f"{u.name}（{u.code}）") for u in units
            if u.closed_at is None and (not kinds or u.kind in kinds)]  # fmt: skip


def _branches() -> list[SelectChoice]:
    return _units(UnitKind.BRANCH.value)


def _args(*names: str) -> dict[str, str]:
    """Query arguments that are present and not empty (a bad one is a 400)."""
    return {n: v.strip() for n in names if (v := request.args.get(n, "")).strip()}
