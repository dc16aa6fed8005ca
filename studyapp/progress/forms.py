"""Forms of the progress pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional


class BookForm(FlaskForm):
    title = StringField(
        _l("书名"), validators=[DataRequired(_l("请填写书名")), Length(max=200)]
    )
    author = StringField(_l("作者（可不填）"), validators=[Optional(), Length(max=100)])


class BookProgressForm(FlaskForm):
    progress = IntegerField(
        _l("阅读进度（0–100）"),
        validators=[NumberRange(0, 100, _l("进度应在 0 到 100 之间"))],
        render_kw={"inputmode": "numeric", "min": 0, "max": 100},
    )
    note = TextAreaField(
        _l("读书心得（可不填）"), validators=[Optional(), Length(max=2000)]
    )
