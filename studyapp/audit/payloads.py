"""Typed inputs and results of reading the audit trail (管理 › 操作记录)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)


class AuditQuery(Model):
    """Filters of the audit log; every one given must match."""

    #: A verb (``content.publish``) or its domain (``content``).
    action: str | None = Field(None, max_length=64)
    #: The acting person's username.
    actor: str | None = Field(None, max_length=64)
    #: Any part of the target (``user:1380``, ``lesson:sanhui``).
    target: str | None = Field(None, max_length=200)
    #: From and to these Asia/Shanghai days, both included.
    since: date | None = None
    until: date | None = None
    page: int = Field(1, ge=1, le=10_000)


class AuditActor(Model):
    username: str
    name: str


class AuditEntry(Model):
    id: int
    at: datetime
    action: str
    target: str
    #: None: the command line or a scheduled job.
    actor: AuditActor | None
    detail: dict[str, Any]
    #: The target by name (a person's, a unit's, a lesson's title) where known.
    target_name: str | None = None
    #: The address the change came from (None: command line or job).
    address: str | None = None


class AuditPage(Model):
    """Newest first. A global admin sees everyone's actions; another admin
    their own (``everyone`` False)."""

    entries: list[AuditEntry]
    page: int
    has_more: bool
    everyone: bool
    query: AuditQuery
