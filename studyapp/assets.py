"""Speed on slow phones: content-hashed static URLs, long-lived caching, gzip.

- ``url_for('static', filename=…)`` gets ``?v=<hash of the file>``: a phone
  keeps the file a year without asking again (``immutable``), and a changed
  file gets a new URL. A request without the current hash is revalidated.
- Text responses (HTML, CSS, JS, JSON, SVG) over 512 bytes are gzipped when the
  browser accepts it; static files are compressed once per process and kept.
"""

from __future__ import annotations

import gzip
import hashlib
import os
from pathlib import Path

from flask import Flask, Response, current_app, request, url_for
from werkzeug.security import safe_join

#: Long-lived caching for a static file asked for by its current hash.
IMMUTABLE = "public, max-age=31536000, immutable"
COMPRESSIBLE = {
    "text/html", "text/css", "text/javascript", "application/javascript",
    "application/json", "image/svg+xml", "application/manifest+json", "text/plain",
    "text/csv",
}  # fmt: skip
MIN_SIZE = 512

_hashes: dict[tuple[str, float], str] = {}
_gzipped: dict[tuple[str, str], bytes] = {}


def init_app(app: Flask) -> None:
    """Hash static URLs; compress and cache responses (registered first, so
    it runs after every other ``after_request``)."""
    app.url_defaults(_hash_static)
    app.after_request(_cache_and_compress)


#: What the service worker keeps on the phone from its first visit.
SHELL_FILES = (
    "css/app.css", "vendor/htmx-2.0.11.min.js", "js/app.js", "js/reader.js",
    "icons/favicon.png", "icons/apple-touch-icon.png", "icons/icon-192.png",
    "manifest.webmanifest",
)  # fmt: skip


def shell() -> tuple[list[str], str]:
    """The shell's hashed URLs and a version that changes when any of them does."""
    urls = [url_for("static", filename=f) for f in SHELL_FILES]
    return urls, hashlib.sha256("|".join(urls).encode()).hexdigest()[:10]


def asset_hash(filename: str) -> str | None:
    """The first 10 hex digits of the file's SHA-256, or None if it is missing."""
    joined = safe_join(current_app.static_folder or "", filename)
    if joined is None:  # never hash a file outside the static folder
        return None
    path = Path(joined)
    try:
        key = (str(path), os.stat(path).st_mtime)
        if key not in _hashes:
            _hashes[key] = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
    except OSError:  # missing, or a folder
        return None
    return _hashes[key]


def _hash_static(endpoint: str, values: dict[str, object]) -> None:
    if endpoint == "static" and "v" not in values and "filename" in values:
        found = asset_hash(str(values["filename"]))
        if found:
            values["v"] = found


def _cache_and_compress(resp: Response) -> Response:
    if request.endpoint == "static" and resp.status_code in (200, 304):
        filename = (request.view_args or {}).get("filename", "")
        fresh = request.args.get("v") and request.args["v"] == asset_hash(filename)
        resp.headers["Cache-Control"] = IMMUTABLE if fresh else "no-cache"
    return _gzip(resp)


def _gzip(resp: Response) -> Response:
    if (
        resp.status_code != 200
        or resp.mimetype not in COMPRESSIBLE
        or "Content-Encoding" in resp.headers
        or resp.is_streamed and not resp.direct_passthrough
        or "gzip" not in request.headers.get("Accept-Encoding", "").lower()
    ):
        return resp
    static_key = None
    if request.endpoint == "static":
        static_key = (request.path, resp.get_etag()[0] or "")
    body = _gzipped.get(static_key) if static_key else None
    if body is None:
        passthrough = resp.direct_passthrough
        raw = b"".join(resp.iter_encoded()) if passthrough else resp.get_data()
        if len(raw) < MIN_SIZE:
            _replace_body(resp, raw)
            return resp
        body = gzip.compress(raw, compresslevel=6, mtime=0)
        if static_key:
            _gzipped[static_key] = body
    _replace_body(resp, body)
    resp.headers["Content-Encoding"] = "gzip"
    resp.vary.add("Accept-Encoding")
    etag, weak = resp.get_etag()
    if etag:
        resp.set_etag(etag + "-gz", weak)
    return resp


def _replace_body(resp: Response, body: bytes) -> None:
    """Send ``body`` instead, closing the file a static response was streaming."""
    if resp.direct_passthrough and hasattr(resp.response, "close"):
        resp.response.close()
    resp.direct_passthrough = False
    resp.set_data(body)
