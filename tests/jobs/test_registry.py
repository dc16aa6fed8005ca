"""The job table: every job importable, schedules that mean what they say."""

from __future__ import annotations

import inspect
from datetime import UTC, datetime

import pytest

from studyapp.config import DEFAULTS
from studyapp.jobs.registry import JOBS, find_job, load_jobs, resolve
from studyapp.jobs.triggers import Cron, latest_fire, next_fire, occurrence_key


@pytest.mark.parametrize("job", JOBS, ids=lambda j: j.id)
def test_every_job_is_an_importable_session_now_function(job):
    for path in filter(None, (job.func, job.then)):
        func = resolve(path)
        assert callable(func)
        assert list(inspect.signature(func).parameters)[:2] == ["session", "now"]
    assert job.schedule.trigger(DEFAULTS) is not None
    assert job.title


def test_job_ids_are_unique_and_found():
    ids = [j.id for j in JOBS]
    assert len(ids) == len(set(ids))
    assert find_job(JOBS, "reminders").then
    assert find_job(JOBS, "nope") is None
    assert load_jobs(DEFAULTS) == JOBS


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        (Cron(minute="*/5"), "每 5 分钟"),
        (Cron(minute="5", hour="0"), "每天 00:05"),
        (Cron(minute="0", hour="8", day_of_week="mon"), "每周一 08:00"),
        (Cron(minute="0"), "每小时第 0 分"),
        (Cron(second="*/2"), "每 2 秒"),
        (Cron(), "每分钟"),
    ],
)
def test_schedules_read_in_words(rule, words):
    assert rule.words({}) == words


def test_the_reminder_runs_hourly_and_its_default_hour_is_a_setting():
    """Units choose their own reminder hour (管理 › 设置), so the job runs every
    hour at REMINDER_AT's minute; REMINDER_AT is the default hour."""
    rule = find_job(JOBS, "reminders").schedule
    tail = "，各组织可在 管理 › 设置 中改）"
    assert rule.words({"REMINDER_AT": "20:00"}) == "每小时第 0 分（默认 20:00" + tail
    assert rule.words({"REMINDER_AT": "7:30"}) == "每小时第 30 分（默认 07:30" + tail
    assert rule.trigger({"REMINDER_AT": ""}) is not None  # a unit may still set one
    assert rule.words({"REMINDER_AT": ""}) == "每小时第 0 分（默认不提醒" + tail
    assert rule.words({"REMINDER_AT": 21}) == "每小时第 0 分（默认 21:00" + tail
    with pytest.raises(ValueError, match="REMINDER_AT must be HH:MM"):
        rule.trigger({"REMINDER_AT": "25:00"})


def test_firings_are_shanghai_times_and_keys_are_shanghai_minutes():
    trigger = Cron(minute="0", hour="20").trigger({})
    now = datetime(2026, 11, 22, 13, 30, tzinfo=UTC)  # 21:30 in Shanghai
    fire = latest_fire(trigger, now)
    assert fire == datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    assert occurrence_key(fire) == "2026-11-22T20:00"
    assert next_fire(trigger, fire) == datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    assert latest_fire(trigger, fire) == fire  # a firing is its own occurrence


def test_a_weekly_firing_is_found_days_back_and_seconds_show_only_if_any():
    trigger = Cron(minute="0", hour="8", day_of_week="mon").trigger({})
    now = datetime(2026, 11, 22, 4, 0, tzinfo=UTC)  # Sunday noon in Shanghai
    assert occurrence_key(latest_fire(trigger, now)) == "2026-11-16T08:00"
    seconds = Cron(second="*/2").trigger({})
    assert occurrence_key(latest_fire(seconds, now)) == "2026-11-22T12:00"
    odd = datetime(2026, 11, 22, 4, 7, 3, tzinfo=UTC)
    assert occurrence_key(latest_fire(seconds, odd)) == "2026-11-22T12:07:02"
