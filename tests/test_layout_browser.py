"""The portal on a phone and with the keyboard, in headless Chromium: no page a directie or a
beheerder reaches is wider than a 390 px screen, every page has its own title, the menu
folds behind one button, the idle logout is announced two minutes ahead with a way to stay,
and what was typed into a form survives that logout (WCAG 1.4.10, 2.2.1, 2.4.2)."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from portal.models import UserSession

from .browser_support import axe_violations
from .browser_support import browser_login
from .browser_support import describe
from .core_helpers import db_ctx
from .core_helpers import make_case
from .core_helpers import user

pytestmark = pytest.mark.browser

# Downloads and what is not a page: not visited.
NOT_A_PAGE = re.compile(r"(\.csv|\.xlsx|\.pdf|\.json|/download|/bijlage|/logo|/versies/|formaat=)")


def fits(page):
    """[scrollWidth, width of the screen]: the page may not be wider than the layout viewport.
    (On an emulated phone window.innerWidth grows with a page that is too wide.)"""
    return page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")


# Radio buttons outside a fieldset with a legend: a group a screen reader cannot name.
LOOSE_RADIOS = """[...document.querySelectorAll('input[type=radio]')]
    .filter(r => !(r.closest('fieldset') && r.closest('fieldset').querySelector('legend')))
    .map(r => r.name)"""


def pattern(path):
    """One page per kind: /zaken/KL-2026-0003 and /zaken/KL-2026-0001 are the same page."""
    return re.sub(r"\d+", "N", path)


def crawl(page, base, depth=2, limit=120):
    """Every page reachable from the menu in ``depth`` clicks: {pattern: (url, title)}, and
    [(pattern, widths)] of the pages wider than the screen."""
    menu = page.eval_on_selector_all("header nav a", "els => els.map(e => e.href)")
    queue = [(href, 0) for href in menu]
    seen, wide = {}, []
    while queue and len(seen) < limit:
        href, level = queue.pop(0)
        url = href.split("#")[0]
        if not url.startswith(base) or NOT_A_PAGE.search(url):
            continue
        key = pattern(url[len(base) :].split("?")[0])
        if key in seen:
            continue
        response = page.goto(url)
        if "text/html" not in response.headers.get("content-type", ""):
            seen[key] = (url, None)
            continue
        assert response.status < 400, f"{url}: {response.status}"
        landed = pattern(page.url[len(base) :].split("?")[0])
        if landed != key and landed in seen:  # a redirect to a page already seen
            continue
        seen[key] = (url, page.title())
        scroll, width = fits(page)
        if scroll > width:
            wide.append((key, scroll, width))
        loose = page.evaluate(LOOSE_RADIOS)
        if loose:
            wide.append((key, "keuzerondjes zonder fieldset/legend", loose))
        if level < depth:
            links = page.eval_on_selector_all("main a[href]", "els => els.map(e => e.href)")
            queue.extend((h, level + 1) for h in links)
    return seen, wide


@pytest.mark.parametrize("role", ["directie", "beheerder"])
def test_no_page_is_wider_than_a_phone_and_titles_are_unique(phone_page, live_server, role):
    browser_login(phone_page, live_server, role)
    seen, wide = crawl(phone_page, live_server)
    assert len(seen) > 20, sorted(seen)
    assert not wide, f"breder dan 390 px of losse keuzerondjes: {wide}"
    by_title = {}
    for key, (_url, title) in seen.items():
        if title:
            by_title.setdefault(title, []).append(key)
    doubles = {t: keys for t, keys in by_title.items() if len(keys) > 1}
    assert not doubles, "\n".join(f"{t}: {keys}" for t, keys in doubles.items())


def test_menu_folds_on_a_phone(phone_page, live_server):
    page = phone_page
    browser_login(page, live_server, "directie")
    toggle = page.get_by_role("button", name="Menu")
    expect(toggle).to_be_visible()
    expect(page.get_by_role("link", name="Zaken", exact=True)).not_to_be_visible()
    assert page.locator("header").bounding_box()["height"] < 80  # one line, not five
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    page.get_by_role("link", name="Zaken", exact=True).click()
    expect(page.get_by_role("heading", name="Zaken", level=1)).to_be_visible()
    page.get_by_role("button", name="Menu").click()
    page.keyboard.press("Escape")
    assert page.get_by_role("button", name="Menu").get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.textContent").startswith("Menu")
    # The brand is the way home.
    page.get_by_role("link", name="De Klaverweide").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()


def test_desktop_menu_and_focus_ring(page, live_server):
    browser_login(page, live_server, "directie")
    expect(page.get_by_role("button", name="Menu")).not_to_be_visible()
    expect(page.get_by_role("link", name="Zaken", exact=True)).to_be_visible()
    page.get_by_role("link", name="Zaken", exact=True).focus()
    ring = page.evaluate("getComputedStyle(document.activeElement).outlineColor")
    assert ring == "rgb(255, 191, 71)"  # amber on the dark header: 5:1
    page.locator("main a").first.focus()
    ring = page.evaluate("getComputedStyle(document.activeElement).outlineColor")
    assert ring == "rgb(27, 27, 27)"  # near-black on white: 17:1


def _end_session(app, role):
    """The server's side of an idle logout: the session's last activity long ago."""
    with db_ctx(app):
        gone = datetime.datetime.now(datetime.UTC).replace(tzinfo=None) - datetime.timedelta(hours=1)
        UserSession.update(last_seen=gone).where(UserSession.user == user(role).id).execute()


def test_idle_warning_and_staying_logged_in(page, live_server, app):
    page.clock.install()
    browser_login(page, live_server, "directie")
    page.goto(f"{live_server}/klaverweide/zaken/")
    dialog = page.get_by_role("dialog", name="U wordt bijna uitgelogd")
    expect(dialog).not_to_be_visible()
    page.clock.fast_forward("27:00")
    expect(dialog).not_to_be_visible()
    page.clock.fast_forward("01:05")  # two minutes before the 30 minutes
    dialog.wait_for()
    assert page.evaluate("document.activeElement.textContent") == "Ingelogd blijven"
    with page.expect_response(lambda r: r.url.endswith("/sessie/verlengen")) as answer:
        page.keyboard.press("Enter")
    assert answer.value.status == 200
    assert answer.value.json()["seconds"] == 30 * 60
    dialog.wait_for(state="hidden")
    assert page.url.endswith("/klaverweide/zaken/")


def test_text_typed_survives_the_idle_logout(page, live_server, app):
    with db_ctx(app):
        reference = make_case("Zaak met een notitie").reference
    page.clock.install()
    browser_login(page, live_server, "directie")
    page.goto(f"{live_server}/klaverweide/zaken/{reference}")
    note = page.get_by_label("Notitie of bericht")
    note.fill("Gesprek met de moeder: zij belt morgen terug.")
    _end_session(app, "directie")
    page.clock.fast_forward("31:00")  # past the logout: the script goes to the login page
    page.get_by_label("E-mailadres").wait_for()
    assert "/login" in page.url
    browser_login_here(page, "directie")
    page.get_by_role("heading", name=reference).wait_for()
    assert (
        page.get_by_label("Notitie of bericht").input_value()
        == "Gesprek met de moeder: zij belt morgen terug."
    )
    expect(page.get_by_text("staat weer in het formulier")).to_be_visible()
    # Sent: the text is saved by the server and not put back again.
    page.get_by_role("button", name="Plaatsen").click()
    page.get_by_text("Gesprek met de moeder: zij belt morgen terug.").first.wait_for()
    page.reload()
    assert page.get_by_label("Notitie of bericht").input_value() == ""


def browser_login_here(page, role):
    from portal.demo import demo_password

    page.get_by_label("E-mailadres").fill(f"{role}@klaverweide.demo")
    page.get_by_label("Wachtwoord").fill(demo_password())
    page.get_by_role("button", name="Inloggen").click()


def test_axe_with_the_menu_open_on_a_phone(phone_page, live_server):
    browser_login(phone_page, live_server, "beheerder")
    phone_page.get_by_role("button", name="Menu").click()
    violations = axe_violations(phone_page)
    assert not violations, describe(violations)


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_audit_log_page_is_axe_clean_and_fits(request, live_server, app, size):
    page = request.getfixturevalue("page" if size == "desktop" else "phone_page")
    with db_ctx(app):
        reference = make_case("Zaak in het log").reference
    browser_login(page, live_server, "directie")
    page.goto(f"{live_server}/klaverweide/zaken/{reference}")
    page.get_by_role("link", name="auditlog van deze zaak").click()
    expect(page.get_by_role("heading", name="Auditlog van De Klaverweide")).to_be_visible()
    expect(page.get_by_role("cell", name="Zaak bekeken").first).to_be_visible()
    scroll, width = fits(page)
    assert scroll <= width
    violations = axe_violations(page)
    assert not violations, describe(violations)
    # The filters by keyboard: a group of actions and a date that is none.
    page.get_by_label("Handeling").select_option("groep:inloggen")
    page.get_by_label("Vanaf").fill("2026-03-05")
    page.get_by_label("Tot en met").fill("2026-03-01")
    page.get_by_role("button", name="Filteren").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert page.title().startswith("Fout: Auditlog")
    violations = axe_violations(page)
    assert not violations, describe(violations)
    with page.expect_download() as download:
        page.get_by_role(
            "link", name=f"het volledige log van zaak {reference} voor het dossier (CSV)"
        ).click()
    assert download.value.suggested_filename == f"auditlog-{reference}.csv"
