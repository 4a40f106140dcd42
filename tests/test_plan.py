"""The veiligheidsplan generated from the portal (issue 19, item 7): every section from the
``plan_section`` hook with the live configuration, the school's own texts, versions with
their adoption as PDF, and what changed since the last adopted version."""

import datetime
import importlib
import io

import pytest
from pypdf import PdfReader

from portal.dates import nl_date
from portal.models import AuditLog
from portal.models import Partner
from portal.models import PlanVersion
from portal.plugins import PluginError
from portal.report import plan
from portal.testing import as_role

from .conftest import post
from .core_helpers import db_ctx
from .core_helpers import school

PAGE = "/klaverweide/veiligheidsplan/"


def pdf_text(data):
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def make_version(client, **dates):
    return post(client, f"{PAGE}versies", {k: v.isoformat() for k, v in dates.items()}, page=PAGE)


def test_the_plan_has_every_section_with_the_live_configuration(app):
    html = as_role(app, "leerkracht").get(PAGE).get_data(as_text=True)
    numbers = [
        "1 Inleiding",
        "2.2.4 Monitoring",
        "3.1.3 Gebruik social media",
        "3.1.7 Vermoeden",
        "3.2.1 Verwerking",
        "3.2.2 Grensoverschrijdend",
        "3.2.3 Kwaliteitswet",
        "3.3.4 Meting veiligheid",
        "3.5.3 De contactpersoon",
        "3.5.4 Externe partners",
        "3.6 Bewaartermijnen",
    ]
    positions = [html.index(n) for n in numbers]
    assert positions == sorted(positions)  # in the plan's order
    assert "Toegestaan zonder toestemming: Basispoort, Gynzy, Squla." in html  # social_media, live
    assert "Schoolmaatschappelijk werk Almere Haven (demo)" in html  # the partners
    assert "Aandachtsfunctionaris meldcode: Hatice Demir." in html  # meldcode
    assert "Contactpersoon van de school: Floor Vermeulen." in html  # klachten
    assert "Nazorg: gesprek na zes weken" in html  # trauma's step plan
    assert "Over een schorsing beslist: Ruben Hoekstra." in html  # schorsing
    assert "Instrument: Hart en Handen (IEP)." in html  # the core's monitor
    assert "tekst van 3.1.3 wijzigen" not in html.lower()  # a teacher reads, does not edit


def test_the_plan_pdf_holds_the_allowed_apps_and_the_partners(app):
    boss = as_role(app, "directie")
    adopted, consent = datetime.date(2026, 10, 1), datetime.date(2026, 10, 15)
    assert make_version(boss, adopted_on=adopted, mr_consent_on=consent).status_code == 302
    with db_ctx(app):
        version = PlanVersion.get(PlanVersion.school == school().id)
        assert AuditLog.select().where(AuditLog.action == "plan.version").count() == 1
    response = boss.get(f"{PAGE}versies/{version.id}")
    assert response.status_code == 200 and response.headers["Content-Security-Policy"] == "sandbox"
    text = pdf_text(response.data)
    assert f"Vastgesteld door de directie op {nl_date(adopted)}" in text
    assert f"Instemming MR op {nl_date(consent)}" in text
    for app_name in ("Basispoort", "Gynzy", "Squla"):
        assert app_name in text
    assert "Schoolmaatschappelijk werk Almere Haven (demo)" in text and "GGD Flevoland" in text
    assert "Inhoud" in text and "3.5.4 Externe partners" in text
    assert version.sections["3.1.3"]["live"].startswith("Alleen Basispoort")


def test_the_plan_stands_without_the_plugins_sections(app, monkeypatch):
    """Without the sections of four plugins the core's default text fills their places (3.1.3)."""
    for slug in ("klachten", "trauma", "schorsing", "social_media"):
        monkeypatch.setattr(importlib.import_module(f"plugins.{slug}").plugin, "plan", None)
    with db_ctx(app):
        found = {s.number: s for s in plan.sections(school())}
    assert found["3.1.3"].source == "portal" and "toestemming aan de directie" in found["3.1.3"].text
    assert found["3.1.7"].source == "meldcode"
    assert make_version(as_role(app, "directie")).status_code == 302


def test_the_school_writes_its_own_text_and_can_go_back_to_the_default(app):
    boss = as_role(app, "directie")
    edit = f"{PAGE}sectie/3.3.2"
    assert as_role(app, "leerkracht").get(edit).status_code == 403
    empty = post(boss, edit, {"text": "  "}, page=edit)
    assert empty.status_code == 422 and "Vul de tekst van dit onderdeel in." in empty.get_data(as_text=True)
    own = "Op De Klaverweide werken we met PBS: elke week een les over samen spelen en werken."
    assert post(boss, edit, {"text": own}, page=edit).status_code == 302
    html = boss.get(PAGE).get_data(as_text=True)
    assert own in html and "(eigen tekst van de school)" in html
    assert post(boss, edit, {"text": own, "standaard": "1"}, page=edit).status_code == 302
    assert own not in boss.get(PAGE).get_data(as_text=True)
    assert boss.get(f"{PAGE}sectie/9.9.9").status_code == 404


def test_a_page_shows_what_changed_since_the_last_adopted_version(app):
    boss = as_role(app, "directie")
    changes = f"{PAGE}wijzigingen"
    assert "nog geen vastgestelde versie" in boss.get(changes).get_data(as_text=True)
    assert make_version(boss, adopted_on=datetime.date(2026, 10, 1)).status_code == 302
    assert make_version(boss).status_code == 302  # a concept after it: not what is compared with
    assert "niets gewijzigd" in boss.get(changes).get_data(as_text=True)
    with db_ctx(app):
        Partner.create(school=school().id, organisation="Wijkteam Haven (nieuw)", kind="anders")
    edit = f"{PAGE}sectie/3.4"
    assert (
        post(boss, edit, {"text": "Het hele team volgt de training over pesten."}, page=edit).status_code
        == 302
    )
    html = boss.get(changes).get_data(as_text=True)
    assert "3.5.4 Externe partners: gewijzigd" in html
    assert '<ins class="diff"><span class="sr-only">nieuw: </span>Wijkteam Haven (nieuw)' in html
    assert "3.4 Scholing: gewijzigd" in html and "Het hele team volgt de training over pesten." in html
    # The trauma section names the partners it may call in: it changed with the list.
    assert "3.2.1 Verwerking traumatische gebeurtenis: gewijzigd" in html
    assert "3 onderdelen gewijzigd sindsdien" in boss.get(PAGE).get_data(as_text=True)


def test_the_mr_consents_after_the_directie_adopts(app):
    boss = as_role(app, "directie")
    r = make_version(boss, adopted_on=datetime.date(2026, 10, 15), mr_consent_on=datetime.date(2026, 10, 1))
    assert r.status_code == 422 and "De MR stemt in na de vaststelling" in r.get_data(as_text=True)
    r = make_version(boss, mr_consent_on=datetime.date(2026, 10, 1))
    assert r.status_code == 422 and "Vul ook in wanneer de directie het plan vaststelde." in r.get_data(
        as_text=True
    )
    assert as_role(app, "leerkracht").get(PAGE).status_code == 200
    assert post(as_role(app, "leerkracht"), f"{PAGE}versies", {}, page=PAGE).status_code == 403


def test_two_plugins_with_the_same_section_number_are_refused(app, monkeypatch):
    from portal.api import PlanSection

    for slug in ("klachten", "trauma"):
        plugin = importlib.import_module(f"plugins.{slug}").plugin
        monkeypatch.setattr(
            plugin,
            "plan",
            lambda school, slug=slug: [PlanSection(f"{slug}.dubbel", "3.1.3", "Dubbel", "Tekst.")],
        )
    with db_ctx(app), pytest.raises(PluginError):
        plan.sections(school())
