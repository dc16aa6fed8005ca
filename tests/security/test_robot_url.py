"""A group-robot URL is accepted only when every parser reads the same host."""

from __future__ import annotations

import pytest

from studyapp.errors import ValidationFailed
from studyapp.notify import webhook

HOSTS = ["qyapi.weixin.qq.com", "oapi.dingtalk.com"]
GOOD = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc-123"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1\\@qyapi.weixin.qq.com/",
        "https://127.0.0.1\\qyapi.weixin.qq.com/",
        "https://qyapi.weixin.qq.com\\@127.0.0.1/",
        "https://evil@qyapi.weixin.qq.com/cgi-bin/webhook/send",
        "https://user:pw@qyapi.weixin.qq.com/",
        "https://qyapi.weixin.qq.com@127.0.0.1/",
        "https://qyapi.weixin.qq.com:99999/",
        "https://qyapi.weixin.qq.com:80x/",
        "https://qyapi.weixin.qq.com/\tx",
        "https://qyapi.weixin.qq.com\n.evil.example/",
        "https://qyapi.weixin.qq.com。evil.example/",
        "https://%71yapi.weixin.qq.com/",
        "https://qyapi.weixin.qq.com.evil.example/",
        "https://127.0.0.1/",
    ],
)
def test_urls_that_parsers_read_differently_are_refused(url):
    with pytest.raises(ValidationFailed) as err:
        webhook.check_url(url, HOSTS)
    assert err.value.field == "webhook_url"


def test_the_robot_url_as_copied_from_the_group_is_accepted():
    assert webhook.check_url(f" {GOOD}\n", HOSTS) == GOOD
    dingtalk = "https://oapi.dingtalk.com/robot/send?access_token=t0k3n"
    assert webhook.check_url(dingtalk, HOSTS) == dingtalk


def test_the_secretary_is_told_why(db, client, login_as):
    from studyapp.auth.roles import Role
    from tests.conftest import csrf_token
    from tests.factories import make_unit, make_user

    with db() as s:
        make_user(s, make_unit(s, "A"), "sec_a", role=Role.SECRETARY)
    login_as("sec_a")
    token = csrf_token(client, "/inbox")
    resp = client.put(
        "/api/v1/units/A/robot",
        json={"url": "http://127.0.0.1\\@qyapi.weixin.qq.com/"},
        headers={"X-CSRFToken": token},
    )
    body = resp.get_json()
    assert resp.status_code == 400 and "反斜杠" in body["error"]["message"]
