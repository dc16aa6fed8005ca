"""Login and password forms (Flask-WTF: CSRF token included)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    username = StringField(
        _l("账号"),
        validators=[DataRequired(_l("请输入账号")), Length(max=64)],
        render_kw={
            "autocomplete": "username",
            "inputmode": "text",
            "autocapitalize": "none",
            "spellcheck": "false",
        },
    )
    password = PasswordField(
        _l("密码"),
        validators=[DataRequired(_l("请输入密码")), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("在这台手机上保持登录（30 天）"), default=True)


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("当前密码"),
        validators=[DataRequired(_l("请输入当前密码"))],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        _l("新密码（至少 8 位）"),
        validators=[
            DataRequired(_l("请输入新密码")),
            Length(min=8, max=200, message=_l("新密码至少 8 位")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("再输入一次新密码"),
        validators=[EqualTo("new_password", message=_l("两次输入的新密码不一致"))],
        render_kw={"autocomplete": "new-password"},
    )
