"""Typed inputs and results of the members' content actions (学习)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)


class LessonQuery(Model):
    """Filters of the lesson list: any part of the title or text, a series, a tag."""

    q: str | None = Field(None, max_length=50)
    series: str | None = Field(None, max_length=100)
    tag: str | None = Field(None, max_length=100)
    page: int = Field(1, ge=1, le=10_000)


class LessonBrief(Model):
    id: str
    title: str
    series: str | None
    tags: list[str]
    minutes: int
    revision: int
    published_at: datetime


class LessonPage(Model):
    """学习: one page of lessons (newest first; title matches first when searching)."""

    lessons: list[LessonBrief]
    page: int
    has_more: bool
    query: LessonQuery
    #: Every series and tag of the visible lessons, for the filter chips.
    all_series: list[str]
    all_tags: list[str]


class LessonOut(LessonBrief):
    """One lesson with its sanitised HTML (rendered at publish time)."""

    html: str
