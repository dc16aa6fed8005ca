"""Read a question's response from a posted form (one question per screen)."""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import MultiDict


def response_from_form(qtype: str, form: MultiDict[str, str]) -> Any:
    """The raw response for ``qtype``: key, list of keys, "true"/"false", blanks."""
    if qtype == "multiple":
        return form.getlist("response")
    if qtype == "fill":
        return form.getlist("blank")
    return form.get("response")
