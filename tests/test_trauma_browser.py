"""Plugin trauma in headless Chromium: the whole "no" branch as users click through it."""

import re

import pytest
from playwright.sync_api import expect

from .browser_support import axe_violations
from .browser_support import browser_login
from .browser_support import describe

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config(app_config):
    # Only this plugin: others are built in parallel (see tests/test_trauma.py).
    return {**app_config, "PORTAL_PLUGINS": ("trauma",)}


def step_form(page, name):
    return page.locator(f"form[action$='/stap/{name}']")


def test_teacher_reports_assessment_no_partner_letter_and_close(page, live_server):
    base = live_server
    browser_login(page, base, "leerkracht")
    page.get_by_role("link", name="Trauma melden").click()
    expect(page.get_by_role("heading", name="Traumatische gebeurtenis melden")).to_be_visible()
    assert not axe_violations(page), describe(axe_violations(page))

    # Stap 1: the report.
    page.get_by_label("Ernstig ongeval").check()
    page.get_by_label("Een groep").check()
    page.get_by_label("Groep(en)").fill("groep 6a")
    page.get_by_label("Van wie kwam de melding?").fill("De vader van een leerling")
    page.get_by_label("Wat weten we?").fill("Een leerling is aangereden op weg naar school.")
    page.get_by_role("button", name="Melding opslaan").click()
    # The plugin's own confirmation (Start.saved), with the reference.
    assert page.get_by_text(
        re.compile(
            r"De melding is opgeslagen als TR-\d{4}-\d{4}\. De "
            r"directie en de intern begeleider hebben bericht "
            r"gekregen\."
        )
    ).is_visible()
    expect(page.get_by_text("Gemeld, eerste inschatting nodig")).to_be_visible()
    assert not axe_violations(page), describe(axe_violations(page))

    # Stap 2: "Kan de school dit zelf aan?" No: choose a partner of the school's list (the
    # core's), with date and agreement.
    page.locator("summary", has_text="Eerste inschatting: nee").click()
    form = step_form(page, "trauma.nee")
    form.get_by_label("Slachtofferhulp (demo)").check()
    form.get_by_label("Datum van het contact").fill("2026-03-02")
    form.get_by_label("Wat is er afgesproken?").fill("Gesprek met de groep op donderdag.")
    form.get_by_label("Besproken met de intern begeleider en de directie").check()
    form.get_by_role("button").click()
    expect(page.get_by_text("Status is nu: Aanpak met externe hulp.")).to_be_visible()
    expect(page.get_by_text("Slachtofferhulp (demo), 2 maart 2026")).to_be_visible()

    # The step plan: tick the steps that must be done before closing.
    for label in (
        "Directie informeren",
        "Contact opnemen met de familie",
        "Team informeren",
        "Nazorg: gesprek na één week",
        "Nazorg: gesprek na zes weken",
        "Nazorg: gesprek na drie maanden",
    ):
        # The button's name is "Afvinken" plus the step, read out for screen readers.
        page.get_by_role("button", name=re.compile(rf"^Afvinken\s*:\s*{re.escape(label)}$")).click()
        expect(page.get_by_text(f"Afgevinkt: {label}").first).to_be_visible()

    # The parents' letter, with the text the school agreed with the family.
    page.get_by_role("link", name="Tekst voor de ouders aanpassen").click()
    page.get_by_label("Wat mogen de ouders van de groep weten?").fill(
        "Een leerling uit groep 6a is aangereden en ligt in het ziekenhuis."
    )
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_role("button", name="Maak: Informatiebrief aan de ouders van de groep").click()
    letter = page.get_by_role("link", name="Informatiebrief aan de ouders van de groep (versie 1)")
    expect(letter).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Informatiebrief aan de ouders van de groep (versie 1)").click()
    assert download.value.suggested_filename.endswith(".pdf")
    case_url = page.url

    # Closing with the evaluation is for the IB (or the directie).
    page.get_by_role("button", name="Uitloggen").click()
    browser_login(page, base, "ib")
    page.goto(case_url)
    page.locator("summary", has_text="Afsluiten met evaluatie").click()
    form = step_form(page, "trauma.sluit")
    form.get_by_label("Evaluatie: wat ging goed?").fill("Snel contact met Slachtofferhulp.")
    form.get_by_label("Evaluatie: wat kan beter?").fill("De ouderbrief eerder klaar hebben.")
    form.get_by_role("button").click()
    expect(page.get_by_text("Status is nu: Afgesloten.")).to_be_visible()
    expect(page.get_by_text("De ouderbrief eerder klaar hebben.").first).to_be_visible()


def test_axe_on_plan_partners_and_report_pages(page, live_server):
    browser_login(page, live_server, "directie")
    # The old address of the partners leads to the core's list.
    for path in (
        "/klaverweide/trauma/stappenplan",
        "/klaverweide/trauma/partners",
        "/klaverweide/trauma/melden",
    ):
        page.goto(live_server + path)
        if path.endswith("/partners"):
            assert page.url == live_server + "/klaverweide/partners/"
        violations = axe_violations(page)
        assert not violations, f"{path}:\n{describe(violations)}"
