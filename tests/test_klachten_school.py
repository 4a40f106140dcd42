"""A complaint the school records itself (``CaseType.more_starts``): from an incident's page,
linked to it on both sides, or on its own for a complaint made orally; the route of a
complaint from the parents' form stays as it was (receipt deadline, first contact)."""

from plugins.klachten.models import Klacht
from portal import api
from portal.models import Case
from portal.models import CaseDeadline
from portal.models import CaseExclusion
from portal.models import CaseLink
from portal.models import Outbox
from portal.models import Pupil
from portal.testing import access_problems
from portal.testing import as_role
from portal.testing import db_session
from portal.testing import school

from .conftest import post
from .test_incidenten import BASE
from .test_incidenten import PUPIL_NUMBER
from .test_incidenten import START as INCIDENT_START
from .test_incidenten import incident
from .test_incidenten import latest
from .test_incidenten import ok
from .test_klachten_route import letter

START = f"{BASE}/klachten/vastleggen"
LABEL = "Klacht van de school vastleggen"


def complaint(**changes):
    data = {
        "complaint_source": "school",
        "category": "agressie",
        "what_happened": "Een ouder schold de pleinwacht uit bij het hek.",
        "happened_when": "Vanochtend",
        "hoped_for": "Een gesprek met de ouder.",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def registered_incident(app):
    with db_session(app):
        pupil = Pupil.get(Pupil.las_number == PUPIL_NUMBER)
    ok(post(as_role(app, "leerkracht"), INCIDENT_START, incident(pupil=str(pupil.id)), page=INCIDENT_START))
    return latest(app, "incidenten.incident")


def test_a_complaint_of_the_school_starts_from_an_incident_and_the_link_shows_on_both_sides(app):
    ref = registered_incident(app)
    director = as_role(app, "directie")
    page = director.get(f"{BASE}/zaken/{ref}").get_data(as_text=True)
    url = f"{START}?vanuit={ref}"
    assert LABEL in page and f'href="{url}"' in page
    form = director.get(url)
    html = form.get_data(as_text=True)
    # What the register knows is filled in: what happened, and the incident's pupil.
    assert form.status_code == 200 and "Twee leerlingen vochten bij het klimrek" in html
    assert "Ilse Koster" in html and f'als vervolg op <a href="/klaverweide/zaken/{ref}">{ref}</a>' in html
    with db_session(app):
        api.set_setting(school(), "klachten.notify_email", "klachten@klaverweide.demo")
    r = post(director, url, complaint(), page=url)
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    kl = latest(app, "klachten.klacht")
    assert r.headers["Location"].endswith(f"/zaken/{kl}")
    with db_session(app):
        case = Case.get(Case.reference == kl)
        origin = Case.get(Case.reference == ref)
        assert CaseLink.get(CaseLink.follow_up == case.id).case_id == origin.id
        assert case.confidential and case.state == "ontvangen" and case.title == "Klacht: agressie en geweld"
        detail = Klacht.get(Klacht.case == case.id)
        assert detail.contact_name == "De Klaverweide (vastgelegd door Ruben Hoekstra)"
        assert detail.what_happened.startswith("Een ouder schold")
        # The legal route is the same as for a parent's complaint: receipt within the term.
        names = {d.name for d in CaseDeadline.select().where(CaseDeadline.case == case.id)}
        assert {"klachten.ontvangst", "klachten.lang_open"} <= names
        # The contactpersoon hears of it, the reference only; the directie recorded it.
        mails = list(Outbox.select().where(Outbox.subject == f"Nieuwe klacht vastgelegd ({kl})"))
        assert sorted(m.to for m in mails) == ["contactpersoon@klaverweide.demo", "klachten@klaverweide.demo"]
        assert "schold" not in mails[0].body
    # Both pages list the other case.
    assert kl in director.get(f"{BASE}/zaken/{ref}").get_data(as_text=True)
    own = director.get(f"{BASE}/zaken/{kl}").get_data(as_text=True)
    assert ref in own
    # The school's own complaint: no question about earlier conversations, and no receipt
    # letter from the school to itself (offered nor made).
    assert "Ingediend door</dt><dd>de school zelf" in own and "Al gesproken met" not in own
    assert "klachten.ontvangstbevestiging" not in own
    letter = f"{BASE}/zaken/{kl}/brief/klachten.ontvangstbevestiging"
    r = post(director, letter, page=f"{BASE}/zaken/{kl}")
    with db_session(app):
        made = api.CaseDocument.select().where(api.CaseDocument.case == Case.get(Case.reference == kl))
        assert not made.exists()
    assert r.status_code == 302, r.status_code
    # The route goes on as usual: the first contact meets the receipt deadline.
    step = f"{BASE}/zaken/{kl}/stap/klachten.in_behandeling"
    data = {"contact_on": "2026-03-09", "contact_how": "telefoon", "contact_note": "Gebeld."}
    ok(post(director, step, data, page=f"{BASE}/zaken/{kl}"))
    with db_session(app):
        case = Case.get(Case.reference == kl)
        receipt = CaseDeadline.get(
            (CaseDeadline.case == case.id) & (CaseDeadline.name == "klachten.ontvangst")
        )
        assert receipt.met_at is not None
    # The teacher who registered the incident sees neither the complaint nor the way to it.
    page = as_role(app, "leerkracht").get(f"{BASE}/zaken/{ref}").get_data(as_text=True)
    assert kl not in page and LABEL not in page


def test_only_who_handles_complaints_records_one_and_an_oral_complaint_names_its_complainant(app):
    for role in ("leerkracht", "ib", "bestuur"):
        assert as_role(app, role).get(START).status_code in (403, 404), role
    # The ib sees the incident, but may not start a complaint from it.
    ref = registered_incident(app)
    page = as_role(app, "ib").get(f"{BASE}/zaken/{ref}").get_data(as_text=True)
    assert LABEL not in page
    person = as_role(app, "contactpersoon")
    r = post(person, START, complaint(complaint_source="mondeling", what_happened=""), page=START)
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "Vul de naam in van wie mondeling klaagde." in html and "Beschrijf wat er is gebeurd." in html
    data = complaint(
        complaint_source="mondeling",
        contact_name="Mevrouw Jansen",
        contact_phone="06-12345678",
        category="medewerker",
        staff_named="Sanne de Boer",
    )
    r = post(person, START, data, page=START)
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    kl = latest(app, "klachten.klacht")
    with db_session(app):
        case = Case.get(Case.reference == kl)
        assert Klacht.get(Klacht.case == case.id).contact_name == "Mevrouw Jansen"
        assert Klacht.get(Klacht.case == case.id).complaint_source == "mondeling"
        assert not CaseLink.select().where(CaseLink.follow_up == case.id).exists()
        # The staff member it names is shut out at once, as on the parents' form.
        shut_out = [e.user.email for e in CaseExclusion.select().where(CaseExclusion.case == case.id)]
        assert shut_out == ["leerkracht@klaverweide.demo"]
    assert as_role(app, "leerkracht").get(f"{BASE}/zaken/{kl}").status_code == 404
    # An oral complaint says so on its page and gets its receipt letter, to the complainant,
    # which sends them to no follow-up page (they have no code: they used no form).
    page = person.get(f"{BASE}/zaken/{kl}").get_data(as_text=True)
    assert "mondeling of telefonisch, vastgelegd door de school" in page and "Al gesproken met" not in page
    text = letter(app, person, kl, "klachten.ontvangstbevestiging")
    assert "Aan Mevrouw Jansen" in text and f"noem het kenmerk {kl}" in text
    assert "geheime code" not in text and "volgpagina" not in text
    # The klachten panel offers the page.
    assert f'href="{START}"' in person.get(f"{BASE}/").get_data(as_text=True)


def test_every_route_of_klachten_with_every_role(app):
    with db_session(app):
        ref = Case.select().where(Case.case_type == "klachten.klacht").order_by(Case.id).get().reference
    assert access_problems(app, {"reference": ref, "user_id": 1}, blueprint="klachten") == []
