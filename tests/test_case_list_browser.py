"""The case list with a search, sorted by a column, the "Te doen" page and the bestuur's
overview in headless Chromium: axe-clean on a desktop and at 390 px, and nothing wider than
the phone's screen; a case page printed has no menu and no buttons but its timeline."""

import datetime

import pytest
from playwright.sync_api import expect

from portal.cases import engine
from portal.models import CaseDeadline

from .browser_support import axe_violations
from .browser_support import browser_login
from .browser_support import describe
from .core_helpers import actor
from .core_helpers import db_ctx
from .core_helpers import make_case

pytestmark = pytest.mark.browser


def clean(page):
    violations = axe_violations(page)
    assert not violations, describe(violations)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


@pytest.fixture
def cases(app):
    with db_ctx(app):
        made = make_case("Ruzie bij de fietsenstalling", by="ib", assignee=actor("ib"))
        engine.add_note(made, actor("ib"), "Gesprek met de ouders van Zoë gevoerd.")
        CaseDeadline.update(due_date=datetime.date(2020, 3, 2)).where(CaseDeadline.case == made.id).execute()
        make_case("Andere zaak")
        return made.reference


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_search_sort_and_te_doen(request, live_server, cases, size):
    page = request.getfixturevalue("page" if size == "desktop" else "phone_page")
    browser_login(page, live_server, "ib")
    page.goto(f"{live_server}/klaverweide/zaken/")
    page.get_by_role("searchbox", name="Zoeken").fill("zoe fietsenstalling")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("link", name=cases)).to_be_visible()
    assert page.locator("tbody tr").count() == 1
    clean(page)
    if size == "desktop":
        page.get_by_role("link", name="Termijn").click()
    else:  # a phone shows the rows as cards, without headers: the form sorts
        page.get_by_label("Sorteren op").select_option("termijn")
        page.get_by_label("Volgorde").select_option("op")
        page.get_by_role("button", name="Zoeken").click()
        page.set_viewport_size({"width": 1280, "height": 900})  # the header says how it is sorted
    assert page.locator('th[aria-sort="ascending"]').inner_text().startswith("Termijn")
    expect(page.get_by_role("link", name=cases)).to_be_visible()  # the search stays
    if size == "phone":
        page.set_viewport_size({"width": 390, "height": 844})
    clean(page)
    # A date that is none: the error summary takes the focus and names the field.
    page.goto(f"{live_server}/klaverweide/zaken/?van=31-02-2026")
    expect(page.get_by_role("alert")).to_be_visible()
    clean(page)

    if size == "phone":  # the menu is folded behind its button
        page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Te doen").first.click()
    expect(page.get_by_role("heading", name="Te doen", level=1)).to_be_visible()
    expect(page.get_by_role("link", name=cases).first).to_be_visible()
    clean(page)


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_board_overview(request, live_server, app, size):
    from portal.admin import set_plugin_enabled
    from portal.models import School

    with db_ctx(app):
        linde = School.create(slug="delinde", name="De Linde")
        for plugin in ("klachten", "schorsing"):
            set_plugin_enabled(linde, plugin, True)
        engine.create_case(linde, "schorsing.verwijdering", "Verwijdering", actor("directie"))
    page = request.getfixturevalue("page" if size == "desktop" else "phone_page")
    browser_login(page, live_server, "bestuur")
    page.goto(f"{live_server}/bestuur/")
    expect(page.get_by_role("heading", name="Bestuursoverzicht")).to_be_visible()
    expect(page.get_by_role("link", name="De Linde")).to_be_visible()
    clean(page)


def test_a_printed_case_page_keeps_the_timeline_without_menu_or_buttons(page, live_server, cases):
    browser_login(page, live_server, "ib")
    page.goto(f"{live_server}/klaverweide/zaken/{cases}")
    page.emulate_media(media="print")
    expect(page.locator("header.top")).not_to_be_visible()
    expect(page.get_by_role("button").first).not_to_be_visible()
    assert page.locator("button:visible").count() == 0
    assert page.locator("form:visible").count() == 0
    expect(page.get_by_role("heading", name="Tijdlijn")).to_be_visible()
    expect(page.get_by_text("Gesprek met de ouders van Zoë gevoerd.")).to_be_visible()
    expect(page.get_by_role("heading", name="Documenten")).to_be_visible()
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF")
