"""Forms of the 支部 pages: excuse a member's day, mark a member exempt."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, StringField
from wtforms.validators import DataRequired, Length, Optional


class ExcuseForm(FlaskForm):
    day = DateField(_l("日期"), validators=[DataRequired(_l("请选择日期"))])
    reason = StringField(
        _l("原因（如病假、出差）"),
        validators=[DataRequired(_l("请写明原因")), Length(max=200)],
    )


class ExemptForm(FlaskForm):
    #: Empty clears the exemption.
    reason = StringField(
        _l("免于统计的原因（如流动党员、年老体弱）"),
        validators=[Optional(), Length(max=200)],
    )
