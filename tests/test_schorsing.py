"""The schorsing plugin through the Flask test client (CSRF on): incident,
suspension route with its refusals and two-step confirmation, letters read
back from the PDF, expulsion route, figures and the dashboard."""

import datetime
import io
import re

import pytest
from pypdf import PdfReader

from plugins.schorsing import period
from plugins.schorsing import reports
from plugins.schorsing.forms import SuspensionStartForm
from plugins.schorsing.models import Expulsion
from plugins.schorsing.models import Hearing
from plugins.schorsing.models import Incident
from plugins.schorsing.models import SchoolApproach
from plugins.schorsing.models import Suspension
from portal import api
from portal.db import database
from portal.models import AuditLog
from portal.models import Case
from portal.models import CaseDocument
from portal.models import CaseEvent
from portal.models import CaseLink
from portal.models import Outbox
from portal.models import Pupil
from portal.models import School
from portal.testing import access_problems
from portal.testing import db_session

from .conftest import login
from .conftest import post

BASE = "/klaverweide"
# Mila Kramer, groep 5b, a demo pupil of the register (LAS number 100115).
MILA = "100115"
# The incident as the register has it (plugin incidenten; by role, without names) ...
REGISTERED = {
    "occurred_on": "2026-03-09",
    "occurred_time": "11:40",
    "place": "gym",
    "category": "fysiek_geweld",
    "what": "Een leerling gooide een stoel naar een klasgenoot bij de gymzaal.",
    "involved_roles": ["leerling"],
    "injury": "geen",
    "measure": "Apart gezet.",
    "parents_informed": "nee",
}
# ... and what the suspension's start form asks, from that incident's page.
INCIDENT = {
    "pupil_group": "5b",
    "category": "storend_agressief_leerling",
    "description": "Mila gooide een stoel naar een klasgenoot.",
    "involved": "Klasgenoot uit groep 5b.",
    "immediate_action": "Mila is apart gezet.",
}
# A Thursday outside any holiday or vacation of the demo school.
THURSDAY = datetime.date(2026, 3, 12)
# The day the tests decide on: a suspension cannot start before the day it is decided
# (WPO art. 40c), so the route reads today's date; the tests fix it to the Wednesday before.
TODAY = datetime.date(2026, 3, 11)


@pytest.fixture(autouse=True)
def the_day(monkeypatch):
    monkeypatch.setattr(api, "today", lambda: TODAY)


def _db(app):
    """Run a query outside a request: the test app's database connection."""
    database.connect(reuse_if_open=True)


def pupil_id(las=MILA):
    """The id of a demo pupil, as the picker posts it."""
    database.connect(reuse_if_open=True)
    return str(Pupil.get(Pupil.las_number == las).id)


def incident_form(**changes):
    """The suspension's start form as posted: Mila chosen in the picker."""
    return {**INCIDENT, "pupil_name": pupil_id(), **changes}


def as_role(app, role):
    """A fresh client logged in as ``role`` (switching users without a logout form)."""
    client = app.test_client()
    login(client, role)
    return client


def register_incident(client, **changes):
    """An incident in the register (plugin incidenten), registered by ``client``: its reference."""
    start = f"{BASE}/incidenten/melden"
    r = post(client, start, {**REGISTERED, **changes}, page=start)
    assert r.status_code == 302, r.get_data(as_text=True)
    database.connect(reuse_if_open=True)
    return (
        Case.select().where(Case.case_type == "incidenten.incident").order_by(Case.id.desc()).get().reference
    )


def start_url(incident_ref):
    """The suspension's start page, opened from the incident's page."""
    return f"{BASE}/schorsing/melden?vanuit={incident_ref}"


def report_incident(client, **changes):
    """A registered incident and the suspension case the directie (``client``) starts from it."""
    url = start_url(register_incident(client))
    r = post(client, url, incident_form(**changes), page=url)
    assert r.status_code == 302, r.get_data(as_text=True)
    return re.search(r"(SCH-\d{4}-\d{4})", r.headers["Location"]).group(1)


def step(client, ref, name, data):
    return post(client, f"{BASE}/zaken/{ref}/stap/{name}", data, page=f"{BASE}/zaken/{ref}")


def consult(client, ref):
    r = step(
        client,
        ref,
        "schorsing.overleg",
        {
            "held_on": "2026-03-10",
            "with_whom": "Ingrid Verbeek, clusterdirecteur",
            "outcome": "Schorsing van drie dagen is passend.",
        },
    )
    assert r.status_code == 302, r.get_data(as_text=True)


DECISION = {
    "first_day": THURSDAY.isoformat(),
    "days": "3",
    "reason": "Gooien met een stoel naar een klasgenoot.",
    "schoolwork": "De leerkracht mailt dagelijks het weekwerk; inleveren op vrijdag.",
    "meeting_on": "2026-03-17",
}


def decide(client, ref, **changes):
    """The two-step decision: the first submit shows the period, the second confirms it."""
    data = {**DECISION, **changes}
    first = step(client, ref, "schorsing.besluit", data)
    assert first.status_code == 422, first.get_data(as_text=True)
    html = first.get_data(as_text=True)
    token = re.search(
        r'id="[a-z-]*besluit-confirmed" name="confirmed" type="checkbox" value="([^"]+)"', html
    ).group(1)
    second = step(client, ref, "schorsing.besluit", {**data, "confirmed": token})
    return first, second


def pdf_text(client, ref, name):
    r = post(client, f"{BASE}/zaken/{ref}/brief/{name}", {}, page=f"{BASE}/zaken/{ref}")
    assert r.status_code == 302, r.get_data(as_text=True)
    doc = (
        CaseDocument.select()
        .join(Case)
        .where((Case.reference == ref) & (CaseDocument.name == name))
        .order_by(CaseDocument.version.desc())
        .get()
    )
    r = client.get(f"{BASE}/zaken/{ref}/document/{doc.id}")
    assert r.status_code == 200 and r.data.startswith(b"%PDF")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(r.data)).pages)
    return re.sub(r"\s+", " ", text)


def tick(client, ref, item_name, done_on="2026-03-11"):
    html = client.get(f"{BASE}/zaken/{ref}").get_data(as_text=True)
    from portal.models import CaseChecklistItem

    item = (
        CaseChecklistItem.select()
        .join(Case)
        .where((Case.reference == ref) & (CaseChecklistItem.name == item_name))
        .get()
    )
    assert f"checklist/{item.id}" in html
    r = post(
        client, f"{BASE}/zaken/{ref}/checklist/{item.id}", {"done_on": done_on}, page=f"{BASE}/zaken/{ref}"
    )
    assert r.status_code == 302


# ----------------------------------------------------------------- incident ----


def test_a_suspension_starts_from_a_registered_incident_and_the_directie_is_told_without_details(app, client):
    # A teacher registers the incident (plugin incidenten); only the directie starts a
    # suspension from it, and the teacher's page of the incident does not offer it.
    teacher = as_role(app, "leerkracht")
    incident_ref = register_incident(teacher)
    assert "schorsing/melden" not in teacher.get(f"{BASE}/zaken/{incident_ref}").get_data(as_text=True)
    assert teacher.get(start_url(incident_ref)).status_code in (403, 404)
    login(client, "directie")
    page = client.get(f"{BASE}/zaken/{incident_ref}").get_data(as_text=True)
    assert f'href="{start_url(incident_ref)}"' in page and "Ernstig incident: schorsing overwegen" in page
    page = client.get(start_url(incident_ref)).get_data(as_text=True)
    for label in (
        "Voortdurend storend en/of agressief gedrag van de leerling",
        "Bedreigend of agressief gedrag van ouders/verzorgers",
        "Het meenemen van wapens",
        "Seksuele intimidatie",
        "Anders",
    ):
        assert label in page
    # Filled in from the incident: the plan's category, what happened and what was done;
    # when and where are the incident's facts, not asked again.
    assert re.search(r'<input checked id="category-0"[^>]*value="storend_agressief_leerling"', page)
    assert "Een leerling gooide een stoel naar een klasgenoot bij de gymzaal." in page
    assert "maandag 9 maart 2026, 11:40" in page and "Gymzaal" in page
    assert 'name="occurred_on"' not in page and 'name="place"' not in page
    url = start_url(incident_ref)
    r = post(client, url, incident_form(category="anders", pupil_name="", immediate_action=""), page=url)
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "Zoek en kies de leerling." in html
    assert "Beschrijf het soort incident bij ‘Anders, namelijk’." in html
    assert "Beschrijf wat er direct is gedaan." in html
    assert "Mila gooide een stoel" in html  # what was typed is kept
    assert 'class="error-summary"' in html and 'href="#pupil_name"' in html
    assert "<legend>De leerling</legend>" in html  # the page keeps its fieldset
    _db(app)
    assert Case.select().where(Case.case_type == "schorsing.schorsing").count() == 2  # the demo's

    r = post(client, url, incident_form(), page=url)
    assert r.status_code == 302, r.get_data(as_text=True)
    ref = re.search(r"(SCH-\d{4}-\d{4})", r.headers["Location"]).group(1)
    _db(app)
    case = Case.get(Case.reference == ref)
    assert case.confidential and case.title == "Ernstig incident groep 5b: Mila Kramer"
    assert AuditLog.select().where((AuditLog.action == "case.create") & (AuditLog.case_ref == ref)).exists()
    incident = Incident.get(Incident.case == case.id)
    # When and where come from the register; the teacher who registered it is the reporter.
    assert (incident.occurred_on, incident.occurred_time) == (datetime.date(2026, 3, 9), "11:40")
    assert incident.place == "Gymzaal" and incident.category_label.startswith("Voortdurend")
    assert incident.reported_by.email == "leerkracht@klaverweide.demo"
    assert incident.category_other == ""  # only kept for "anders"
    # The other holders of schorsing.decide hear of it, the reference only.
    mails = list(Outbox.select().where(Outbox.subject.contains(ref)))
    assert all("Mila" not in m.body + m.subject for m in mails)
    # The link shows on both sides, and the teacher does not see the suspension.
    html = client.get(f"{BASE}/zaken/{ref}").get_data(as_text=True)
    assert "Mila Kramer" in html and "Gymzaal" in html and incident_ref in html
    assert ref in client.get(f"{BASE}/zaken/{incident_ref}").get_data(as_text=True)
    assert teacher.get(f"{BASE}/zaken/{ref}").status_code == 404
    assert ref not in teacher.get(f"{BASE}/zaken/{incident_ref}").get_data(as_text=True)


def test_on_its_own_the_start_page_sends_to_the_incident_register(app, client):
    """The old address of "Ernstig incident melden" (a bookmark) starts nothing: it says where
    a suspension begins and links to the incident registration."""
    login(client, "directie")
    r = client.get(f"{BASE}/schorsing/melden")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and 'name="description"' not in html
    assert "Een schorsing begint bij een geregistreerd incident." in html
    assert 'href="/klaverweide/incidenten/melden">Incident melden</a>' in html
    _db(app)
    before = Case.select().count()
    r = post(client, f"{BASE}/schorsing/melden", incident_form(), page=f"{BASE}/schorsing/melden")
    assert r.status_code == 200 and Case.select().count() == before
    # Nor from a case it does not follow: the 404 of a case that does not exist.
    assert client.get(f"{BASE}/schorsing/melden?vanuit=SCH-2026-0001").status_code == 404
    # And the engine refuses it without an origin (an import, a script).
    with db_session(app):
        here = School.get(School.slug == "klaverweide")
        form = api.posted(SuspensionStartForm, incident_form(), school=here)
        with pytest.raises(ValueError):
            api.start_case(here, "schorsing.schorsing", form, None)


def test_nul_refused(client):
    login(client, "directie")
    incident_ref = register_incident(client)
    url = start_url(incident_ref)
    r = post(client, url, incident_form(description="a\x01b"), page=url)
    assert r.status_code == 422 and "ongeldige tekens" in r.get_data(as_text=True)


# ---------------------------------------------------------- suspension route ----


def test_decision_refused_without_board_consultation(client):
    login(client, "directie")
    ref = report_incident(client)
    r = step(client, ref, "schorsing.besluit", {**DECISION, "confirmed": "y"})
    assert r.status_code == 422
    assert "Een schorsing kan pas na overleg met het bestuur." in r.get_data(as_text=True)


@pytest.mark.parametrize("days", ["0", "6", "12", "-1", "drie", ""])
def test_decision_refuses_days_outside_one_to_five(client, days):
    login(client, "directie")
    ref = report_incident(client)
    consult(client, ref)
    r = step(client, ref, "schorsing.besluit", {**DECISION, "days": days})
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert (
        "Een schorsing duurt 1 tot en met 5 aaneengesloten schooldagen." in html
        or "Vul het aantal schooldagen in." in html
    )
    assert "Berekende schorsingsperiode" not in html


def test_first_day_must_be_a_school_day(client):
    login(client, "directie")
    ref = report_incident(client)
    consult(client, ref)
    r = step(client, ref, "schorsing.besluit", {**DECISION, "first_day": "2026-03-14"})
    assert r.status_code == 422
    assert "Zaterdag 14 maart 2026 is geen schooldag (weekend)." in r.get_data(as_text=True)


def test_confirmation_counts_only_for_the_period_shown(app, client):
    login(client, "directie")
    ref = report_incident(client)
    consult(client, ref)
    # Ticking the box straight away (value "y") does not confirm an unseen period.
    r = step(client, ref, "schorsing.besluit", {**DECISION, "confirmed": "y"})
    assert r.status_code == 422
    # Confirming the period of 3 days, then changing to 4 days: shown again.
    days3 = period.token([THURSDAY, datetime.date(2026, 3, 13), datetime.date(2026, 3, 16)])
    r = step(client, ref, "schorsing.besluit", {**DECISION, "days": "4", "confirmed": days3})
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "donderdag 12 maart 2026 tot en met dinsdag 17 maart 2026 (4 schooldagen)" in html
    _db(app)
    assert not Suspension.select().exists()


def test_whole_suspension_route_with_letters(app, client):
    login(client, "directie")
    ref = report_incident(client)
    consult(client, ref)
    r = step(
        client,
        ref,
        "schorsing.horen",
        {"held_on": "2026-03-11", "summary": "Mila en haar vader zijn gehoord."},
    )
    assert r.status_code == 302
    first, second = decide(client, ref)
    assert (
        "Berekende schorsingsperiode: donderdag 12 maart 2026 tot en met maandag 16 maart "
        "2026 (3 schooldagen)"
    ) in first.get_data(as_text=True)
    assert second.status_code == 302, second.get_data(as_text=True)
    _db(app)
    s = Suspension.select().join(Case).where(Case.reference == ref).get()
    assert (s.first_day, s.last_day, s.days) == (THURSDAY, datetime.date(2026, 3, 16), 3)

    letter = pdf_text(client, ref, "schorsing.brief_ouders")
    for fact in (
        "Mila Kramer",
        "Gooien met een stoel naar een klasgenoot.",
        "donderdag 12 maart 2026",
        "maandag 16 maart 2026",
        "Aantal schooldagen 3",
        "De leerkracht mailt dagelijks het weekwerk",
        "dinsdag 17 maart 2026",
        "Uw kind is op dinsdag 17 maart 2026 weer welkom op school.",
        "binnen zes weken",
        "bezwaar",
        "bevoegd gezag",
        "Almeerse Scholen Groep (ASG)",
        "De Klaverweide",
        ref,
    ):
        assert fact in letter, fact
    melding = pdf_text(client, ref, "schorsing.melding_inspectie")
    for fact in (
        "Inspectie van het Onderwijs",
        "De Klaverweide",
        "Mila Kramer (groep 5b)",
        "Gooien met een stoel",
        "donderdag 12 maart 2026",
        "maandag 16 maart 2026",
        "3 schooldagen",
        "overleg met het bestuur op 10 maart 2026",
        "Ingrid Verbeek, clusterdirecteur",
    ):
        assert fact in melding, fact

    r = step(
        client, ref, "schorsing.evaluatie", {"held_on": "2026-03-18", "summary": "Terugkeer verliep rustig."}
    )
    assert r.status_code == 302
    html = client.get(f"{BASE}/zaken/{ref}").get_data(as_text=True)
    for shown in (
        "10 maart 2026 met Ingrid Verbeek, clusterdirecteur",
        "De leerling en de ouders/verzorgers, 11 maart 2026: Mila en haar vader zijn gehoord.",
        "18 maart 2026: Terugkeer verliep rustig.",
    ):
        assert shown in html, shown
    # Longer than one day: closing without the written notice to the inspectie is refused.
    tick(client, ref, "schorsing.brief_ouders")
    r = step(client, ref, "schorsing.afsluiten", {})
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "De zaak kan nog niet worden afgesloten" in html and "Onderwijsinspectie" in html
    tick(client, ref, "schorsing.inspectie")
    # The leerplichtambtenaar too (Leerplichtwet art. 21a), with a letter of its own.
    r = step(client, ref, "schorsing.afsluiten", {})
    assert r.status_code == 422 and "Leerplichtambtenaar geïnformeerd" in r.get_data(as_text=True)
    leerplicht = pdf_text(client, ref, "schorsing.melding_leerplicht")
    for fact in ("leerplichtambtenaar", "Mila Kramer (groep 5b)", "dinsdag 17 maart 2026", "weekwerk"):
        assert fact in leerplicht, fact
    tick(client, ref, "schorsing.leerplicht")
    r = step(client, ref, "schorsing.afsluiten", {})
    assert r.status_code == 302
    _db(app)
    assert Case.get(Case.reference == ref).state == "afgesloten"


def test_one_day_suspension_closes_without_inspectie(app, client):
    login(client, "directie")
    ref = report_incident(client)
    consult(client, ref)
    _, second = decide(client, ref, days="1")
    assert second.status_code == 302
    step(client, ref, "schorsing.evaluatie", {"held_on": "2026-03-13", "summary": "Goed."})
    r = step(client, ref, "schorsing.afsluiten", {})
    assert r.status_code == 422 and "Schorsingsbrief aan de ouders" in r.get_data(as_text=True)
    tick(client, ref, "schorsing.brief_ouders")
    tick(client, ref, "schorsing.leerplicht")
    assert step(client, ref, "schorsing.afsluiten", {}).status_code == 302


def test_a_suspension_case_of_before_without_an_incident_of_the_register_still_runs(app, client):
    """A database from before the register: a suspension case that was its own incident report
    (its place typed, no link) opens, and goes through consultation and decision as before."""
    from portal.cases import engine
    from portal.pupils import link as link_pupil

    with db_session(app):
        here = School.get(School.slug == "klaverweide")
        director = api.User.get(api.User.email == "directie@klaverweide.demo")
        case = engine.create_case(
            here, "schorsing.schorsing", "Ernstig incident groep 5b: Mila Kramer", director
        )
        Case.update(confidential=True).where(Case.id == case.id).execute()
        Incident.create(
            case=case.id,
            pupil_name="Mila Kramer",
            pupil_group="5b",
            occurred_on=datetime.date(2026, 3, 9),
            occurred_time="11:40",
            place="Gang bij de gymzaal",
            category="wapens",
            description="Mila had een mes bij zich.",
            immediate_action="Mes ingenomen.",
            reported_by=director.id,
        )
        link_pupil(case, Pupil.get(Pupil.las_number == MILA), director, "veroorzaker")
        ref = case.reference
    login(client, "directie")
    html = client.get(f"{BASE}/zaken/{ref}").get_data(as_text=True)
    assert "Gang bij de gymzaal" in html and "Het meenemen van wapens" in html
    consult(client, ref)
    _, second = decide(client, ref)
    assert second.status_code == 302, second.get_data(as_text=True)
    _db(app)
    assert Case.get(Case.reference == ref).state == "geschorst"


def test_teacher_and_bestuur_cannot_decide(app, client):
    login(client, "directie")
    ref = report_incident(client)
    consult(client, ref)
    client = as_role(app, "leerkracht")
    assert step(client, ref, "schorsing.besluit", DECISION).status_code == 404
    client = as_role(app, "bestuur")
    # The board sees the case but the suspension is the school's decision.
    assert client.get(f"{BASE}/zaken/{ref}").status_code == 200
    r = step(client, ref, "schorsing.besluit", {**DECISION, "confirmed": "y"})
    assert r.status_code == 422 and "U mag de stap" in r.get_data(as_text=True)


# ----------------------------------------------------------- expulsion route ----


def test_expulsion_only_with_an_accepting_school(app, client, monkeypatch):
    login(client, "directie")
    incident_ref = report_incident(client)
    page = client.get(f"{BASE}/schorsing/verwijdering/nieuw?incident={incident_ref}")
    assert 'value="Mila Kramer"' in page.get_data(as_text=True)  # not typed twice
    r = post(
        client,
        f"{BASE}/schorsing/verwijdering/nieuw",
        {
            "incident": incident_ref,
            "pupil_name": pupil_id(),
            "pupil_group": "5b",
            "grounds": "Herhaald ernstig geweld ondanks schorsing.",
        },
        page=f"{BASE}/schorsing/verwijdering/nieuw",
    )
    assert r.status_code == 302, r.get_data(as_text=True)
    ref = re.search(r"(VRW-\d{4}-\d{4})", r.headers["Location"]).group(1)
    assert f"Het verwijderingstraject is gestart als {ref}." in client.get(r.headers["Location"]).get_data(
        as_text=True
    )
    _db(app)
    incident_case = Case.get(Case.reference == incident_ref)
    assert (
        Expulsion.get(Expulsion.case == Case.get(Case.reference == ref).id).incident_case_id
        == incident_case.id
    )
    assert (
        CaseEvent.select()
        .where(
            (CaseEvent.case == incident_case.id)
            & (CaseEvent.kind == "note")
            & (CaseEvent.text == f"Verwijderingstraject gestart: {ref}.")
        )
        .exists()
    )

    client = as_role(app, "bestuur")
    r = step(
        client,
        ref,
        "schorsing.v_voornemen",
        {"intent_on": "2026-03-20", "intent_text": "De veiligheid van klasgenoten gaat voor."},
    )
    assert r.status_code == 302, r.get_data(as_text=True)
    client = as_role(app, "directie")
    intent = pdf_text(client, ref, "schorsing.voornemen_verwijdering")
    for fact in (
        "voornemen tot verwijdering van Mila Kramer",
        "20 maart 2026",
        "Herhaald ernstig geweld ondanks schorsing.",
        "toelaatbaarheidsverklaring",
    ):
        assert fact in intent, fact
    assert (
        step(
            client,
            ref,
            "schorsing.v_horen_leerkracht",
            {"held_on": "2026-03-23", "summary": "De leerkracht is gehoord."},
        ).status_code
        == 302
    )
    # A toelaatbaarheidsverklaring typed for a regular school is not kept.
    assert (
        step(
            client,
            ref,
            "schorsing.v_school",
            {
                "school_name": " Basisschool De Wilg ",
                "approached_on": "2026-03-24",
                "outcome": "afgewezen",
                "tlv_on": "2026-03-24",
                "tlv_reference": "TLV-1",
            },
        ).status_code
        == 302
    )
    _db(app)
    wilg = SchoolApproach.get(SchoolApproach.school_name == "Basisschool De Wilg")
    assert (wilg.special_education, wilg.tlv_on, wilg.tlv_reference) == (False, None, "")
    assert CaseEvent.select().where(CaseEvent.text == "Contact met Basisschool De Wilg: Afgewezen.").exists()
    # Special education accepted without a toelaatbaarheidsverklaring: refused on the field.
    r = step(
        client,
        ref,
        "schorsing.v_school",
        {
            "school_name": "SO De Brug",
            "approached_on": "2026-03-25",
            "outcome": "geaccepteerd",
            "special_education": "y",
        },
    )
    assert r.status_code == 422 and "toelaatbaarheidsverklaring" in r.get_data(as_text=True)

    client = as_role(app, "bestuur")
    decision = {"decided_on": "2026-04-01", "effective_on": "2026-04-06"}
    r = step(client, ref, "schorsing.v_besluit", decision)
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "de ouders/verzorgers zijn nog niet gehoord" in html
    assert "er is nog geen andere school die de leerling aanneemt" in html

    client = as_role(app, "directie")
    assert (
        step(
            client,
            ref,
            "schorsing.v_horen_ouders",
            {"held_on": "2026-03-26", "summary": "Ouders zijn gehoord."},
        ).status_code
        == 302
    )
    assert (
        step(
            client,
            ref,
            "schorsing.v_school",
            {
                "school_name": "SO De Brug",
                "approached_on": "2026-03-27",
                "outcome": "geaccepteerd",
                "special_education": "y",
                "tlv_on": "2026-03-27",
                "tlv_reference": "TLV-0042",
            },
        ).status_code
        == 302
    )
    # The directie may not take the board's decision.
    r = step(client, ref, "schorsing.v_besluit", decision)
    assert r.status_code == 422 and "U mag de stap" in r.get_data(as_text=True)

    client = as_role(app, "bestuur")
    r = step(client, ref, "schorsing.v_besluit", {**decision, "effective_on": "2026-03-31"})
    assert r.status_code == 422
    assert "Deze datum ligt vóór de datum van het besluit." in r.get_data(as_text=True)
    r = step(client, ref, "schorsing.v_besluit", decision)
    assert r.status_code == 302, r.get_data(as_text=True)
    _db(app)
    expulsion_case = Case.get(Case.reference == ref)
    assert [
        (h.party, h.summary)
        for h in Hearing.select().where(Hearing.case == expulsion_case.id).order_by(Hearing.held_on)
    ] == [("leerkracht", "De leerkracht is gehoord."), ("ouders", "Ouders zijn gehoord.")]

    client = as_role(app, "directie")
    letter = pdf_text(client, ref, "schorsing.besluit_verwijdering")
    for fact in (
        "Mila Kramer",
        "1 april 2026",
        "maandag 6 april 2026",
        "SO De Brug",
        "toelaatbaarheidsverklaring",
        "TLV-0042",
        "binnen zes weken",
        "bezwaar",
        "Herhaald ernstig geweld",
    ):
        assert fact in letter, fact
    # Within the objection period the case stays open (Awb art. 6:7).
    r = step(client, ref, "schorsing.v_afsluiten", {})
    assert r.status_code == 422
    assert (
        "De bezwaartermijn loopt nog tot en met woensdag 13 mei 2026: de zaak kan pas daarna "
        "worden afgesloten, of zodra op een bezwaar is beslist." in r.get_data(as_text=True)
    )
    monkeypatch.setattr(api, "today", lambda: datetime.date(2026, 5, 14))
    r = step(client, ref, "schorsing.v_afsluiten", {})
    assert r.status_code == 422 and "Leerplichtambtenaar" in r.get_data(as_text=True)
    for item in ("schorsing.v_brief", "schorsing.v_inspectie", "schorsing.v_leerplicht"):
        tick(client, ref, item)
    assert step(client, ref, "schorsing.v_afsluiten", {}).status_code == 302


def test_expulsion_start_refuses_an_unknown_or_invisible_incident(app, client):
    login(client, "directie")
    start = f"{BASE}/schorsing/verwijdering/nieuw"
    data = {
        "incident": "SCH-2026-0999",
        "pupil_name": pupil_id(),
        "pupil_group": "5b",
        "grounds": "Herhaald ernstig geweld.",
    }
    r = post(client, start, data, page=start)
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "Er is geen incident met dit kenmerk." in html and 'class="error-summary"' in html
    assert "Herhaald ernstig geweld." in html  # what was typed is kept
    # A reference of another kind of case is no incident either, nor is it prefilled.
    assert 'value="Mila' not in client.get(f"{start}?incident=VRW-2026-0001").get_data(as_text=True)
    _db(app)
    assert not Case.select().where(Case.case_type == "schorsing.verwijdering").exists()
    # Without a reference the route starts on its own.
    r = post(client, start, {**data, "incident": ""}, page=start)
    assert r.status_code == 302 and "/zaken/VRW-" in r.headers["Location"]


def test_every_route_of_the_plugin_with_every_role(app):
    assert access_problems(app, {"reference": "SCH-2026-0001"}, blueprint="schorsing") == []


# ------------------------------------------------------- figures, dashboard ----


def test_figures_per_school_and_for_the_board(app, client):
    login(client, "directie")
    # Two pupils: one pupil's suspensions on the same days would overlap (WPO art. 40c).
    refs = []
    for days, las in (("3", MILA), ("1", "100165")):
        ref = report_incident(client, pupil_name=pupil_id(las))
        consult(client, ref)
        assert decide(client, ref, days=days)[1].status_code == 302
        refs.append(ref)
    longer_ref = refs[0]
    with app.test_request_context(f"{BASE}/"):
        database.connect(reuse_if_open=True)
        school = School.get(School.slug == "klaverweide")
        for target in (school, None):
            figures = {f.name: f for f in reports.figures(school=target, year=2025)}
            assert figures["schorsing.schorsingen"].value == 2
            assert figures["schorsing.schorsingsdagen"].value == 4
            assert figures["schorsing.schorsingen"].rows == (
                ("Voortdurend storend en/of agressief gedrag van de leerling", "2 (4 dagen)"),
            )
            # The three-day suspension's notice to the inspectie is not recorded yet.
            assert figures["schorsing.inspectie"].value == 0
            assert figures["schorsing.inspectie_ontbreekt"].value == 1
            assert figures["schorsing.verwijderingen"].value == 0
        board = {f.name: f for f in reports.figures(school=None, year=2025)}
        assert board["schorsing.per_school"].rows == (
            ("De Klaverweide", "2 schorsingen, 4 dagen, 0 verwijderingen"),
        )
        assert reports.figures(school=school, year=2026)[1].value == 0
        # Counted by the database: at most one statement per figure, as many for a year
        # without cases as for one with.
        real = database.obj.execute_sql
        for year in (2025, 2030):
            seen = []
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(
                    database.obj,
                    "execute_sql",
                    lambda sql, params=None, seen=seen: seen.append(sql) or real(sql, params),
                )
                shown = reports.figures(school=None, year=year)
            assert len(seen) == 4 < len(shown), seen
    # Once the notice is recorded it counts as reported, and no longer as missing.
    tick(client, longer_ref, "schorsing.inspectie")
    with app.test_request_context(f"{BASE}/"):
        database.connect(reuse_if_open=True)
        for target in (School.get(School.slug == "klaverweide"), None):
            figures = {f.name: f for f in reports.figures(school=target, year=2025)}
            assert figures["schorsing.inspectie"].value == 1
            assert figures["schorsing.inspectie_ontbreekt"].value == 0
    client = as_role(app, "bestuur")
    html = client.get(f"{BASE}/jaarcijfers/?jaar=2025&alle=1").get_data(as_text=True)
    assert "Schorsingsdagen in totaal: &lt; 5" in html  # the bestuur's version: below 5 as "< 5"
    assert "De Klaverweide" in html


def test_dashboard_panels_and_demo_data(app, client):
    login(client, "directie")
    html = client.get(f"{BASE}/").get_data(as_text=True)
    assert "Schorsen en verwijderen" in html
    assert re.search(r"Open incidenten</a> <strong>2</strong>", html)  # the demo incidents
    assert "Verwijderingstraject starten" in html
    # The demo's suspensions each follow an incident of the register.
    _db(app)
    for case in Case.select().where(Case.case_type == "schorsing.schorsing"):
        origin = Case.get_by_id(CaseLink.get(CaseLink.follow_up == case.id).case_id)
        assert origin.case_type == "incidenten.incident"
    # The incident register is the one place to report an incident: no menu item of its own.
    for role in ("directie", "leerkracht"):
        html = as_role(app, role).get(f"{BASE}/").get_data(as_text=True)
        menu = html.split('aria-label="Hoofdmenu"')[1].split("</nav>")[0]
        assert "schorsing/melden" not in menu and "Ernstig incident melden" not in html, role
        assert 'href="/klaverweide/incidenten/melden"' in menu, role
    client = as_role(app, "leerkracht")
    html = client.get(f"{BASE}/").get_data(as_text=True)
    assert "Schorsen en verwijderen" not in html
    assert client.get(f"{BASE}/schorsing/verwijdering/nieuw").status_code == 403
