"""End-to-end fixtures: a real ASGI server and Debian's chromium.

The server is uvicorn running `cop.asgi.application` in a thread of the test
process, on the test database, so HTTP and websockets behave as in
production and `mail.outbox` holds what it sent. Chromium is Debian's
(/usr/bin/chromium): browsers cannot be downloaded here, so
`playwright install` is never used. Without chromium these tests skip with
the reason locally and fail in CI.
"""

import os
import shutil
import socket
import threading
import time

import pytest

from tests.conftest import require_service

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def live_url(transactional_db):
    """Base URL of a running ASGI server (HTTP and websockets) on the test DB.

    Data must be committed for the server's threads to see it, so these tests
    are transactional; the tables are emptied after each, so the site's pages
    and groups are put back first.
    """
    import uvicorn

    from cop.asgi import application
    from home.site_setup import ensure_site

    ensure_site()

    port = _free_port()
    config = uvicorn.Config(
        application,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="off",
        ws="websockets-sansio",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("The test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def chromium_path():
    path = shutil.which("chromium") or (
        "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None
    )
    require_service("Debian chromium (apt-get install chromium)", path)
    return path


@pytest.fixture
def browser(chromium_path, monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls
    # the tests make between browser steps are ordinary synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # Per test, not per session: Playwright's sync API keeps an event loop
    # running in this thread while it is open, which async tests cannot share.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def new_browser_page(browser):
    """A factory for extra pages with their own cookies (a second person)."""
    contexts = []

    def make():
        context = browser.new_context(viewport={"width": 1100, "height": 900})
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
