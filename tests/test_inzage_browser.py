"""AVG inzage in headless Chromium, as the directie of the demo school: from a pupil's
chronology to a request, a refused form, the decision, the preview and the export; every
page scanned with axe, and on a phone nothing scrolls sideways."""

import re

import pytest
from playwright.sync_api import expect

from portal.cases import engine
from portal.models import Case
from portal.models import Pupil
from portal.pupils import link

from .browser_support import axe_violations
from .browser_support import browser_login
from .browser_support import describe
from .core_helpers import actor
from .core_helpers import db_ctx
from .core_helpers import make_case
from .core_helpers import school

pytestmark = pytest.mark.browser


def clean(page):
    violations = axe_violations(page)
    assert not violations, describe(violations)


def no_sideways_scroll(page):
    # Measured once the page that a click led to is there: after a click the old document
    # can be replaced while the measurement runs (no document element for a moment).
    page.wait_for_load_state("load")
    page.wait_for_function("document.documentElement !== null && document.readyState === 'complete'")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


@pytest.fixture
def child(app):
    """A demo pupil with a case that has a message for the parents and a letter."""
    with db_ctx(app):
        pupil = Pupil.get(Pupil.las_number == "100126")
        case = make_case("Ruzie op het plein")
        link(case, pupil, actor("directie"))
        fresh = Case.get_by_id(case.id)
        fresh.school = school()
        engine.add_note(
            fresh, actor("directie"), "Wij hebben met de groep gesproken.", visible_to_submitter=True
        )
        return pupil.id, pupil.first_name


def test_directie_answers_a_request_for_inzage(page, live_server, child):
    pupil_id, first_name = child
    base = f"{live_server}/klaverweide"
    browser_login(page, live_server, "directie")
    page.goto(f"{base}/leerlingen/{pupil_id}")
    page.get_by_role("link", name=f"Inzageverzoeken (AVG) over {first_name}").click()
    clean(page)

    page.get_by_label("Naam van de aanvrager").fill("")
    page.get_by_role("button", name="Verzoek vastleggen").click()
    expect(page.get_by_role("alert")).to_be_visible()
    clean(page)
    page.get_by_label("Naam van de aanvrager").fill("Anna Vos")
    page.get_by_label("Relatie tot de leerling").select_option("ouder")
    page.get_by_role("button", name="Verzoek vastleggen").click()
    expect(page.get_by_text("Het verzoek is vastgelegd.")).to_be_visible()
    clean(page)

    page.get_by_label("Inzage gedeeltelijk gegeven").check()
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_role("link", name=re.compile("Redenen"))).to_be_visible()  # in the error summary
    clean(page)
    page.get_by_label("Inzage volledig gegeven").check()
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_text("Het besluit is vastgelegd.")).to_be_visible()

    page.get_by_role("link", name="Voorbeeld van de export bekijken").click()
    expect(page.get_by_text("Wij hebben met de groep gesproken.")).to_be_visible()
    clean(page)
    page.get_by_role("button", name=re.compile("Export maken")).click()
    expect(page.get_by_text("De export is gemaakt (versie 1).")).to_be_visible()
    expect(page.get_by_role("link", name="Versie 1 downloaden (ZIP)")).to_be_visible()
    clean(page)

    page.get_by_role("link", name="Inzageverzoeken", exact=True).first.click()
    expect(page.get_by_role("cell", name="Anna Vos")).to_be_visible()
    clean(page)


def test_the_inzage_pages_fit_a_phone(phone_page, live_server, child, app):
    pupil_id, _first = child
    base = f"{live_server}/klaverweide"
    browser_login(phone_page, live_server, "directie")
    phone_page.goto(f"{base}/inzage/leerling/{pupil_id}")
    no_sideways_scroll(phone_page)
    phone_page.get_by_label("Naam van de aanvrager").fill("Anna Vos")
    phone_page.get_by_role("button", name="Verzoek vastleggen").click()
    expect(phone_page.get_by_label("Inzage volledig gegeven")).to_be_visible()  # the request's page
    no_sideways_scroll(phone_page)
    phone_page.get_by_label("Inzage volledig gegeven").check()
    phone_page.get_by_role("button", name="Besluit vastleggen").click()
    phone_page.get_by_role("link", name="Voorbeeld van de export bekijken").click()
    expect(phone_page.get_by_role("button", name=re.compile("Export maken"))).to_be_visible()
    no_sideways_scroll(phone_page)
    clean(phone_page)
    phone_page.get_by_role("button", name=re.compile("Export maken")).click()
    expect(phone_page.get_by_text("De export is gemaakt (versie 1).")).to_be_visible()
    no_sideways_scroll(phone_page)
    phone_page.goto(f"{base}/inzage/")
    no_sideways_scroll(phone_page)
    clean(phone_page)
