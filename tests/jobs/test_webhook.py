"""Posting to a group robot: bounded retries, what counts as a failure, URLs."""

from __future__ import annotations

import pytest

from studyapp.errors import ValidationFailed
from studyapp.notify import webhook


def post(url, **kw):  # type: ignore[no-untyped-def]
    kw = {"timeout": 0.5, "attempts": 3, "backoff": 0.01, **kw}
    return webhook.post(url, "wecom", "今天已有 1/2 名同志完成学习", **kw)


def test_a_robot_that_answers_500_is_tried_three_times(robot_factory):
    robot = robot_factory("500")
    delivery = post(robot.url)
    assert (delivery.ok, delivery.tries, delivery.status) == (False, 3, 500)
    assert len(robot.bodies) == 3


def test_a_robot_that_times_out_is_tried_three_times(robot_factory):
    robot = robot_factory("hang")
    robot.hang_seconds = 2
    delivery = post(robot.url)
    assert (delivery.ok, delivery.tries) == (False, 3)
    assert "timed out" in delivery.error
    assert len(robot.bodies) == 3


def test_the_wait_between_tries_doubles(robot_factory):
    waits: list[float] = []
    post(robot_factory("500").url, backoff=2, sleep=waits.append)
    assert waits == [2, 4]


def test_a_refusal_is_not_retried_and_a_success_is_sent_once(robot_factory):
    refused = post(robot_factory("refuse").url)
    assert (refused.ok, refused.tries) == (False, 1)
    assert refused.error.startswith("errcode 93000")
    ok = robot_factory("ok")
    assert post(ok.url).ok and len(ok.bodies) == 1
    assert ok.bodies[0] == {
        "msgtype": "text",
        "text": {"content": "今天已有 1/2 名同志完成学习"},
    }


def test_nobody_listening_fails_without_raising():
    delivery = post("http://127.0.0.1:9/nothing", attempts=2)
    assert (delivery.ok, delivery.tries) == (False, 2)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://qyapi.weixin.qq.com/x",
        "javascript:alert(1)",
        "https://",
        "file:///etc/passwd",
    ],
)
def test_only_http_urls_are_accepted(url):
    with pytest.raises(ValidationFailed):
        webhook.check_url(url)


def test_robot_hosts_can_be_restricted():
    hosts = ["qyapi.weixin.qq.com", "oapi.dingtalk.com"]
    url = "https://oapi.dingtalk.com/robot/send?access_token=t"
    assert webhook.check_url(f"  {url} ", hosts) == url
    with pytest.raises(ValidationFailed):
        webhook.check_url("https://evil.example/robot", hosts)
