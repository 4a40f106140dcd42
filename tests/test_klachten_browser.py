"""Plugin klachten in headless Chromium at a phone-sized viewport: a parent submits a
complaint, the contactpersoon handles and closes it, the parent sees the result.
axe-core scans the public form, the receipt and the follow-up pages."""

import pytest
from playwright.sync_api import expect

from portal.dates import today as dutch_today

from .browser_support import axe_violations
from .browser_support import browser_login
from .browser_support import describe

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def app_config(app_config):
    return {**app_config, "PORTAL_PLUGINS": ("klachten",)}


def assert_accessible(page):
    violations = axe_violations(page)
    assert not violations, describe(violations)


def step_form(page, name):
    return page.locator(f"form[action$='/stap/{name}']")


def test_parent_and_contactpersoon_on_a_phone(phone_page, _browser, live_server):
    base, parent = live_server, phone_page
    today = dutch_today().isoformat()

    # The parent fills in the public form on a phone.
    parent.goto(f"{base}/klaverweide/klachten/indienen")
    expect(parent.get_by_role("heading", name="Een klacht indienen")).to_be_visible()
    assert_accessible(parent)
    # Nothing sticks out sideways on a narrow screen.
    assert parent.evaluate("document.documentElement.scrollWidth") <= 390
    parent.get_by_label("Pesten").check()
    parent.get_by_label("Naam van de leerling").fill("Zoë (fictief)")
    parent.get_by_label("Groep", exact=True).fill("4")
    parent.get_by_label("Wat is er gebeurd?").fill("Mijn zoon wordt in de pauze geduwd.")
    parent.get_by_label("Ik heb er al met de leerkracht over gesproken").check()
    parent.get_by_label("Wat hoopt u dat er gebeurt?").fill("Betere pleinwacht.")
    parent.get_by_role("button", name="Klacht versturen").click()
    expect(parent.get_by_role("heading", name="Uw klacht is ontvangen")).to_be_visible()
    reference = parent.locator("#referentie").inner_text().strip()
    code = parent.locator("#code").inner_text().strip()
    assert reference.startswith("KL-") and len(code.replace(" ", "")) == 24
    assert code.replace(" ", "") not in parent.url
    assert_accessible(parent)

    # The contactpersoon, on her own phone, takes it, records a conversation,
    # writes to the parent and closes it with a letter.
    context = _browser.new_context(locale="nl-NL", **PHONE)
    staff = context.new_page()
    staff.set_default_timeout(10000)
    browser_login(staff, base, "contactpersoon")
    staff.goto(f"{base}/klaverweide/zaken/{reference}")
    expect(staff.get_by_text("Mijn zoon wordt in de pauze geduwd.")).to_be_visible()

    staff.locator("summary", has_text="In behandeling nemen").click()
    form = step_form(staff, "klachten.in_behandeling")
    form.get_by_label("Datum van het eerste contact").fill(today)
    form.get_by_label("Telefonisch").check()
    form.get_by_role("button").click()
    expect(staff.get_by_text("Status is nu: In behandeling.")).to_be_visible()

    staff.locator("summary", has_text="Gesprek vastleggen").click()
    form = step_form(staff, "klachten.gesprek")
    form.get_by_label("De betrokken medewerker (vaak de leerkracht)").check()
    form.get_by_label("Datum van het gesprek").fill(today)
    form.get_by_label("Uitkomst van het gesprek").fill("De leerkracht let extra op in de pauze.")
    form.get_by_role("button").click()
    expect(staff.get_by_text("Status is nu: Bemiddeling.")).to_be_visible()

    staff.get_by_label("Notitie of bericht").fill("Wij hebben met de leerkracht gesproken.")
    staff.get_by_label("Zichtbaar voor de indiener").check()
    staff.get_by_role("button", name="Plaatsen").click()
    expect(staff.get_by_text("Bericht aan de indiener geplaatst.")).to_be_visible()

    staff.locator("summary", has_text="Afronden").click()
    form = step_form(staff, "klachten.afronden")
    form.get_by_label("Opgelost").check()
    form.get_by_label("Samenvatting bij het afsluiten").fill("Afspraken over de pauze gemaakt.")
    form.get_by_role("button").click()
    expect(staff.get_by_text("Status is nu: Afgerond.")).to_be_visible()
    staff.get_by_role("button", name="Maak: Afsluitbrief").click()
    expect(staff.get_by_text("Afsluitbrief (versie 1) is gemaakt.")).to_be_visible()
    context.close()

    # The parent follows up with reference and code.
    parent.goto(f"{base}/klaverweide/klachten/volgen")
    assert_accessible(parent)
    parent.get_by_label("Referentie").fill(reference)
    parent.get_by_label("Code").fill(code)
    parent.get_by_role("button", name="Bekijken").click()
    assert parent.locator("#status").inner_text() == "Afgerond"
    expect(parent.get_by_text("Wij hebben met de leerkracht gesproken.")).to_be_visible()
    expect(parent.get_by_role("button", name="Afsluitbrief")).to_be_visible()
    assert code.replace(" ", "") not in parent.url
    assert_accessible(parent)

    # A wrong code: the generic answer, also accessible.
    parent.goto(f"{base}/klaverweide/klachten/volgen")
    parent.get_by_label("Referentie").fill(reference)
    parent.get_by_label("Code").fill("AAAA BBBB CCCC DDDD EEEE FFFF")
    parent.get_by_role("button", name="Bekijken").click()
    expect(parent.get_by_text("Deze combinatie van referentie en code kennen wij niet.")).to_be_visible()
    assert_accessible(parent)


def test_status_page_with_add_form_is_accessible(phone_page, live_server):
    parent, base = phone_page, live_server
    parent.goto(f"{base}/klaverweide/klachten/indienen")
    parent.get_by_label("Anders").check()
    parent.get_by_role("button", name="Klacht versturen").click()
    # Errors next to the field, typed choice kept, and still no axe violations.
    expect(parent.get_by_text("Beschrijf wat er is gebeurd.")).to_be_visible()
    assert parent.get_by_label("Anders").is_checked()
    assert_accessible(parent)
    parent.get_by_label("Wat is er gebeurd?").fill("De ouderavond was niet aangekondigd.")
    parent.get_by_role("button", name="Klacht versturen").click()
    reference = parent.locator("#referentie").inner_text().strip()
    code = parent.locator("#code").inner_text().strip()
    parent.get_by_role("link", name="Naar de volgpagina").click()
    parent.get_by_label("Referentie").fill(reference)
    parent.get_by_label("Code").fill(code)
    parent.get_by_role("button", name="Bekijken").click()
    expect(parent.get_by_role("heading", name="Informatie toevoegen")).to_be_visible()
    assert_accessible(parent)
    parent.get_by_label("Aanvulling of reactie").fill("Het was op dinsdag.")
    parent.get_by_role("button", name="Toevoegen").click()
    expect(parent.get_by_text("Uw aanvulling is toegevoegd")).to_be_visible()
    expect(parent.get_by_text("Het was op dinsdag.")).to_be_visible()
    with parent.expect_download() as info:
        parent.get_by_role("button", name="Ontvangstbewijs downloaden (PDF)").click()
    assert info.value.suggested_filename == f"ontvangstbewijs-{reference}.pdf"
