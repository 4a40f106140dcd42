"""Plugin organisatie in headless Chromium: every page scanned by axe, on a desktop and on a
phone (390 px wide, never scrolling sideways), and a drill from plan to evaluation as the
directie clicks through it."""

import re

import pytest
from playwright.sync_api import expect

from plugins.organisatie.models import Assignment
from plugins.organisatie.models import Person
from portal import api
from portal.testing import db_session

from .browser_support import axe_violations
from .browser_support import browser_login
from .browser_support import describe

pytestmark = pytest.mark.browser

ORG = "/klaverweide/organisatie"


@pytest.fixture
def app_config(app_config):
    # Only this plugin: others are built in parallel (see tests/test_organisatie.py).
    return {**app_config, "PORTAL_PLUGINS": ("organisatie",)}


def long_names(app):
    """Long names and addresses, so that a phone layout that can only just cope shows it."""
    with db_session(app):
        Person.update(
            name="Anne-Marije van Oldenbarnevelt-Smit",
            email="vertrouwenspersoon.almere-haven@vertrouwenspersonen-flevoland.demo",
        ).where(Person.name == "Anouk Meijer").execute()
        pid = Person.get(Person.name == "Kees Brouwer").id
        ref = (
            api.Case.select()
            .where(api.Case.case_type == "organisatie.evaluatie")
            .order_by(api.Case.id)
            .first()
        ).reference
        drill = (
            api.Case.select()
            .where(api.Case.case_type == "organisatie.ontruiming")
            .order_by(api.Case.id)
            .first()
        ).reference
    return pid, ref, drill


def pages(pid, ref, drill):
    return [
        "/klaverweide/",
        f"{ORG}/",
        f"{ORG}/rollen",
        f"{ORG}/persoon/{pid}",
        f"{ORG}/scholing",
        f"{ORG}/acties",
        f"{ORG}/evaluatie/plannen",
        f"{ORG}/ontruiming/plannen",
        f"/klaverweide/zaken/{ref}",
        f"/klaverweide/zaken/{drill}",
        "/klaverweide/jaarcijfers/",
    ]


def fits_and_passes_axe(page, url):
    if page.viewport_size["width"] <= 390:
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, url
    violations = axe_violations(page)
    assert not violations, f"{url}:\n{describe(violations)}"


def test_every_page_is_accessible_on_a_desktop_and_a_phone(page, phone_page, live_server, app):
    pid, ref, drill = long_names(app)
    for browser in (page, phone_page):
        browser_login(browser, live_server, "directie")
        for path in pages(pid, ref, drill):
            browser.goto(live_server + path)
            assert browser.locator("h1").count() == 1, path
            fits_and_passes_axe(browser, path)
        # A refused form: the summary gets the focus; the page still fits and passes.
        browser.goto(live_server + f"{ORG}/rollen")
        browser.get_by_role("button", name="Rol toekennen").click()
        expect(browser.get_by_role("alert")).to_be_visible()
        fits_and_passes_axe(browser, "rollen (geweigerd)")
        browser.goto(live_server + f"{ORG}/scholing")
        browser.get_by_role("button", name="Cursus vastleggen").click()
        expect(browser.get_by_role("alert")).to_be_visible()
        fits_and_passes_axe(browser, "scholing (geweigerd)")


def test_the_red_panel_and_the_parents_page(phone_page, page, live_server, app):
    long_names(app)
    # The parents' page, without logging in, on a phone.
    phone_page.goto(live_server + f"{ORG}/contactpersonen")
    expect(phone_page.get_by_role("heading", name="Bij wie kunt u terecht?")).to_be_visible()
    call = phone_page.get_by_role("link", name="036 000 2201")
    assert call.get_attribute("href") == "tel:0360002201"
    fits_and_passes_axe(phone_page, "contactpersonen")

    with db_session(app):
        Assignment.delete().where(Assignment.role.in_(("pestcoordinator", "contactpersoon"))).execute()
    phone_page.goto(live_server + f"{ORG}/contactpersonen")
    expect(phone_page.get_by_text("De school heeft dit nog niet ingevuld.").first).to_be_visible()
    fits_and_passes_axe(phone_page, "contactpersonen (leeg)")

    browser_login(page, live_server, "leerkracht")
    alert = page.locator(".panel-alert")
    assert alert.get_by_role(
        "heading", name="Let op: geen pbs-pestcoördinator en geen contactpersoon"
    ).is_visible()
    border = alert.evaluate("el => getComputedStyle(el).borderTopColor")
    assert border == "rgb(164, 22, 26)"  # the portal's error red
    fits_and_passes_axe(page, "dashboard (rood paneel)")


def step(page, label):
    page.locator("summary", has_text=label).first.click()
    return page.locator("details[open] form")


def test_directie_takes_a_drill_from_plan_to_evaluation(page, live_server):
    browser_login(page, live_server, "directie")
    page.get_by_role("link", name="Ontruimingsoefening plannen").first.click()
    day = api.today().isoformat()
    page.get_by_label("Datum van de oefening").fill(day)
    page.get_by_label("Scenario").fill("Brand in de gymzaal")
    page.get_by_label("Onaangekondigd").check()
    page.get_by_role("button", name="Oefening plannen").click()
    assert page.get_by_text(
        re.compile(r"De ontruimingsoefening is gepland als OT-\d{4}-\d{4}\.")
    ).is_visible()

    form = step(page, "Uitvoering vastleggen")
    form.get_by_label("Gehouden op").fill(day)
    form.get_by_label("Tijd tot iedereen buiten was: minuten").fill("3")
    form.get_by_label("en seconden").fill("40")
    form.get_by_label("Ja").check()
    form.get_by_role("button").click()
    expect(page.get_by_text("Status is nu: Uitgevoerd: evalueren.")).to_be_visible()
    expect(page.get_by_text("3 min 40 s").first).to_be_visible()

    form = step(page, "Actie vastleggen")
    form.get_by_label("Actie").fill("Vluchtroute groep 8 aanpassen")
    form.get_by_label("Wie is eigenaar?").fill("Ruben Hoekstra")
    form.get_by_label("Uiterlijk klaar op").fill(day)
    form.get_by_role("button").click()
    expect(page.get_by_text("Vluchtroute groep 8 aanpassen").first).to_be_visible()

    form = step(page, "Evaluatie vastleggen")
    form.get_by_label("Evaluatie: wat ging goed, wat kan beter?").fill("Vlot verlopen.")
    form.get_by_label("Het ontruimingsplan is bijgesteld").check()
    form.get_by_role("button").click()
    # The step stays open with the fields to put right, each with its message.
    expect(page.get_by_text("Vul de versie van het bijgestelde plan in.", exact=True)).to_be_visible()
    assert page.get_by_text(
        "Vul in wanneer de medewerkers over het bijgestelde plan zijn geïnformeerd.", exact=True
    ).is_visible()
    fits_and_passes_axe(page, "evaluatie (geweigerd)")
    form = page.locator("details[open] form")
    form.get_by_label("Versie van het bijgestelde ontruimingsplan").fill("2026-3")
    form.get_by_label("Datum van het bijgestelde ontruimingsplan").fill(day)
    form.get_by_label("Medewerkers geïnformeerd op").fill(day)
    form.get_by_role("button").click()
    expect(page.get_by_text("Status is nu: Geëvalueerd.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"ja: versie 2026-3 van"))).to_be_visible()
    fits_and_passes_axe(page, "oefening geëvalueerd")
