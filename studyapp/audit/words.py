"""The audit trail in plain words: one sentence per action code.

Every code given to ``audit.models.record`` must have a sentence here (a test
reads the code for them). The sentences are message ids: the audit page
translates them, then fills in ``%(who)s`` (the person acting), ``%(target)s``
(what was acted on, by name) and the detail's values. ``_l`` only marks them
for the translation catalogue; this module imports nothing of the web.
"""

from __future__ import annotations


def _l(text: str) -> str:
    return text


#: action code → sentence.
WORDS: dict[str, str] = {
    "auth.password": _l("%(who)s 修改了自己的密码"),
    "user.create": _l("%(who)s 添加了党员 %(target)s"),
    "user.reset_password": _l("%(who)s 重置了 %(target)s 的密码"),
    "member.excuse": _l("%(who)s 为 %(target)s 免除了 %(day)s 的统计（%(reason)s）"),
    "member.excuse_withdrawn": _l("%(who)s 撤销了 %(target)s %(day)s 的免除"),
    "member.exempt": _l("%(who)s 将 %(target)s 设为免于统计（%(to)s）"),
    "member.exempt_cleared": _l("%(who)s 取消了 %(target)s 的免于统计"),
    "org.import": _l(
        "%(who)s 导入了组织和党员（%(target)s）：组织新增 %(units_created)s、"
        "更新 %(units_updated)s，党员新增 %(users_created)s、更新 %(users_updated)s"
    ),
    "unit.member_ranking": _l("%(who)s 将 %(target)s 的支部内排行设为 %(on)s"),
    "unit.webhook": _l("%(who)s 设置了 %(target)s 的群机器人"),
    "unit.settings": _l("%(who)s 修改了 %(target)s 的设置：%(changes)s"),
    "content.publish": _l("%(who)s 发布了学习内容"),
    "content.withdraw": _l("%(who)s 撤下了 %(target)s"),
    "content.restore": _l("%(who)s 恢复了 %(target)s"),
    "content.visible": _l("定时发布的 %(target)s 已上线"),
}

#: An action code nobody wrote words for (never expected: a test checks).
UNKNOWN = _l("%(who)s 执行了操作 %(action)s")
