"""The parents' pages in every language in headless Chromium on a phone: the form, the
receipt and the follow-up page are axe-clean and do not scroll sideways, also right to left
(Arabic), and the language switch works from the page itself."""

import pytest

from portal import i18n

from .browser_support import axe_violations
from .browser_support import describe

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config(app_config):
    return {**app_config, "PORTAL_PLUGINS": ("klachten",)}


def check(page, language):
    assert page.evaluate("document.documentElement.lang") == language
    assert page.evaluate("document.documentElement.dir") == ("rtl" if language in i18n.RTL else "ltr")
    violations = axe_violations(page)
    assert not violations, describe(violations)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.parametrize("language", list(i18n.LANGUAGES))
def test_form_receipt_and_follow_up_in_each_language(phone_page, live_server, language):
    page = phone_page
    page.goto(f"{live_server}/klaverweide/klachten/indienen?taal={language}")
    check(page, language)
    page.locator("input[name=category][value=pesten]").check()
    page.locator("#what_happened").fill("Mijn kind wordt gepest.")
    page.locator("form[enctype] button[type=submit]").click()
    page.wait_for_selector("#code")
    check(page, language)
    reference = page.locator("#referentie").inner_text().strip()
    code = page.locator("#code").inner_text().strip()
    page.goto(f"{live_server}/klaverweide/klachten/volgen")
    page.locator("#reference").fill(reference)
    page.locator("#code").fill(code)
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("#status")
    check(page, language)
    # The switch on the follow-up page posts reference and code: the page stays open.
    other = "ar" if language != "ar" else "en"
    page.locator(f"button[name=taal][value={other}]").click()
    page.wait_for_selector("#status")
    assert page.evaluate("document.documentElement.lang") == other
    assert code.replace(" ", "") not in page.url
