"""Admin forms (Flask-WTF: CSRF included)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed
from wtforms import (
    DateTimeLocalField,
    HiddenField,
    MultipleFileField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Length, Optional


class UploadForm(FlaskForm):
    files = MultipleFileField(
        _l("Markdown、Excel、Word 文件或 zip 压缩包"),
        validators=[
            FileAllowed(
                ["md", "zip", "xlsx", "docx"],
                _l("只能上传 .md、.xlsx、.docx 或 .zip 文件"),
            )
        ],
        render_kw={"accept": ".md,.zip,.xlsx,.docx"},
    )
    kind = SelectField(
        _l("单个 .md 文件是"),
        choices=[
            SelectChoice("lessons", _l("课程")),
            SelectChoice("quizzes", _l("题库或测验")),
        ],
        default="quizzes",
    )
    bank = StringField(
        _l("题库 id（Excel、Word 题库用）"),
        validators=[Optional(), Length(max=100)],
        render_kw={"placeholder": "dangshi", "autocapitalize": "off"},
    )
    title = StringField(
        _l("题库标题（可不填）"), validators=[Optional(), Length(max=300)]
    )
    lesson = StringField(
        _l("默认课程 id（可不填）"), validators=[Optional(), Length(max=100)]
    )


class PublishForm(FlaskForm):
    token = HiddenField(validators=[DataRequired()])


class StatusForm(FlaskForm):
    """Withdraw or restore one item (the CSRF token is all it carries)."""


class CloseForm(FlaskForm):
    """Close an occurrence now (the CSRF token is all it carries)."""


class ExtendForm(FlaskForm):
    closes_at = DateTimeLocalField(
        _l("新的截止时间（北京时间）"),
        format="%Y-%m-%dT%H:%M",
        validators=[DataRequired(_l("请填写新的截止时间"))],
    )
