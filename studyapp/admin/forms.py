"""Admin forms (Flask-WTF: CSRF included)."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed
from wtforms import HiddenField, MultipleFileField, SelectChoice, SelectField
from wtforms.validators import DataRequired

from studyapp.errors import ValidationFailed
from studyapp.org.unit_settings import KEYS
from studyapp.orgadmin.payloads import UnitSettingsIn


class UploadForm(FlaskForm):
    files = MultipleFileField(
        _l("Markdown 文件或 zip 压缩包"),
        validators=[FileAllowed(["md", "zip"], _l("只能上传 .md 或 .zip 文件"))],
        render_kw={"accept": ".md,.zip"},
    )
    kind = SelectField(
        _l("单个 .md 文件是"),
        choices=[
            SelectChoice("lessons", _l("课程")),
            SelectChoice("quizzes", _l("题库或测验")),
        ],
        default="quizzes",
    )


class PublishForm(FlaskForm):
    token = HiddenField(validators=[DataRequired()])


class StatusForm(FlaskForm):
    """Withdraw or restore one item (the CSRF token is all it carries)."""


class ImportForm(FlaskForm):
    """管理 › 导入: the files of an organisation import (checked by the action)."""

    files = MultipleFileField(
        _l("CSV 或 Excel（.xlsx）文件"),
        render_kw={"accept": ".csv,.xlsx"},
    )


class ApplyImportForm(FlaskForm):
    token = HiddenField(validators=[DataRequired()])


class SettingsForm(FlaskForm):
    """管理 › 设置: one field per setting, read by ``settings_input`` (the CSRF
    token is all WTForms checks)."""


#: How each kind of setting is typed in the form: "" keeps the unit above's.
_BOOL = {"on": True, "off": False}


def settings_input(form: Mapping[str, str]) -> UnitSettingsIn:
    """The settings form as the action's input: an empty field inherits, a bad
    number is a ValidationFailed naming its field."""
    values: dict[str, int | bool | None] = {}
    inherit = []
    for key, spec in KEYS.items():
        text = (form.get(key) or "").strip()
        if not text:
            inherit.append(key)
        elif spec.kind == "bool":
            if text not in _BOOL:
                raise ValidationFailed(_("请选择开或关"), field=key)
            values[key] = _BOOL[text]
        elif spec.kind == "hour" and text == "off":
            values[key] = None
        elif text.isdigit() and len(text) < 6:
            values[key] = int(text)
        else:
            raise ValidationFailed(_("请填一个整数"), field=key)
    return UnitSettingsIn(set=values, inherit=inherit)
