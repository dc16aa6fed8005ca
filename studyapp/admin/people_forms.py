"""Forms of 管理 › 组织 and 管理 › 党员 (Flask-WTF: CSRF included).

The actions check every rule again and name the field at fault; these forms
only catch what is missing or too long, in the UI's language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from studyapp.db import get_session
from studyapp.errors import DomainError, NotFound

_REQUIRED = _l("请填写这一项")


class UnitAddForm(FlaskForm):
    code = StringField(
        _l("组织编码（如 DY-XM-03，用过的编码不能再用）"),
        validators=[DataRequired(_REQUIRED), Length(max=64)],
    )
    name = StringField(
        _l("组织名称"), validators=[DataRequired(_REQUIRED), Length(max=200)]
    )
    kind = SelectField(
        _l("类型"),
        choices=[
            SelectChoice("branch", _l("党支部")),
            SelectChoice("general_branch", _l("党总支")),
            SelectChoice("committee", _l("党委")),
            SelectChoice("group", _l("党小组")),
        ],
    )
    parent = SelectField(_l("上级组织"), choices=[], validate_choice=False)


class UnitRenameForm(FlaskForm):
    name = StringField(
        _l("新名称"), validators=[DataRequired(_REQUIRED), Length(max=200)]
    )


class UnitMoveForm(FlaskForm):
    parent = SelectField(_l("移到哪个组织之下"), choices=[], validate_choice=False)


class PlainForm(FlaskForm):
    """A button that only carries the CSRF token (close a unit, reactivate…)."""


class PeopleSearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    q = StringField(_l("姓名或账号"), validators=[Optional(), Length(max=64)])


class PersonAddForm(FlaskForm):
    username = StringField(
        _l("账号（手机号或党员编号）"),
        validators=[DataRequired(_REQUIRED), Length(max=64)],
    )
    name = StringField(
        _l("姓名"), validators=[DataRequired(_REQUIRED), Length(max=100)]
    )
    branch = SelectField(_l("所在党支部"), choices=[], validate_choice=False)
    phone = StringField(
        _l("联系电话（可不填）"), validators=[Optional(), Length(max=30)]
    )
    password = StringField(
        _l("初始密码（可不填，不填则自动生成）"),
        validators=[Optional(), Length(max=200)],
        render_kw={"autocomplete": "off"},
    )


class PersonEditForm(FlaskForm):
    name = StringField(
        _l("姓名"), validators=[DataRequired(_REQUIRED), Length(max=100)]
    )
    phone = StringField(_l("联系电话"), validators=[Optional(), Length(max=30)])


class PersonMoveForm(FlaskForm):
    branch = SelectField(_l("调到哪个党支部"), choices=[], validate_choice=False)
    day = DateField(
        _l("从哪一天起（这天以前仍算原支部）"),
        validators=[DataRequired(_l("请填写日期"))],
    )


class RoleForm(FlaskForm):
    role = SelectField(
        _l("角色"),
        choices=[
            SelectChoice("secretary", _l("书记（支部书记、组织委员）")),
            SelectChoice("admin", _l("管理员")),
        ],
    )
    unit = SelectField(_l("在哪个组织"), choices=[], validate_choice=False)


class RevokeForm(FlaskForm):
    role = HiddenField(validators=[DataRequired()])
    unit = HiddenField(validators=[DataRequired()])


class PersonExemptForm(FlaskForm):
    reason = StringField(
        _l("免于统计的原因（如 流动党员、年老体弱）"),
        validators=[Optional(), Length(max=200)],
    )


class ResetPasswordForm(FlaskForm):
    password = StringField(
        _l("新密码（可不填，不填则自动生成）"),
        validators=[Optional(), Length(max=200)],
        render_kw={"autocomplete": "off"},
    )


def submit(form: FlaskForm, call: Callable[[Any], Any]) -> Any:
    """Validate ``form``, run ``call(session)`` (one action) and commit.

    A domain error goes under the form field it names (or on top of the form),
    the session is rolled back and None comes back; a NotFound that names no
    field of the form is raised (an unknown or out-of-scope id is a 404).
    """
    if not form.validate_on_submit():
        return None
    session = get_session()
    try:
        done = call(session)
    except DomainError as exc:
        session.rollback()
        target = getattr(form, exc.field or "", None)
        if isinstance(exc, NotFound) and target is None:
            raise
        errors = target.errors if target is not None else form.form_errors
        errors.append(exc.message)
        return None
    session.commit()
    return done
