"""The branch group-robot form (secretaries)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, StringField
from wtforms.validators import Length, Optional


class RobotForm(FlaskForm):
    #: Empty removes the robot.
    webhook_url = StringField(
        _l("群机器人 Webhook 地址"), validators=[Optional(), Length(max=500)]
    )
    webhook_kind = SelectField(
        _l("机器人类型"),
        choices=[
            SelectChoice("wecom", _l("企业微信")),
            SelectChoice("dingtalk", _l("钉钉")),
        ],
        default="wecom",
    )
    webhook_show_names = BooleanField(
        _l("在群消息里列出已完成学习的同志（不列未完成的）")
    )
