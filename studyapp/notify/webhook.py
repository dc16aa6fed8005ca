"""Post a text to a group robot (企业微信 or 钉钉) over HTTP. No database here.

Both robots take ``{"msgtype": "text", "text": {"content": …}}`` and answer
``{"errcode": 0, …}`` on success (HTTP 200 with a non-zero ``errcode`` is a
refusal: bad key, keyword missing, rate limit). Timeouts, connection errors,
HTTP 5xx and 429 are retried with doubling backoff, a bounded number of times;
other refusals are not retried. Redirects are not followed. Errors never carry
the URL (its key is a secret).
"""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from studyapp.errors import ValidationFailed

KINDS = {"wecom": "企业微信", "dingtalk": "钉钉"}


@dataclass(frozen=True)
class Delivery:
    """The outcome of posting one message."""

    ok: bool
    tries: int
    status: int | None = None
    error: str | None = None

    def describe(self) -> str:
        if self.ok:
            return "sent" if self.tries == 1 else f"sent after {self.tries} tries"
        return f"failed after {self.tries} tries: {self.error}"


def check_url(url: str, hosts: Iterable[str] = ()) -> str:
    """The URL stripped, if it is http(s) with a host (in ``hosts`` when given).

    Only URLs every parser reads the same way pass: no backslash (a browser
    reads ``http://127.0.0.1\\@qyapi.weixin.qq.com/`` as host 127.0.0.1, Python
    as qyapi.weixin.qq.com), no user name or password before the host, no
    whitespace, control or non-ASCII character, a valid port. Raises
    ValidationFailed (field ``webhook_url``) otherwise.
    """
    url = url.strip()
    if len(url) > 500:
        raise ValidationFailed("机器人地址太长", field="webhook_url")
    if _ambiguous(url):
        raise ValidationFailed(
            "机器人地址含有不允许的字符（反斜杠、空格、@ 或中文等），"
            "请从群机器人设置里原样复制",
            field="webhook_url",
        )
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationFailed(
            "机器人地址必须以 http:// 或 https:// 开头", field="webhook_url"
        )
    allowed = [h.lower() for h in hosts]
    if allowed and parts.hostname.lower() not in allowed:
        raise ValidationFailed(
            "机器人地址只能是：" + "、".join(allowed), field="webhook_url"
        )
    return url


def _ambiguous(url: str) -> bool:
    """Characters or parts that parsers disagree on (WHATWG URL vs Python)."""
    if not url.isascii() or any(c.isspace() or ord(c) < 0x20 or ord(c) == 0x7F
                                or c == "\\" for c in url):  # fmt: skip
        return True
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018  (raises on a port that is not a number)
    except ValueError:
        return True
    return "@" in parts.netloc


def payload(kind: str, text: str) -> dict[str, Any]:
    """The JSON body for the robot ``kind`` (both robots share the text shape)."""
    if kind not in KINDS:
        raise ValueError(f"unknown robot kind {kind!r}")
    return {"msgtype": "text", "text": {"content": text}}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def post(
    url: str,
    kind: str,
    text: str,
    *,
    timeout: float = 5,
    attempts: int = 3,
    backoff: float = 2,
    sleep: Callable[[float], None] = time.sleep,
) -> Delivery:
    """Post ``text`` to the robot at ``url``: at most ``attempts`` tries, waiting
    ``backoff``, 2×``backoff``… between them; each try times out after
    ``timeout`` seconds. Never raises for network or HTTP trouble."""
    body = json.dumps(payload(kind, text), ensure_ascii=False).encode("utf-8")
    tries, status, error = 0, None, None
    for tries in range(1, max(attempts, 1) + 1):
        ok, retry, status, error = _post_once(url, body, timeout)
        if ok:
            return Delivery(True, tries, status)
        if not retry or tries >= attempts:
            break
        sleep(backoff * 2 ** (tries - 1))
    return Delivery(False, tries, status, error)


def _post_once(
    url: str, body: bytes, timeout: float
) -> tuple[bool, bool, int | None, str | None]:
    """(ok, worth retrying, HTTP status, error) of one POST."""
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    try:
        with _OPENER.open(request, timeout=timeout) as resp:
            status, raw = resp.status, resp.read(65536)
    except urllib.error.HTTPError as exc:
        exc.close()
        return False, exc.code >= 500 or exc.code == 429, exc.code, f"HTTP {exc.code}"
    except (OSError, http.client.HTTPException) as exc:  # timeouts, resets…
        reason = getattr(exc, "reason", exc)
        return False, True, None, f"{type(reason).__name__}: {reason}"[:200]
    if status >= 300:
        return False, False, status, f"HTTP {status}"
    ok, error = _answer(raw)
    return ok, False, status, error


def _answer(raw: bytes) -> tuple[bool, str | None]:
    """(ok, error) from the robot's JSON answer; a non-JSON 2xx counts as ok."""
    try:
        data = json.loads(raw.decode("utf-8") or "{}")
    except (UnicodeDecodeError, json.JSONDecodeError):
        return True, None
    code = data.get("errcode", 0) if isinstance(data, dict) else 0
    if code in (0, "0", None):
        return True, None
    return False, f"errcode {code}: {str(data.get('errmsg', ''))[:150]}"
