"""The core in a real browser: log in as directie, see the dashboard; axe finds nothing."""

import pytest
from playwright.sync_api import expect

from .browser_support import axe_violations
from .browser_support import browser_login
from .browser_support import describe

pytestmark = pytest.mark.browser


def test_directie_logs_in_and_sees_dashboard(page, live_server):
    browser_login(page, live_server, "directie")
    assert page.url.endswith("/klaverweide/")
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(page.get_by_role("link", name="Zaken", exact=True)).to_be_visible()
    page.get_by_role("link", name="Zaken", exact=True).click()
    expect(page.get_by_role("heading", name="Zaken")).to_be_visible()


def test_wrong_password_shows_dutch_message(page, live_server):
    browser_login(page, live_server, "directie", password="helemaal-verkeerd-123")
    expect(page.get_by_text("Onbekend e-mailadres of onjuist wachtwoord.", exact=True)).to_be_visible()


def test_axe_login_page(page, live_server):
    page.goto(f"{live_server}/login")
    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_axe_dashboard_and_case_list(page, live_server):
    browser_login(page, live_server, "directie")
    for path in ("/klaverweide/", "/klaverweide/zaken/"):
        page.goto(live_server + path)
        violations = axe_violations(page)
        assert not violations, f"{path}:\n{describe(violations)}"


def test_logout_by_button(page, live_server):
    browser_login(page, live_server, "directie")
    page.get_by_role("button", name="Uitloggen").click()
    page.get_by_text("U bent uitgelogd.").wait_for()  # the login page after the redirect
    expect(page.get_by_text("U bent uitgelogd.")).to_be_visible()
    page.goto(f"{live_server}/klaverweide/")
    assert "/login" in page.url
