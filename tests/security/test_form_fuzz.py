"""Every form and write, fed generated data, never answers 5xx or leaks a traceback.

The writes (POST, PUT, PATCH, DELETE) come from the URL map, as in the route
matrix, so a new form is fuzzed the day it is added. Each is posted by the role
that may use it and by a member, with Hypothesis-made fields: the field names
of the forms that point at it (read from every page each role can open) plus
junk names; huge, unicode, NUL, negative, overflowing and wrongly typed
values; files of any bytes; a valid, a wrong or no CSRF token; with and
without ``HX-Request``. API routes get the same data as a JSON body.
"""

from __future__ import annotations

import io
import os
import re
from collections import defaultdict
from html.parser import HTMLParser
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import csrf_from, login
from tests.security import test_route_matrix as matrix
from tests.security.test_route_matrix import LAST, World, area, routes, url_for_rule

#: The route matrix's world: branch A with its people, a lesson, an attempt.
world = matrix.world

#: Who posts each area's forms (besides a member, who posts them all).
OWNER = {"public": "anonymous", "member": "am1", "secretary": "sec_a",
         "admin": "admin_root"}  # fmt: skip
#: Writes that would end the login the loop is using, or every login.
SKIP = {"auth.logout", "api_meta.revoke_token"}
#: Examples per route; ``make fuzz`` runs more (STUDYAPP_FUZZ_EXAMPLES).
EXAMPLES = int(os.environ.get("STUDYAPP_FUZZ_EXAMPLES", 6))
LEAKS = re.compile(
    r"Traceback|File \"|\b(?:[A-Z]\w*(?:Error|Exception)|KeyError|StopIteration)\b"
)
#: Words our own pages may show that look like exception names.
HARMLESS = {"ContentError"}

WEIRD = st.sampled_from([
    "", " ", "0", "-1", "1.5", "1e309", "NaN", "-0", "99999999999999999999",
    "-99999999999999999999", "9" * 400, "true", "null", "[]", "{}", "\x00",
    "a\x00b", "\u202e\u200b", "😀" * 40, "2026-02-30", "2026-13-01T25:61",
    "../../etc/passwd", "<script>alert(1)</script>", "' OR 1=1 --", "%s%n",
    "\r\nSet-Cookie: x=1", "http://127.0.0.1\\@qyapi.weixin.qq.com/",
])  # fmt: skip
VALUE = st.one_of(
    WEIRD,
    st.text(max_size=20),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(min_size=1, max_size=3).map(lambda s: s * 30_000),
)
JUNK_NAMES = st.sampled_from(["id", "user_id", "branch", "role", "next", "csrf",
                              "file", "json", "__proto__", "a[]", ""])  # fmt: skip
FILE_NAMES = st.sampled_from(["a.csv", "a.xlsx", "a.docx", "a.zip", "a.md", "a",
                              "../a.csv", "课程.md", "a.xlsx.exe"])  # fmt: skip
FILE = st.tuples(st.binary(max_size=2000), FILE_NAMES)
CSRF = st.sampled_from(["valid", "missing", "wrong"])


class _Forms(HTMLParser):
    """action URL → {field name: (default value, is a file)} of a page's forms."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: dict[str, dict[str, tuple[str, bool]]] = defaultdict(dict)
        self.action: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        target = a.get("action") or a.get("hx-post") or a.get("hx-put")
        if tag == "form" or (target and tag != "form"):
            self.action = (target or "").split("?")[0] or self.action
        named = tag in ("input", "select", "textarea", "button") and a.get("name")
        if named and self.action:
            is_file = a.get("type") == "file"
            self.fields[self.action][a["name"]] = (a.get("value", ""), is_file)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.action = None


def page_forms(client: FlaskClient, app: Flask, world: World) -> dict[str, dict]:  # type: ignore[type-arg]
    found: dict[str, dict] = defaultdict(dict)  # type: ignore[type-arg]
    for _endpoint, method, rule in routes(app):
        if method != "GET" or rule.startswith(("/api/", "/static")):
            continue
        resp = client.get(url_for_rule(rule, world))
        if resp.status_code == 200 and "html" in resp.content_type:
            parser = _Forms()
            parser.feed(resp.get_data(as_text=True))
            for action, fields in parser.fields.items():
                found[action].update(fields)
        resp.close()
    return found


def leaks(body: str) -> list[str]:
    return [m for m in LEAKS.findall(body) if m not in HARMLESS] + [
        m.group(0) for m in re.finditer(r"Traceback|File \"", body)
    ]


def fuzz_route(
    client: FlaskClient,
    url: str,
    method: str,
    fields: dict,
    token: str,  # type: ignore[type-arg]
) -> None:
    names = sorted(n for n, (_v, is_file) in fields.items() if not is_file)
    files = sorted(n for n, (_v, is_file) in fields.items() if is_file)
    name = st.sampled_from(names) | JUNK_NAMES if names else JUNK_NAMES
    data = st.dictionaries(name, VALUE | st.lists(VALUE, max_size=3), max_size=6)
    uploads = (
        st.dictionaries(st.sampled_from(files), FILE, max_size=2)
        if files
        else st.just({})
    )

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(data=data, keep=st.booleans(), uploads=uploads, csrf=CSRF,
           htmx=st.booleans())  # fmt: skip
    def post(data: dict, keep: bool, uploads: dict, csrf: str, htmx: bool) -> None:  # type: ignore[type-arg]
        body: dict[str, Any] = (
            {n: v for n, (v, is_file) in fields.items() if not is_file} if keep else {}
        )
        body.update(data)
        headers = {"HX-Request": "true"} if htmx else {}
        if csrf != "missing":
            body["csrf_token"] = token if csrf == "valid" else "x" * len(token)
            headers["X-CSRFToken"] = body["csrf_token"]
        if url.startswith("/api/"):
            resp = client.open(url, method=method, headers=headers, json=body)
        else:
            for field_name, (content, file_name) in uploads.items():
                body[field_name] = (io.BytesIO(content), file_name)
            resp = client.open(url, method=method, headers=headers, data=body)
        text = resp.get_data(as_text=True)
        resp.close()
        assert resp.status_code < 500, (method, url, body.keys(), text[-500:])
        assert leaks(text) == [], (method, url, leaks(text))

    post()


@pytest.mark.slow
@pytest.mark.parametrize("role", ["anonymous", "am1", "sec_a", "admin_root"])
def test_every_write_answers_generated_data_without_a_5xx_or_a_traceback(
    app, world, role
):
    client = app.test_client()
    if role != "anonymous":
        assert login(client, role).status_code == 302
    token = csrf_from(client.get("/login" if role == "anonymous" else "/me").text)
    forms = page_forms(client, app, world)
    writes = [
        (endpoint, method, rule)
        for endpoint, method, rule in routes(app)
        if method not in ("GET", "HEAD", "OPTIONS") and endpoint not in SKIP
        and (role == "am1" or OWNER[area(endpoint)] == role)
    ]  # fmt: skip
    assert len(writes) >= (60 if role == "am1" else 3)
    posted_fields = 0
    for endpoint, method, rule in writes:
        url = url_for_rule(rule, world)
        fields = forms.get(url, {})
        posted_fields += bool(fields)
        fuzz_route(client, url, method, fields, token)
        if endpoint in LAST:  # it may have ended the login: start again
            client = app.test_client()
            if role != "anonymous":
                login(client, role)
    assert posted_fields >= 1
