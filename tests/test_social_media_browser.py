"""social_media in headless Chromium: a teacher asks for a YouTube video for group 6 today,
the directie approves it, the teacher sees it allowed, and the public feed lists youtube.com.
"""

import json
import urllib.request

import pytest
from playwright.sync_api import expect

from portal.dates import today

from .browser_support import axe_violations
from .browser_support import browser_login
from .browser_support import describe

pytestmark = pytest.mark.browser

VIDEO = "https://www.youtube.com/watch?v=watercyclus-groep6"


def feed_domains(base):
    """The feed as a web filter fetches it: anonymously, without cookies."""
    with urllib.request.urlopen(f"{base}/klaverweide/social_media/allowed.json") as r:  # noqa: S310
        assert r.headers["Content-Type"].startswith("application/json")
        return json.load(r)["domains"]


def logout(page):
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_load_state()


def test_request_approve_and_see_it_allowed(page, live_server):
    base = live_server
    assert "youtube.com" not in feed_domains(base)

    # The teacher asks.
    browser_login(page, base, "leerkracht")
    page.get_by_role("link", name="Wat mag ik gebruiken?").first.click()
    expect(page.get_by_role("heading", name="Wat mag ik gebruiken?")).to_be_visible()
    page.get_by_role("link", name="Toestemming vragen voor een andere app of site").click()
    # Sent empty: the core's start page names what is missing, at the top, and moves there.
    page.get_by_role("button", name="Aanvraag versturen").click()
    page.wait_for_load_state()
    expect(page.get_by_role("alert")).to_be_focused()
    expect(page.get_by_role("link", name="Webadres: Vul een webadres in")).to_be_visible()
    page.get_by_label("Webadres").fill(VIDEO)
    page.get_by_label("Naam van de app of site (niet verplicht)").fill("YouTube")
    page.get_by_label("Groep 6").check()
    page.get_by_label("Voor welke les of welk doel?").fill("Aardrijkskunde: de watercyclus")
    page.get_by_label("Eenmalig, op één dag").check()
    page.get_by_label("Datum (bij een periode: de eerste dag)").fill(today().isoformat())
    page.get_by_role("button", name="Aanvraag versturen").click()
    page.wait_for_load_state()
    # Back on the request page: told who decides, and the teacher's own list has it waiting.
    expect(page.get_by_text("is naar de directie gestuurd")).to_be_visible()
    expect(page.get_by_role("cell", name="YouTube (youtube.com)")).to_be_visible()
    expect(page.get_by_role("cell", name="wacht op besluit").first).to_be_visible()
    violations = axe_violations(page)
    assert not violations, describe(violations)
    logout(page)
    assert "youtube.com" not in feed_domains(base)

    # The directie approves from its dashboard.
    browser_login(page, base, "directie")
    page.get_by_role("link", name="YouTube, groep 6").click()
    expect(page.get_by_text("youtube.com", exact=True)).to_be_visible()
    violations = axe_violations(page)
    assert not violations, describe(violations)
    page.locator("details.step summary", has_text="Goedkeuren").click()
    page.get_by_label("Toelichting voor de leerkracht (niet verplicht)").fill("Veel plezier.")
    page.get_by_label("Nee, geen van beide").check()
    page.get_by_label("Geen: leerlingen gebruiken de app zonder account of gegevens").check()
    page.get_by_label("Minimumleeftijd volgens de leverancier (0 als er geen is)").fill("13")
    page.locator("form[action$='/stap/social_media.goedkeuren'] button").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Status is nu: Goedgekeurd.")).to_be_visible()
    logout(page)

    # The teacher sees it allowed: on the dashboard and on the classroom page.
    browser_login(page, base, "leerkracht")
    expect(page.get_by_role("link", name="YouTube, groep 6: goedgekeurd, geldt nu")).to_be_visible()
    page.get_by_role("link", name="Wat mag ik gebruiken?").first.click()
    page.get_by_label("Groep", exact=True).select_option("6")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_load_state()
    approved = page.locator(
        "section", has=page.get_by_role("heading", name="Toestemming gegeven voor groep 6")
    )
    expect(approved.get_by_text("youtube.com")).to_be_visible()
    expect(approved.get_by_text("Aardrijkskunde: de watercyclus")).to_be_visible()
    violations = axe_violations(page)
    assert not violations, describe(violations)

    # And the web filter's feed follows.
    assert "youtube.com" in feed_domains(base)
