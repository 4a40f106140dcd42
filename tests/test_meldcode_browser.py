"""The whole meldcode route in headless Chromium: a teacher records a concern about a pupil
chosen from the register, the intern begeleider takes steps 2 to 4, the directie consults the
board and organises help with a term, and when the help fails the file ends in a melding at
Veilig Thuis. Every page on the way is scanned with axe."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from portal.dates import today as dutch_today

from .browser_support import axe_violations
from .browser_support import browser_login
from .browser_support import describe

pytestmark = pytest.mark.browser


def scanned(page):
    violations = axe_violations(page)
    assert not violations, f"{page.url}\n{describe(violations)}"


def step_form(page, label):
    """Open the step ``label`` on the case page and return its part of the page."""
    step = page.locator("details.step", has=page.locator("summary", has_text=label))
    step.locator("summary").click()
    return step


def take(page, step, label, status):
    step.get_by_role("button", name=label).click()
    expect(page.get_by_text(f"Status is nu: {status}.")).to_be_visible()
    scanned(page)


def log_out(page):
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_load_state()


def test_teacher_then_ib_then_directie_through_the_five_steps(page, live_server):
    today = dutch_today()  # the school's date (Amsterdam), which the filters count in
    earlier = (today - datetime.timedelta(days=3)).isoformat()
    now = today.isoformat()

    # The teacher: a concern about a pupil of the register.
    browser_login(page, live_server, "leerkracht")
    scanned(page)
    page.get_by_role("link", name="Zorg over de thuissituatie", exact=True).first.click()
    scanned(page)
    page.get_by_role("button", name="Zorg vastleggen").click()
    expect(page.get_by_text("Zoek en kies de leerling om wie het gaat.").first).to_be_visible()
    scanned(page)  # the refused form, with its error summary
    page.get_by_label(re.compile(r"^Leerling\b")).fill("Daan Vos")
    page.get_by_role("option", name=re.compile(r"Daan Vos, groep 6b")).click()
    page.get_by_label("Datum van de signalen").fill(earlier)
    page.get_by_label("Welke signalen ziet of hoort u?").fill("Blauwe plekken op de bovenarm, twee keer.")
    page.get_by_label("Welke signalen spreken dit tegen?").fill("Daan speelt ontspannen in de pauze.")
    page.get_by_label("Eigen waarneming").check()
    page.get_by_label("Uw eigen overwegingen").fill("Ik maak me zorgen en wil het bespreken.")
    page.get_by_role("button", name="Zorg vastleggen").click()
    expect(page.get_by_text(re.compile(r"Uw zorg is vastgelegd als MC-\d{4}-\d{4}"))).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Daan Vos"))).to_be_visible()
    scanned(page)
    case_url = page.url
    reference = case_url.rsplit("/", 1)[1]
    log_out(page)

    # The intern begeleider: steps 2, 3 and 4.
    browser_login(page, live_server, "ib")
    page.goto(f"{live_server}/klaverweide/zaken/")
    expect(page.get_by_role("link", name=reference)).to_be_visible()
    scanned(page)
    page.get_by_role("link", name=reference).click()
    scanned(page)
    step = step_form(page, "Stap 2: collegiale consultatie vastleggen")
    step.get_by_label("Datum van de consultatie").fill(earlier)
    step.get_by_label("Met wie (naam en functie)").fill("Hatice Demir, aandachtsfunctionaris")
    step.get_by_label("Verslag: hoe zijn de signalen geduid?").fill("Passend bij mishandeling.")
    step.get_by_label("Besluiten over het vervolg").fill("Gesprek met ouders en Daan.")
    step.get_by_label("Veilig Thuis is anoniem geraadpleegd").check()
    step.get_by_label("Datum van de raadpleging van Veilig Thuis").fill(earlier)
    step.get_by_label("Advies van Veilig Thuis").fill("Ga het gesprek aan.")
    take(page, step, "Stap 2: collegiale consultatie vastleggen", "Stap 2: collegiale consultatie gehouden")

    step = step_form(page, "Stap 3: gesprek met ouders en kind vastleggen")
    step.get_by_label("Datum van het gesprek").fill(now)
    step.get_by_label("Met de ouders/verzorgers gesproken").check()
    step.get_by_label("Met het kind gesproken").check()
    step.get_by_label("Verslag van het gesprek").fill("Moeder vertelt over spanningen thuis.")
    step.get_by_label(re.compile("Het vermoeden blijft bestaan")).check()
    take(page, step, "Stap 3: gesprek met ouders en kind vastleggen", "Stap 3: gesprek met ouders en kind")
    page.get_by_role("button", name="Maak: Verslag van het gesprek met de ouders").click()
    expect(page.get_by_role("link", name="Verslag van het gesprek met de ouders (versie 1)")).to_be_visible()
    scanned(page)

    step = step_form(page, "Stap 4: wegen met het afwegingskader")
    step.get_by_label("Datum van de weging").fill(now)
    for n, answer in enumerate(("Ja", "Nee", "Ja", "Ja", "Ja"), start=1):
        step.get_by_role("group", name=re.compile(rf"^{n}\. ")).get_by_label(answer, exact=True).check()
        step.get_by_label(f"Toelichting bij vraag {n}").fill(f"Onze afweging bij vraag {n}.")
    step.get_by_role("group", name=re.compile("sterk vermoeden")).get_by_label("Nee", exact=True).check()
    take(page, step, "Stap 4: wegen met het afwegingskader", "Stap 4: gewogen met het afwegingskader")
    # The decision is not IB's.
    assert page.locator("summary", has_text="Stap 5: hulp organiseren").count() == 0
    log_out(page)

    # The directie: the board, then help with a term.
    browser_login(page, live_server, "directie")
    page.goto(case_url)
    scanned(page)
    help_term = (today + datetime.timedelta(days=42)).isoformat()

    def fill_help(step):
        step.get_by_label("Afspraken over de hulp (vorm en inhoud)").fill("Wekelijks opvoedondersteuning.")
        step.get_by_label(re.compile("Met wie zijn de afspraken gemaakt")).fill("Ouders en wijkteam.")
        step.get_by_label("Termijn: tot wanneer loopt de hulp?").fill(help_term)
        step.get_by_label("Beoogd effect").fill("Geen nieuwe signalen.")

    step = step_form(page, "Stap 5: hulp organiseren")
    fill_help(step)
    step.get_by_role("button", name="Stap 5: hulp organiseren").click()
    expect(page.get_by_text("Het besluit kan pas na overleg met het bestuur.")).to_be_visible()
    # Refused: the form keeps what was typed.
    refused = page.locator("details.step", has=page.locator("summary", has_text="Stap 5: hulp organiseren"))
    assert refused.get_by_label("Beoogd effect").input_value() == "Geen nieuwe signalen."
    scanned(page)

    step = step_form(page, "Overleg met het bestuur")
    step.get_by_label("Datum").fill(now)
    step.get_by_label("Met wie (naam en functie bij het bestuur)").fill("Ingrid Verbeek, clusterdirecteur")
    step.get_by_label("Wat is besproken of afgesproken?").fill("Hulp met een termijn van zes weken.")
    take(page, step, "Overleg met het bestuur", "Stap 4: gewogen met het afwegingskader")

    step = step_form(page, "Stap 5: hulp organiseren")
    fill_help(step)
    take(page, step, "Stap 5: hulp organiseren", "Stap 5: hulp georganiseerd, met een termijn")
    expect(page.get_by_text("Heeft de hulp het gewenste effect?: uiterlijk")).to_be_visible()
    page.get_by_role("button", name="Maak: Afsprakendocument hulp").click()
    expect(page.get_by_role("link", name="Afsprakendocument hulp (versie 1)")).to_be_visible()
    scanned(page)

    # The help fails: alsnog melden.
    step = step_form(page, "Nee: alsnog melden")
    step.get_by_label("Datum van de beoordeling").fill(now)
    step.get_by_label("Toelichting").fill("Nieuwe blauwe plekken.")
    take(
        page,
        step,
        "Heeft de hulp het gewenste effect? Nee: alsnog melden",
        "Hulp zonder het gewenste effect: alsnog melden",
    )
    step = step_form(page, "Alsnog melden bij Veilig Thuis")
    step.get_by_label("Datum van de melding").fill(now)
    step.get_by_label(re.compile(r"^Gemeld bij")).fill("J. de Vries, Veilig Thuis Flevoland")
    step.get_by_label("Wat is gemeld?").fill("Aanhoudende zorgen over mishandeling.")
    step.get_by_label("Kenmerk van Veilig Thuis").fill("VT-2026-0815")
    take(page, step, "Alsnog melden bij Veilig Thuis", "Gemeld bij Veilig Thuis")
    page.get_by_role("button", name="Maak: Vastlegging van de melding bij Veilig Thuis").click()
    assert page.get_by_role(
        "link", name="Vastlegging van de melding bij Veilig Thuis (versie 1)"
    ).is_visible()
    scanned(page)

    # The child's chronology and the figures.
    page.get_by_role("link", name="Daan Vos").click()
    expect(page.get_by_text(reference)).to_be_visible()
    scanned(page)
    page.goto(f"{live_server}/klaverweide/jaarcijfers/")
    expect(page.get_by_text("Meldcode: meldingen bij Veilig Thuis")).to_be_visible()
    scanned(page)


def test_on_a_phone_no_sideways_scrolling(phone_page, live_server):
    browser_login(phone_page, live_server, "leerkracht")
    phone_page.goto(f"{live_server}/klaverweide/meldcode/zorg")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    scanned(phone_page)
    phone_page.get_by_role("button", name="Menu").click()  # folded on a phone
    phone_page.get_by_role("button", name="Uitloggen").click()
    # The demo's closed file, with every step and the afwegingskader's table.
    browser_login(phone_page, live_server, "ib")
    phone_page.goto(f"{live_server}/klaverweide/zaken/?soort=meldcode.dossier&open=0")
    phone_page.get_by_role("link", name=re.compile(r"MC-\d{4}-0002")).click()
    expect(phone_page.get_by_text("Afgesloten: de hulp had het gewenste effect").first).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    scanned(phone_page)
