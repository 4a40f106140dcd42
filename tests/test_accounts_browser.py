"""Accounts, schools and single sign-on in a real browser: a forgotten password reset
through the mailed link, a sign-in through the test OpenID provider, and an axe scan of
every new page at desktop and phone width (no page wider than the phone)."""

import pytest
from playwright.sync_api import expect

from portal import sso
from portal.models import SsoConfig
from portal.secretbox import seal

from .browser_support import _page
from .browser_support import axe_violations
from .browser_support import browser_login
from .browser_support import describe
from .core_helpers import db_ctx
from .core_helpers import password_link
from .oidc_provider import OidcProvider

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def clean(page, where, width=True):
    """axe finds nothing; ``width``: and the page is no wider than the window (the older
    beheer pages with their wide tables wait for the phone layout of their own)."""
    violations = axe_violations(page)
    assert not violations, f"{where}:\n{describe(violations)}"
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert not width or wide <= page.viewport_size["width"], f"{where}: {wide} px wide"


def test_a_forgotten_password_is_reset_through_the_mailed_link(page, live_server, app):
    app.config["PORTAL_URL"] = live_server
    page.goto(f"{live_server}/login")
    page.get_by_role("link", name="Wachtwoord vergeten?").click()
    clean(page, "wachtwoord vergeten")
    page.get_by_label("E-mailadres").fill("ib@klaverweide.demo")
    page.get_by_role("button", name="Link sturen").click()
    expect(page.get_by_role("heading", name="Kijk in uw mailbox")).to_be_visible()
    page.goto(live_server + password_link(app, "ib@klaverweide.demo"))
    assert page.url == f"{live_server}/wachtwoord/instellen"
    clean(page, "wachtwoord instellen")
    page.get_by_label("Nieuw wachtwoord").fill("een nieuwe lange zin voor het portaal")
    page.get_by_label("Herhaal het wachtwoord").fill("iets anders dan dat")
    page.get_by_role("button", name="Wachtwoord opslaan").click()
    expect(page.get_by_text("De twee wachtwoorden zijn niet gelijk.").first).to_be_visible()
    clean(page, "wachtwoord instellen, met een fout")
    page.get_by_label("Nieuw wachtwoord").fill("een nieuwe lange zin voor het portaal")
    page.get_by_label("Herhaal het wachtwoord").fill("een nieuwe lange zin voor het portaal")
    page.get_by_role("button", name="Wachtwoord opslaan").click()
    assert page.url.endswith("/klaverweide/")
    expect(page.get_by_text("Uw wachtwoord is ingesteld; u bent ingelogd.")).to_be_visible()


def test_staff_sign_in_through_the_test_provider(page, live_server, app):
    sso.forget_provider()
    provider = OidcProvider().start()
    try:
        app.config["PORTAL_URL"] = live_server  # the provider sends the browser back here
        provider.claims = {"email": "directie@klaverweide.demo"}
        with db_ctx(app):
            SsoConfig.create(
                enabled=True,
                issuer=provider.issuer,
                client_id=provider.client_id,
                client_secret=seal(provider.client_secret, "sso"),
                domains="klaverweide.demo",
                button_label="Inloggen met de testprovider",
            )
        page.goto(f"{live_server}/login")
        clean(page, "inloggen met de knop")
        page.get_by_role("link", name="Inloggen met de testprovider").click()
        page.wait_for_url(f"{live_server}/klaverweide/")
        expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
        # A refusal, as the user sees it.
        page.context.clear_cookies()
        provider.claims = {"email": "onbekend@klaverweide.demo"}
        page.goto(f"{live_server}/login")
        page.get_by_role("link", name="Inloggen met de testprovider").click()
        expect(page.get_by_text(sso.UNKNOWN)).to_be_visible()
        clean(page, "inloggen geweigerd")
    finally:
        provider.stop()
        sso.forget_provider()


# (page, checked for its width too): the beheer page's user table is wide already.
BEHEER_PAGES = [
    ("/beheer/", True),
    ("/beheer/scholen/nieuw", True),
    ("/beheer/scholen/klaverweide", True),
    ("/beheer/inloggen", True),
    ("/de-linde/beheer/", False),
    ("/klaverweide/beheer/school", True),
]


def test_axe_on_the_beheer_pages_at_desktop_and_phone_width(_browser, live_server, app, runner):
    assert runner.invoke(args=["school", "add", "de-linde", "De Linde"]).exit_code == 0
    for where, options in (("desktop", {"viewport": {"width": 1280, "height": 900}}), ("telefoon", PHONE)):
        context, page = _page(_browser, **options)
        try:
            browser_login(page, live_server, "beheerder")
            for path, width in BEHEER_PAGES:
                page.goto(live_server + path)
                clean(page, f"{path} ({where})", width)
            # A new school with errors: the error summary and the fields marked.
            page.goto(f"{live_server}/beheer/scholen/nieuw")
            page.get_by_label("Adres in het portaal").fill("Fout!")
            page.get_by_label("Postcode").fill("12345")
            page.get_by_role("button", name="School aanmaken").click()
            expect(page.get_by_text("Vul een postcode in van vier cijfers").first).to_be_visible()
            clean(page, f"nieuwe school met fouten ({where})")
            page.goto(f"{live_server}/klaverweide/beheer/")
            page.get_by_role("link", name="Marieke Postma").click()
            clean(page, f"gebruiker ({where})", width=False)
        finally:
            context.close()


def test_axe_on_the_login_pages_at_phone_width(_browser, live_server):
    context, page = _page(_browser, **PHONE)
    try:
        for path in ("/login", "/wachtwoord-vergeten", "/wachtwoord/instellen"):
            page.goto(live_server + path)
            clean(page, f"{path} (telefoon)")
    finally:
        context.close()
