"""The incident registration on a phone (390 px) in headless Chromium: a teacher registers
an incident in a few taps, the refused form first, every page scanned with axe; the
directie sees the registration, and a staff accident's Arbeidsinspectie warning."""

import re

import pytest
from playwright.sync_api import expect

from .browser_support import axe_violations
from .browser_support import browser_login
from .browser_support import describe

pytestmark = pytest.mark.browser


def scanned(page):
    violations = axe_violations(page)
    assert not violations, f"{page.url}\n{describe(violations)}"
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_a_teacher_registers_an_incident_on_a_phone(phone_page, live_server):
    page = phone_page
    browser_login(page, live_server, "leerkracht")
    page.goto(f"{live_server}/klaverweide/incidenten/melden")
    scanned(page)
    # The date is filled in with today; without where and what the form is refused.
    page.get_by_role("button", name="Incident registreren").click()
    expect(page.get_by_text("Kies waar het gebeurde.").first).to_be_visible()
    expect(page.get_by_text("Beschrijf kort wat er gebeurde.").first).to_be_visible()
    scanned(page)
    page.get_by_label("Schoolplein").check()
    page.get_by_label("Grove pesterij").check()
    page.get_by_label("Wat is er gebeurd?").fill("Uitgescholden en geduwd bij het hek.")
    page.get_by_role("group", name=re.compile("Wie waren erbij betrokken")).get_by_label("Leerling").check()
    page.get_by_role("group", name=re.compile("Zijn de ouders geïnformeerd")).get_by_label("Nog niet").check()
    page.get_by_role("button", name="Incident registreren").click()
    expect(page.get_by_text(re.compile(r"Het incident is geregistreerd als INC-\d{4}-\d{4}"))).to_be_visible()
    scanned(page)
    reference = re.search(r"INC-\d{4}-\d{4}", page.content()).group(0)
    page.get_by_role("button", name="Menu").click()  # on a phone the menu, Uitloggen too, is folded
    page.get_by_role("button", name="Uitloggen").click()

    browser_login(page, live_server, "directie")
    page.goto(f"{live_server}/klaverweide/zaken/{reference}")
    expect(page.get_by_text("Grove pesterij").first).to_be_visible()
    scanned(page)
