"""The yearly report and the veiligheidsplan in a real browser: the directie enters monitor
results, reads the report with its charts, and every report page is axe-clean on a desktop
and at 390 px without sideways scrolling; the CSP reports no refused inline style."""

import pytest
from playwright.sync_api import expect

from portal.dates import school_year_of
from portal.dates import today

from .browser_support import axe_violations
from .browser_support import browser_login
from .browser_support import describe

pytestmark = pytest.mark.browser

YEAR = school_year_of(today())
PAGES = (
    f"/klaverweide/jaarcijfers/?jaar={YEAR}",
    f"/klaverweide/jaarcijfers/monitor/nieuw?jaar={YEAR}",
    f"/klaverweide/jaarcijfers/acties/nieuw?jaar={YEAR}",
    "/klaverweide/veiligheidsplan/",
    "/klaverweide/veiligheidsplan/sectie/3.3.4",
    "/klaverweide/veiligheidsplan/wijzigingen",
)


def _no_sideways_scrolling(page):
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def _watch_csp(page):
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    return refused


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_report_pages_are_axe_clean_and_fit_the_screen(page, phone_page, live_server, viewport):
    tab = page if viewport == "desktop" else phone_page
    refused = _watch_csp(tab)
    browser_login(tab, live_server, "directie")
    for path in PAGES:
        tab.goto(live_server + path)
        violations = axe_violations(tab)
        assert not violations, f"{path}:\n{describe(violations)}"
        assert _no_sideways_scrolling(tab), f"{path} scrolls sideways at {viewport}"
    assert refused == []


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_bestuurs_version_is_axe_clean_and_fits_the_screen(page, phone_page, live_server, viewport):
    tab = page if viewport == "desktop" else phone_page
    browser_login(tab, live_server, "bestuur")
    tab.goto(f"{live_server}/klaverweide/jaarcijfers/bestuur?jaar={YEAR}")
    violations = axe_violations(tab)
    assert not violations, describe(violations)
    assert _no_sideways_scrolling(tab)


def test_the_directie_enters_the_monitor_and_reads_the_charts(page, live_server):
    browser_login(page, live_server, "directie")
    page.goto(f"{live_server}/klaverweide/jaarcijfers/monitor/nieuw?jaar={YEAR}")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", name="Eén veld moet nog worden verbeterd")).to_be_visible()
    page.get_by_label("Datum van de meting").fill(today().isoformat())
    page.get_by_label("Veiligheidsbeleving, de hele school").fill("3,6")
    page.get_by_label("Scores per groep").fill("Groep 4: 3,7; 3,5")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De monitorresultaten zijn opgeslagen.")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Groep 4").first).to_be_visible()
    # Every chart is an image with a name, its numbers in the table beside it.
    charts = page.locator("svg.chart[role=img]")
    assert charts.count() >= 2
    title = page.locator("svg.chart title").first.text_content()
    assert "de cijfers staan in de tabel erbij" in title
