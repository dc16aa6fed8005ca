"""Admin forms (Flask-WTF: CSRF included)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed
from wtforms import HiddenField, MultipleFileField, SelectChoice, SelectField
from wtforms.validators import DataRequired


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
