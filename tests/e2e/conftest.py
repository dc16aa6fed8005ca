"""Fixtures for end-to-end tests: Debian's chromium driven by Playwright (sync API).

We use the system browser through ``executable_path`` (``scripts/ensure-chromium.sh``
installs it) and never ``playwright install``.

Why the pytest-playwright plugin stays enabled and our fixtures have their own names:
disabling it needs ``-p no:playwright`` on every command line or in pyproject's addopts,
which we do not own. Keeping it costs nothing, and two Sync-API Playwright instances
cannot run at once in one thread, so we build on its session ``playwright`` fixture
instead of starting our own. Our fixtures are ``browser_chromium`` and ``phone``, so
they never shadow the plugin's ``browser``/``context``/``page``. We also point the
plugin's launch arguments at Debian chromium, so a test that uses the plugin's ``page``
works too, instead of failing on a missing downloaded browser.

Fixtures:
    browser_chromium  session  the launched Browser
    phone             function a Page in a new 360x740 zh-CN Asia/Shanghai touch context
    console_errors    function console errors and page errors seen by ``phone``
    artifacts_dir     session  <repo>/test-artifacts/ (created) for screenshots
    live_server       session  base URL of the real app with demo data (http://127.0.0.1:N)
    base_url          session  ``--base-url`` or None (the fixture says why it is here)
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("STUDYAPP_E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # we run as root in CI containers
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "zh-CN",
    "timezone_id": "Asia/Shanghai",
}
E2E_DIR = Path(__file__).resolve().parent
REPO_ROOT = E2E_DIR.parents[1]


def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    """Mark every test under tests/e2e as e2e; skip them when chromium is missing."""
    # This hook sees the whole session's items, not only this directory's.
    skip = None
    if not Path(CHROMIUM).exists():
        skip = pytest.mark.skip(
            reason=f"no browser at {CHROMIUM}: run scripts/ensure-chromium.sh as root"
        )
    for item in items:
        if E2E_DIR in item.path.parents:
            item.add_marker(pytest.mark.e2e)
            if skip is not None:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any], browser_name: str | None
) -> dict[str, Any]:
    """Make pytest-playwright's own ``browser``/``page`` use Debian chromium as well."""
    if browser_name not in (None, "chromium"):
        return browser_type_launch_args
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def base_url(pytestconfig: pytest.Config) -> str | None:
    """``--base-url`` for the plugin's ``page``, or None.

    Without pytest-base-url, pytest-playwright 0.10 falls back to a session fixture
    defined as an instance method, which pytest 9 deprecates: under
    ``filterwarnings = error`` every use of the plugin's ``page`` would then error.
    """
    return pytestconfig.getoption("--base-url", default=None)


@pytest.fixture(scope="session")
def browser_chromium(playwright: Any) -> Iterator[Any]:
    """Debian chromium, headless, shared by the whole session."""
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


@pytest.fixture
def phone(browser_chromium: Any) -> Iterator[Any]:
    """A page on a cheap phone: 360x740 CSS px, 2x, touch, zh-CN, Asia/Shanghai."""
    context = browser_chromium.new_context(**PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def console_errors(phone: Any) -> list[str]:
    """Console errors and uncaught exceptions on ``phone`` (CSP violations too)."""
    errors: list[str] = []
    phone.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    phone.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """``test-artifacts/`` at the repo root, for screenshots worth keeping."""
    path = REPO_ROOT / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the real app with the demo org and users on 127.0.0.1; yield its base URL.

    A thread running werkzeug's server, not pytest-flask's multiprocessing live_server
    (pickling problems, see PITFALLS). TESTING is off: errors render as users see them.
    """
    from werkzeug.serving import make_server

    import studyapp

    tmp = tmp_path_factory.mktemp("e2e")
    app = studyapp.create_app(
        {
            "TESTING": False,
            "ENV": "development",  # plain http on 127.0.0.1: cookies without Secure
            "DATABASE_URL": f"sqlite:///{tmp}/e2e.db",
            "SECRET_KEY": "e2e",
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        from studyapp.demo import load_demo

        load_demo(app, history_days=7)

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(
        target=server.serve_forever, name="e2e-server", daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
