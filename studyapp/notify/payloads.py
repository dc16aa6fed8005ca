"""Typed inputs and results of the notify actions: the inbox, nudges, robots."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)


class Notice(Model):
    """One of my notifications (消息)."""

    id: int
    #: nudge | reminder | digest | new_lesson
    kind: str
    title: str
    #: The text; None until the notice is opened (opening marks it read).
    body: str | None
    created_at: datetime
    read_at: datetime | None


class Unread(Model):
    unread: int


class ReadAll(Model):
    #: How many notices this marked read.
    marked: int


class RobotSettings(Model):
    """A branch's group robot (企业微信 or 钉钉); ``url`` None: no robot.

    The URL carries the robot's key: only the branch's secretaries see it.
    """

    code: str
    name: str
    url: str | None
    kind: Literal["wecom", "dingtalk"]
    #: The daily message names the members who met the goal (never the others).
    show_names: bool


class RobotIn(Model):
    #: Empty or null removes the robot.
    url: str | None = Field(None, max_length=500)
    kind: Literal["wecom", "dingtalk"] = "wecom"
    show_names: bool = False
