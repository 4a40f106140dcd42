"""The whole suspension route in headless Chromium, as the directie of the demo school:
register an incident, start the suspension case from its page, consult the board, hear
pupil and parents, decide on three school days (two-step confirmation, no JavaScript), make
both letters, evaluate, tick the checklist and close."""

import re

import pytest
from playwright.sync_api import expect

from .browser_support import axe_violations
from .browser_support import browser_login
from .browser_support import describe
from .test_schorsing import the_day  # noqa: F401 - today is Wednesday 11 March 2026

pytestmark = pytest.mark.browser


def open_step(page, label):
    page.locator("summary", has_text=label).click()


def test_directie_takes_incident_through_suspension_to_closure(page, live_server):
    browser_login(page, live_server, "directie")
    # The incident goes into the register first (the one place to report one) ...
    page.get_by_role("link", name="Incident melden", exact=True).click()
    page.get_by_label("Wanneer gebeurde het?").fill("2026-03-09")
    page.get_by_label("Schoolplein").check()
    page.get_by_label("Wapenbezit").check()
    page.get_by_label("Wat is er gebeurd?").fill("Een leerling had een mes bij zich op het plein.")
    page.get_by_role("group", name=re.compile("Wie waren erbij betrokken")).get_by_label("Leerling").check()
    page.get_by_role("group", name=re.compile("Zijn de ouders geïnformeerd")).get_by_label("Nog niet").check()
    page.get_by_label("Welke maatregel is genomen?").fill("Mes ingenomen, ouders gebeld.")
    page.get_by_role("button", name="Incident registreren").click()
    reference = re.search(r"Het incident is geregistreerd als (INC-\d{4}-\d{4})", page.content()).group(1)
    # ... and the directie starts the suspension from the incident's page.
    page.goto(f"{live_server}/klaverweide/zaken/{reference}")
    page.get_by_role("link", name="Ernstig incident: schorsing overwegen").click()
    # Filled in from the incident: the plan's category and what happened.
    expect(page.get_by_label("Het meenemen van wapens")).to_be_checked()
    expect(page.get_by_label("Wat is er gebeurd?")).to_have_value(
        "Een leerling had een mes bij zich op het plein."
    )
    assert not axe_violations(page), describe(axe_violations(page))
    # Sent without the pupil: the errors at the top, each a link to its field, and the focus
    # moves there.
    page.get_by_role("button", name="Schorsingszaak starten").click()
    page.wait_for_load_state()
    expect(page.get_by_role("alert")).to_be_focused()
    expect(page.get_by_role("link", name="Leerling: Zoek en kies de leerling.")).to_be_visible()
    # The pupil of the register, chosen with the keyboard from the picker's suggestions.
    picker = page.get_by_label(re.compile(r"^Leerling"))
    picker.fill("Noah Bak")
    page.get_by_role("option", name=re.compile("Noah Bakker, groep 6b")).wait_for()
    picker.press("ArrowDown")
    picker.press("Enter")
    page.get_by_label(re.compile(r"^Groep\b")).fill("6b")
    page.get_by_label("Wat is er gebeurd?").fill("Noah had een mes bij zich op het plein.")
    page.get_by_role("button", name="Schorsingszaak starten").click()
    expect(page.get_by_text(re.compile(r"De schorsingszaak is gestart als SCH-"))).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Noah Bakker"))).to_be_visible()
    expect(page.get_by_role("link", name=reference).first).to_be_visible()  # linked to the incident

    # A step refused by its guard: the reason in the step's error summary, which has the focus.
    open_step(page, "Besluit schorsing")
    page.get_by_label("Eerste schorsingsdag").fill("2026-03-12")
    page.get_by_label("Aantal schooldagen").fill("3")
    page.get_by_label("Reden van de schorsing").fill("Meenemen van een mes.")
    page.get_by_label("Afspraken over schoolwerk tijdens de schorsing").fill("Weektaak per mail.")
    page.get_by_role("button", name="Besluit schorsing").click()
    page.wait_for_load_state()
    expect(page.get_by_role("alert")).to_be_focused()
    expect(page.get_by_role("alert")).to_contain_text("Een schorsing kan pas na overleg met het bestuur.")
    assert not axe_violations(page), describe(axe_violations(page))

    open_step(page, "Overleg met het bestuur")
    page.get_by_label("Datum van het overleg").fill("2026-03-10")
    page.get_by_label("Met wie (naam en functie bij het bestuur)").fill("Ingrid Verbeek")
    page.get_by_label("Uitkomst van het overleg").fill("Schorsing van drie dagen.")
    page.get_by_role("button", name="Overleg met het bestuur").click()
    expect(page.get_by_text("Status is nu: In behandeling.")).to_be_visible()

    open_step(page, "Leerling en ouders gehoord")
    page.get_by_label("Datum van het gesprek").fill("2026-03-11")
    page.get_by_label(re.compile(r"^Samenvatting\b")).fill("Noah en zijn moeder zijn gehoord.")
    page.get_by_role("button", name="Leerling en ouders gehoord").click()
    expect(page.get_by_text("Status is nu: In behandeling.")).to_be_visible()

    open_step(page, "Besluit schorsing")
    page.get_by_label("Eerste schorsingsdag").fill("2026-03-12")
    page.get_by_label("Aantal schooldagen").fill("3")
    page.get_by_label("Reden van de schorsing").fill("Meenemen van een mes.")
    page.get_by_label("Afspraken over schoolwerk tijdens de schorsing").fill("Weektaak per mail.")
    page.get_by_role("button", name="Besluit schorsing").click()
    # First submit: the period computed on the school calendar, to confirm (in the summary,
    # which has the focus, and under the box).
    expect(page.get_by_role("alert")).to_be_focused()
    expect(page.get_by_role("alert")).to_contain_text(
        "Berekende schorsingsperiode: donderdag 12 maart 2026 tot en met maandag 16 maart 2026 "
        "(3 schooldagen)"
    )
    page.get_by_label("Ik heb de berekende schorsingsperiode gecontroleerd").check()
    page.get_by_role("button", name="Besluit schorsing").click()
    expect(page.get_by_text("Status is nu: Geschorst.")).to_be_visible()

    violations = axe_violations(page)
    assert not violations, describe(violations)

    for letter in ("Schorsingsbrief aan de ouders", "Melding aan de onderwijsinspectie"):
        page.get_by_role("button", name=f"Maak: {letter}").click()
        expect(page.get_by_role("link", name=f"{letter} (versie 1)")).to_be_visible()

    open_step(page, "Evaluatie vastleggen")
    page.get_by_label("Datum van de evaluatie").fill("2026-03-18")
    page.get_by_label(re.compile(r"^Evaluatie\b")).fill("Terugkeer verliep goed.")
    page.get_by_role("button", name="Evaluatie vastleggen").click()
    expect(page.get_by_text("Status is nu: Geëvalueerd.")).to_be_visible()

    for item in (
        "Schorsingsbrief aan de ouders verstuurd",
        "Onderwijsinspectie schriftelijk geïnformeerd",
        "Leerplichtambtenaar geïnformeerd",
    ):
        page.get_by_role("button", name=re.compile(rf"Afvinken\s*:\s*{re.escape(item)}")).click()
        expect(page.get_by_text(f"Afgevinkt: {item}", exact=False).first).to_be_visible()

    open_step(page, "Afsluiten")
    page.get_by_role("button", name="Afsluiten").click()
    expect(page.get_by_text("Status is nu: Afgesloten.")).to_be_visible()
