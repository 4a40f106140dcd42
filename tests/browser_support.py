"""Browser fixtures: the app served on 127.0.0.1 and Debian's headless Chromium.

Playwright drives /usr/bin/chromium through ``executable_path``; no browser is
downloaded (there is no internet here). Tests using these fixtures are marked
``browser`` and skipped when Chromium is not installed.
"""

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(reason="Chromium is not installed (make browser)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def live_server(app):
    """The test app served by a werkzeug server in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def _browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
        yield browser
        browser.close()


def _page(browser, **kw):
    context = browser.new_context(locale="nl-NL", **kw)
    page = context.new_page()
    page.set_default_timeout(10000)
    return context, page


@pytest.fixture
def page(_browser):
    context, page = _page(_browser, viewport={"width": 1280, "height": 900})
    yield page
    context.close()


@pytest.fixture
def phone_page(_browser):
    context, page = _page(_browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    yield page
    context.close()


def browser_login(page, base, role, password=None):
    """Log in through the login form as a demo role (or an email address)."""
    from portal.demo import demo_password

    email = (
        role
        if "@" in role
        else (f"{role}@asg.demo" if role in ("bestuur", "beheerder") else f"{role}@klaverweide.demo")
    )
    page.goto(f"{base}/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password or demo_password())
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()


def axe_violations(page):
    """Run axe-core (bundled, offline) on the page; return the violations as dicts."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return results.response["violations"]


def describe(violations):
    return "\n".join(f"{v['id']}: {v['help']} -> {[n['target'] for n in v['nodes']][:3]}" for v in violations)
