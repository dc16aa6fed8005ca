"""The ``then`` step of the reminders job: post queued group-robot messages.

An edge step, so it owns its transactions: claim (pending → sending) and
commit, post over HTTP with no transaction open (a slow robot never holds
SQLite's write lock), then record each outcome and commit. Posts run in a small
thread pool, each bounded by WEBHOOK_TIMEOUT_SECONDS × WEBHOOK_ATTEMPTS plus the
backoff; a robot that times out or answers 500 fails only its own branch.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from studyapp.notify import group_messages, webhook
from studyapp.notify.group_messages import Outgoing
from studyapp.timeutil import utcnow

log = logging.getLogger("studyapp.jobs")

#: Robots posted to at once.
WORKERS = 4


def deliver_pending(session: Session, now: datetime) -> dict[str, Any]:
    """Post every pending group message of today; {"webhooks": {code: outcome}}.

    Messages from earlier days are expired, not sent late. Commits.
    """
    cfg = current_app.config
    expired = group_messages.expire_stale(session, now)
    claimed = group_messages.claim_pending(session, list(cfg["WEBHOOK_HOSTS"] or []))
    session.commit()
    outcomes: dict[str, str] = {}
    if claimed:
        with ThreadPoolExecutor(min(WORKERS, len(claimed))) as pool:
            results = list(pool.map(lambda m: _post(m, cfg), claimed))
        for message, delivery in zip(claimed, results, strict=True):
            group_messages.record_outcome(
                session,
                message.id,
                ok=delivery.ok,
                tries=delivery.tries,
                error=delivery.error,
                now=utcnow(),
            )
            outcomes[message.unit_code] = delivery.describe()
        session.commit()
    result: dict[str, Any] = {"webhooks": outcomes}
    if expired:
        result["webhooks_expired"] = expired
    return result


def _post(message: Outgoing, cfg: Any) -> webhook.Delivery:
    delivery = webhook.post(
        message.url,
        message.kind,
        message.text,
        timeout=float(cfg["WEBHOOK_TIMEOUT_SECONDS"]),
        attempts=int(cfg["WEBHOOK_ATTEMPTS"]),
        backoff=float(cfg["WEBHOOK_BACKOFF_SECONDS"]),
    )
    log.info("group robot of %s: %s", message.unit_code, delivery.describe())
    return delivery
