"""消息: the inbox, opening a notification, and the bell's unread count.

Each handler calls one action of ``notify.actions`` (the JSON API calls the
same ones), commits if it changed something, and renders.
"""

from __future__ import annotations

from flask import Blueprint, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from studyapp.db import get_session
from studyapp.notify import actions
from studyapp.timeutil import utcnow
from studyapp.web import hx_trigger, is_htmx, render_page

bp = Blueprint("notify", __name__)

#: Fired after a notification is read, so the bell refreshes itself.
CHANGED = "notify-changed"


@bp.get("/inbox")
@login_required
def inbox() -> ResponseReturnValue:
    """My notifications, newest first; unread ones open with one tap."""
    items = actions.inbox(get_session(), current_user, utcnow())
    return render_page("notify/inbox.html", items=items)


@bp.post("/inbox/<int:notification_id>/open")
@login_required
def open_item(notification_id: int) -> ResponseReturnValue:
    """Show one notification and mark it read (the list item, for htmx)."""
    session = get_session()
    item = actions.open_notice(session, current_user, notification_id, utcnow())
    session.commit()
    if not is_htmx():
        return redirect(url_for("notify.inbox"))
    return hx_trigger(render_page("notify/_item.html", item=item), CHANGED)


@bp.post("/inbox/read")
@login_required
def read_all() -> ResponseReturnValue:
    """Mark everything read."""
    session = get_session()
    actions.read_all(session, current_user, utcnow())
    session.commit()
    return redirect(url_for("notify.inbox"))


@bp.get("/inbox/bell")
@login_required
def bell() -> ResponseReturnValue:
    """The bell with my unread count (htmx loads it after the page)."""
    if not is_htmx():
        return redirect(url_for("notify.inbox"))
    count = actions.unread(get_session(), current_user, utcnow())
    return render_page("notify/_bell.html", unread=count.unread)
