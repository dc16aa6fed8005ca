"""The deployment's settings that domain code reads, carried on every Session.

The app factory builds them once from the app config
(:func:`studyapp.settings.session_info`, the one place where config enters the
domains) and puts them on ``Session.info``; jobs, actions and
services read them with :func:`deployment`, never from ``current_app``.
Nothing here imports a domain, so any domain may import it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

INFO_KEY = "studyapp.deployment"


@dataclass(frozen=True)
class Deployment:
    """What the deployment decided, as typed values (defaults as in config.py)."""

    #: Tell a lesson's audience in-app when a scheduled lesson goes live.
    notify_new_lessons: bool = True
    #: Hosts a branch's group-robot URL may point at (empty: any http(s) host).
    webhook_hosts: tuple[str, ...] = ("qyapi.weixin.qq.com", "oapi.dingtalk.com")

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Deployment:
        """The settings from a Flask config mapping (missing keys: defaults)."""
        default = cls()
        hosts = config.get("WEBHOOK_HOSTS", default.webhook_hosts)
        return cls(
            notify_new_lessons=bool(
                config.get("NOTIFY_NEW_LESSONS", default.notify_new_lessons)
            ),
            webhook_hosts=tuple(str(h) for h in hosts or ()),
        )


def deployment(session: Session) -> Deployment:
    """The deployment's settings, via the Session (built-in defaults for a
    Session made outside an app, e.g. a bare sessionmaker in a benchmark)."""
    found = session.info.get(INFO_KEY)
    return found if found is not None else Deployment()
