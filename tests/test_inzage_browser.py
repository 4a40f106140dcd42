"""AVG inzage in headless Chromium, as the directie of the demo school: from a pupil's
chronology to a request, a refused form, the decision, the preview and the export; every
page scanned with axe, and on a phone nothing scrolls sideways."""

import re

import pytest

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
    assert page.get_by_role("alert").is_visible()
    clean(page)
    page.get_by_label("Naam van de aanvrager").fill("Anna Vos")
    page.get_by_label("Relatie tot de leerling").select_option("ouder")
    page.get_by_role("button", name="Verzoek vastleggen").click()
    assert page.get_by_text("Het verzoek is vastgelegd.").is_visible()
    clean(page)

    page.get_by_label("Inzage gedeeltelijk gegeven").check()
    page.get_by_role("button", name="Besluit vastleggen").click()
    assert page.get_by_role("link", name=re.compile("Redenen")).is_visible()  # in the error summary
    clean(page)
    page.get_by_label("Inzage volledig gegeven").check()
    page.get_by_role("button", name="Besluit vastleggen").click()
    assert page.get_by_text("Het besluit is vastgelegd.").is_visible()

    page.get_by_role("link", name="Voorbeeld van de export bekijken").click()
    assert page.get_by_text("Wij hebben met de groep gesproken.").is_visible()
    clean(page)
    page.get_by_role("button", name=re.compile("Export maken")).click()
    assert page.get_by_text("De export is gemaakt (versie 1).").is_visible()
    assert page.get_by_role("link", name="Versie 1 downloaden (ZIP)").is_visible()
    clean(page)

    page.get_by_role("link", name="Inzageverzoeken", exact=True).first.click()
    assert page.get_by_role("cell", name="Anna Vos").is_visible()
    clean(page)


def test_the_inzage_pages_fit_a_phone(phone_page, live_server, child, app):
    pupil_id, _first = child
    base = f"{live_server}/klaverweide"
    browser_login(phone_page, live_server, "directie")
    phone_page.goto(f"{base}/inzage/leerling/{pupil_id}")
    no_sideways_scroll(phone_page)
    phone_page.get_by_label("Naam van de aanvrager").fill("Anna Vos")
    phone_page.get_by_role("button", name="Verzoek vastleggen").click()
    no_sideways_scroll(phone_page)
    phone_page.get_by_label("Inzage volledig gegeven").check()
    phone_page.get_by_role("button", name="Besluit vastleggen").click()
    phone_page.get_by_role("link", name="Voorbeeld van de export bekijken").click()
    no_sideways_scroll(phone_page)
    clean(phone_page)
    phone_page.get_by_role("button", name=re.compile("Export maken")).click()
    assert phone_page.get_by_text("De export is gemaakt (versie 1).").is_visible()
    no_sideways_scroll(phone_page)
    phone_page.goto(f"{base}/inzage/")
    no_sideways_scroll(phone_page)
    clean(phone_page)
