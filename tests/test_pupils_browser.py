"""The pupil picker and the register in Chromium: the ARIA combobox with the keyboard only
(type, arrow down, Enter, send), axe on the open list and on the register's pages, the
no-JavaScript search step still there when the suggestions fail, and nothing scrolling
sideways at 390 px."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from portal.models import Case
from portal.models import CasePupil
from portal.models import Pupil
from portal.models import School
from portal.models import UserRole

from .browser_support import axe_violations
from .browser_support import browser_login
from .browser_support import describe
from .core_helpers import db_ctx
from .core_helpers import user
from .test_pupils_picker import PLUGIN

pytestmark = pytest.mark.browser

START = "/klaverweide/leerlingtest/nieuw"
FIXTURES = Path(__file__).parent / "fixtures" / "pupils"


@pytest.fixture
def app_config(app_config):
    return {
        **app_config,
        "PORTAL_PLUGINS": (),
        "PORTAL_EXTRA_PLUGINS": (*app_config["PORTAL_EXTRA_PLUGINS"], PLUGIN),
    }


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_choose_a_pupil_with_the_keyboard_and_send(page, live_server, app):
    browser_login(page, live_server, "leerkracht")
    page.goto(live_server + START)
    page.get_by_label("Onderwerp").fill("Ruzie bij de fietsenstalling")
    page.get_by_label("Datum").fill("2026-12-01")
    page.get_by_label("Wat is er gebeurd?").fill("Er werd geduwd en geschopt.")
    box = page.get_by_role("combobox", name="Leerling")
    assert box.get_attribute("aria-expanded") == "false"
    # The no-JavaScript button is out of the way (Enter would press it).
    assert page.locator("button[name=pupil-zoekknop]").count() == 0
    box.focus()
    page.keyboard.type("vos")
    listbox = page.get_by_role("listbox", name="Gevonden leerlingen")
    listbox.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    options = listbox.get_by_role("option")
    assert options.first.inner_text().startswith("Daan Vos, groep 6b (100126)")
    violations = axe_violations(page)  # with the list open
    assert not violations, describe(violations)
    page.keyboard.press("ArrowDown")
    first = options.first
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert first.get_attribute("aria-selected") == "true"
    page.keyboard.press("Enter")  # chooses; does not send the form
    assert listbox.is_hidden() and box.get_attribute("aria-expanded") == "false"
    assert box.input_value() == "Daan Vos"
    assert page.locator("#pupil-gekozen").inner_text() == "Gekozen: Daan Vos, groep 6b (100126)"
    assert page.url.endswith(START)
    with db_ctx(app):
        daan = Pupil.get(Pupil.las_number == "100126")
    assert page.locator("input[type=hidden][name=pupil]").input_value() == str(daan.id)
    page.keyboard.press("Enter")  # the list is closed: now Enter sends the form
    page.wait_for_url(re.compile(r"/klaverweide/zaken/LM-\d{4}-\d{4}$"))
    expect(page.get_by_role("link", name="Daan Vos")).to_be_visible()
    # The case page's pupils section, with its own picker to add a pupil.
    expect(page.get_by_role("combobox", name="Leerling toevoegen")).to_be_visible()
    violations = axe_violations(page)
    assert not violations, describe(violations)
    with db_ctx(app):
        case = Case.get(Case.title == "Ruzie bij de fietsenstalling")
        assert [(r.pupil_id, r.role) for r in CasePupil.select().where(CasePupil.case == case.id)] == [
            (daan.id, "slachtoffer")
        ]


def test_escape_and_typing_again(page, live_server):
    browser_login(page, live_server, "leerkracht")
    page.goto(live_server + START)
    box = page.get_by_role("combobox", name="Leerling")
    box.focus()
    page.keyboard.type("bakker")
    page.get_by_role("listbox").wait_for()
    page.keyboard.press("ArrowUp")  # wraps to the last suggestion
    page.keyboard.press("Enter")
    assert box.input_value() == "Noah Bakker"
    page.keyboard.type("x")  # typing again empties the choice
    assert page.locator("input[type=hidden][name=pupil]").input_value() == ""
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    assert box.input_value() == ""
    page.keyboard.type("qqqzz")
    page.locator("#pupil-gekozen", has_text="Geen leerling gevonden.").wait_for()
    assert page.get_by_role("listbox").is_hidden()


def test_the_search_step_comes_back_when_suggestions_fail(page, live_server):
    browser_login(page, live_server, "leerkracht")
    page.route("**/leerlingen/kiezen*", lambda route: route.fulfill(status=503, body="weg"))
    page.goto(live_server + START)
    box = page.get_by_role("combobox", name="Leerling")
    box.fill("vos")
    page.get_by_role("button", name="Zoek").wait_for()
    page.get_by_role("button", name="Zoek").click()
    page.get_by_label(re.compile("Daan Vos")).check()
    page.get_by_label("Onderwerp").fill("Zonder suggesties")
    page.get_by_label("Datum").fill("2026-12-01")
    page.get_by_label("Wat is er gebeurd?").fill("Gezocht op de server.")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url(re.compile(r"/klaverweide/zaken/LM-"))
    expect(page.get_by_role("link", name="Daan Vos")).to_be_visible()


def test_the_register_pages_pass_axe_and_fit_a_phone(page, phone_page, live_server, app):
    with db_ctx(app):
        school = School.create(slug="berkenhof", name="De Berkenhof")
        UserRole.create(user=user("directie").id, school=school.id, role="directie")
    for p in (page, phone_page):
        browser_login(p, live_server, "directie")
    with db_ctx(app):
        daan = Pupil.get(Pupil.las_number == "100126")
    for path in (
        "/klaverweide/leerlingen/",
        f"/klaverweide/leerlingen/{daan.id}",
        f"/klaverweide/leerlingen/{daan.id}/bewerken",
        "/klaverweide/leerlingen/importeren",
        "/klaverweide/leerlingen/cijfers",
    ):
        for p in (page, phone_page):
            p.goto(live_server + path)
            violations = axe_violations(p)
            assert not violations, f"{path}:\n{describe(violations)}"
        assert no_sideways_scroll(phone_page), path
    # The import's preview and its mapping step, uploaded through the form.
    for name in ("parnassys.csv", "other_layout.csv"):
        phone_page.goto(f"{live_server}/berkenhof/leerlingen/importeren")
        phone_page.get_by_label("Exportbestand (CSV)").set_input_files(
            files=[{"name": name, "mimeType": "text/csv", "buffer": (FIXTURES / name).read_bytes()}]
        )
        phone_page.get_by_role("button", name="Bekijk wat de import doet").click()
        phone_page.wait_for_load_state()
        expected = "Wat de import doet" if name == "parnassys.csv" else "Welke kolom is wat?"
        expect(phone_page.get_by_role("heading", name=expected)).to_be_visible()
        violations = axe_violations(phone_page)
        assert not violations, f"{name}:\n{describe(violations)}"
        assert no_sideways_scroll(phone_page), name
