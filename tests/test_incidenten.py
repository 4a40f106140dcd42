"""The incidenten plugin through the Flask test client (CSRF on): the incident registration
by a teacher, refused with clear messages; the Arbeidsinspectie for a staff accident; fysiek
ingrijpen with its evaluation and without punishment; a data breach's 72 hours counted in
clock hours; the toegangsverbod's letters; figures, plan, demo and the access walk."""

import datetime
import io
import re

from pypdf import PdfReader

from plugins.incidenten import reports
from plugins.incidenten.models import Ban
from plugins.incidenten.models import Breach
from plugins.incidenten.models import Incident
from plugins.incidenten.models import Intervention
from portal.dates import school_year_of
from portal.dates import today
from portal.models import Case
from portal.models import CaseChecklistItem
from portal.models import CaseDeadline
from portal.models import CaseDocument
from portal.models import CasePupil
from portal.models import Pupil
from portal.testing import access_problems
from portal.testing import actor
from portal.testing import as_role
from portal.testing import db_session
from portal.testing import school

from .conftest import post

BASE = "/klaverweide"
START = f"{BASE}/incidenten/melden"
INGRIJPEN = f"{BASE}/incidenten/ingrijpen"
DATALEK = f"{BASE}/incidenten/datalek"
VERBOD = f"{BASE}/incidenten/toegangsverbod"
PUPIL_NUMBER = "100003"  # Ilse Koster, groep 1/2a: no demo case is about her


def day(offset=0):
    return (today() + datetime.timedelta(days=offset)).isoformat()


def incident(**changes):
    data = {
        "occurred_on": day(),
        "occurred_time": "10:30",
        "place": "plein",
        "category": "fysiek_geweld",
        "what": "Twee leerlingen vochten bij het klimrek; een schaafwond.",
        "involved_roles": ["leerling"],
        "injury": "licht",
        "measure": "Apart gezet, gesprek gevoerd.",
        "parents_informed": "ja",
        "parents_informed_on": day(),
        "parents_informed_by": "De groepsleerkracht",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def ok(r):
    assert r.status_code in (200, 302), r.get_data(as_text=True)[:3000]
    return r


def reference(r, prefix):
    return re.search(
        rf"({prefix}-\d{{4}}-\d{{4}})", r.get_data(as_text=True) + r.headers.get("Location", "")
    ).group(1)


def latest(app, type_name):
    with db_session(app):
        return Case.select().where(Case.case_type == type_name).order_by(Case.id.desc()).get().reference


def step(client, ref, name, data=None):
    return post(client, f"{BASE}/zaken/{ref}/stap/{name}", data or {}, page=f"{BASE}/zaken/{ref}")


def state(app, ref):
    with db_session(app):
        return Case.get(Case.reference == ref).state


def detail(app, ref, model):
    with db_session(app):
        return model.get(model.case == Case.get(Case.reference == ref).id)


def pdf_text(app, client, ref, name):
    ok(post(client, f"{BASE}/zaken/{ref}/brief/{name}", {}, page=f"{BASE}/zaken/{ref}"))
    with db_session(app):
        doc = (
            CaseDocument.select()
            .join(Case)
            .where((Case.reference == ref) & (CaseDocument.name == name))
            .order_by(CaseDocument.version.desc())
            .get()
        )
    r = client.get(f"{BASE}/zaken/{ref}/document/{doc.id}")
    assert r.status_code == 200 and r.data.startswith(b"%PDF")
    return re.sub(r"\s+", " ", "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(r.data)).pages))


# ------------------------------------------------------------ registration ----


def test_a_teacher_registers_an_incident_and_the_directie_sees_it(app):
    teacher = as_role(app, "leerkracht")
    page = teacher.get(START)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for text in ("Wanneer gebeurde het?", "Schoolplein", "Grove pesterij", "Discriminatie", "Ouder", "Derde"):
        assert text in html
    with db_session(app):
        before = Case.select().where(Case.case_type == "incidenten.incident").count()
    r = ok(post(teacher, START, incident(), page=START))
    assert r.status_code == 302 and r.headers["Location"].endswith("/incidenten/melden")  # then="start"
    ref = latest(app, "incidenten.incident")
    with db_session(app):
        assert Case.select().where(Case.case_type == "incidenten.incident").count() == before + 1
    row = detail(app, ref, Incident)
    assert (row.place, row.category, row.involved, row.injury) == (
        "plein",
        "fysiek_geweld",
        "leerling",
        "licht",
    )
    assert row.parents_informed == "ja" and row.parents_informed_by == "De groepsleerkracht"
    # The starter still sees it; the directie and the IB too; the bestuur has no view permission.
    assert teacher.get(f"{BASE}/zaken/{ref}").status_code == 200
    page = as_role(app, "directie").get(f"{BASE}/zaken/{ref}").get_data(as_text=True)
    assert "Fysiek geweld met letsel" in page and "Schoolplein" in page and "De groepsleerkracht" in page
    assert as_role(app, "ib").get(f"{BASE}/zaken/{ref}").status_code == 200
    assert as_role(app, "ondersteunend").get(f"{BASE}/zaken/{ref}").status_code in (403, 404)


def test_registration_is_refused_with_clear_messages_and_nothing_lost(app):
    teacher = as_role(app, "leerkracht")
    r = post(teacher, START, incident(occurred_on="", place="", what="", category=""), page=START)
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    for message in (
        "Vul in wanneer het gebeurde (de datum).",
        "Kies waar het gebeurde.",
        "Beschrijf kort wat er gebeurde.",
        "Kies wat voor incident het is.",
    ):
        assert message in html
    assert "De groepsleerkracht" in html and "Apart gezet, gesprek gevoerd." in html  # kept
    # A date in the future, discrimination without its ground, an accident without whose.
    r = post(teacher, START, incident(occurred_on=day(2)), page=START)
    assert r.status_code == 422
    r = post(teacher, START, incident(category="discriminatie"), page=START)
    assert r.status_code == 422 and "Kies op grond waarvan is gediscrimineerd." in r.get_data(as_text=True)
    r = post(teacher, START, incident(category="ongeval"), page=START)
    assert r.status_code == 422 and "Kies wie het ongeval had." in r.get_data(as_text=True)
    r = post(teacher, START, incident(involved_roles=[]), page=START)
    assert r.status_code == 422 and "Kies wie erbij betrokken waren." in r.get_data(as_text=True)
    r = post(teacher, START, incident(parents_informed_by=""), page=START)
    assert r.status_code == 422 and "Vul in wie de ouders heeft geïnformeerd." in r.get_data(as_text=True)
    r = post(teacher, START, incident(place="kantine"), page=START)
    assert r.status_code == 422


def test_a_pupil_from_the_register_is_linked_and_the_ground_kept(app):
    with db_session(app):
        pupil = Pupil.get(Pupil.las_number == PUPIL_NUMBER)
    teacher = as_role(app, "leerkracht")
    data = incident(category="discriminatie", discrimination_ground="geslacht", pupil=str(pupil.id))
    ok(post(teacher, START, data, page=START))
    ref = latest(app, "incidenten.incident")
    row = detail(app, ref, Incident)
    assert row.discrimination_ground == "geslacht"
    with db_session(app):
        linked = CasePupil.select().where(CasePupil.case == row.case_id)
        assert [p.pupil_id for p in linked] == [pupil.id]


# --------------------------------------------------------- Arbeidsinspectie ----


def test_a_staff_hospital_admission_demands_the_arbeidsinspectie_and_blocks_closing(app):
    teacher = as_role(app, "leerkracht")
    data = incident(
        category="ongeval",
        victim="personeel",
        injury="ziekenhuis",
        involved_roles=["personeel"],
        what="Collega viel van de trap in de gymzaal.",
        parents_informed="nvt",
        parents_informed_on=None,
        parents_informed_by=None,
        absence_days="12",
    )
    r = post(teacher, START, data, page=START, follow_redirects=True)
    assert r.status_code == 200
    # The teacher reads at once that it must be reported (back on the registration page).
    assert "moet direct worden gemeld bij de Nederlandse Arbeidsinspectie" in r.get_data(as_text=True)
    ref = latest(app, "incidenten.incident")
    row = detail(app, ref, Incident)
    assert row.ai_required and row.absence_days == 12
    with db_session(app):
        item = CaseChecklistItem.get(
            (CaseChecklistItem.case == row.case_id)
            & (CaseChecklistItem.name == "incidenten.arbeidsinspectie")
        )
        assert item.required and item.done_at is None
    director = as_role(app, "directie")
    page = director.get(f"{BASE}/zaken/{ref}").get_data(as_text=True)
    assert "Melden bij de Nederlandse Arbeidsinspectie" in page and "Arbowet art. 9" in page
    # The dashboard warns at once.
    assert "Ongeval nog melden bij de Arbeidsinspectie" in director.get(f"{BASE}/").get_data(as_text=True)
    # Closing is refused until the report is on record.
    r = step(director, ref, "incidenten.afhandelen", {"closing_note": "Klaar."})
    assert r.status_code == 422 and "Arbeidsinspectie" in r.get_data(as_text=True)
    assert state(app, ref) == "geregistreerd"
    r = step(
        director, ref, "incidenten.arbeidsinspectie_gemeld", {"ai_reported_on": day(), "ai_reference": ""}
    )
    assert r.status_code == 422 and "Vul het kenmerk in" in r.get_data(as_text=True)
    ok(
        step(
            director,
            ref,
            "incidenten.arbeidsinspectie_gemeld",
            {"ai_reported_on": day(), "ai_reference": "NLA-123"},
        )
    )
    with db_session(app):
        assert CaseChecklistItem.get_by_id(item.id).done_at is not None
    ok(step(director, ref, "incidenten.afhandelen", {"closing_note": "Klaar."}))
    assert state(app, ref) == "afgehandeld"
    # The register lists it (more than three days of absence, and reported).
    register = director.get(f"{BASE}/incidenten/ongevallen").get_data(as_text=True)
    assert ref in register and "NLA-123" in register and "12 dagen" in register


def test_a_pupil_accident_is_advised_not_required_and_no_arbeidsinspectie(app):
    teacher = as_role(app, "leerkracht")
    data = incident(category="ongeval", victim="leerling", injury="ziekenhuis")
    ok(post(teacher, START, data, page=START))
    ref = latest(app, "incidenten.incident")
    row = detail(app, ref, Incident)
    assert not row.ai_required
    with db_session(app):
        items = {
            i.name: i.required
            for i in CaseChecklistItem.select().where(CaseChecklistItem.case == row.case_id)
        }
    assert items == {"incidenten.ongeval_leerling": False}
    director = as_role(app, "directie")
    r = step(
        director, ref, "incidenten.arbeidsinspectie_gemeld", {"ai_reported_on": day(), "ai_reference": "X"}
    )
    assert r.status_code == 422
    ok(step(director, ref, "incidenten.afhandelen", {"closing_note": "Klaar."}))


# ------------------------------------------------------- fysiek ingrijpen ----


def intervention(app, **changes):
    with db_session(app):
        pupil = Pupil.get(Pupil.las_number == PUPIL_NUMBER)
    data = {
        "occurred_on": day(),
        "occurred_time": "11:05",
        "intervened_by": "Sanne de Vries",
        "pupil_name": str(pupil.id),
        "preceded": "Ruzie bij het buitenspelen.",
        "alternatives": "Aangesproken, time-out aangeboden; de leerling bleef slaan.",
        "ground": "gevaar",
        "duration_minutes": "2",
        "parents_informed": "ja",
        "parents_informed_time": "15:00",
    }
    data.update(changes)
    return data


def test_physical_intervention_as_punishment_is_refused(app):
    teacher = as_role(app, "leerkracht")
    r = post(teacher, INGRIJPEN, intervention(app, ground="straf"), page=INGRIJPEN)
    assert r.status_code == 422
    assert "Fysiek ingrijpen als straf is nooit toegestaan" in r.get_data(as_text=True)
    assert "straf" not in [
        v for v, _ in __import__("plugins.incidenten.choices").incidenten.choices.INTERVENTION_GROUNDS
    ]
    r = post(teacher, INGRIJPEN, intervention(app, alternatives=""), page=INGRIJPEN)
    assert r.status_code == 422 and "welke alternatieven zijn geprobeerd" in r.get_data(as_text=True)
    with db_session(app):
        assert not Intervention.select().where(Intervention.ground == "straf").exists()


def test_a_physical_intervention_closes_only_after_the_evaluation(app):
    teacher = as_role(app, "leerkracht")
    ok(
        post(
            teacher,
            INGRIJPEN,
            intervention(app, parents_informed="nee", parents_informed_time=""),
            page=INGRIJPEN,
        )
    )
    ref = latest(app, "incidenten.ingrijpen")
    with db_session(app):
        case = Case.get(Case.reference == ref)
        deadline = CaseDeadline.get(
            (CaseDeadline.case == case.id) & (CaseDeadline.name == "incidenten.evaluatie")
        )
        assert deadline.due_at is None and deadline.due_date > today()  # five school days, in days
        parents = CaseChecklistItem.get(
            (CaseChecklistItem.case == case.id) & (CaseChecklistItem.name == "incidenten.ouders")
        )
        assert parents.required and parents.done_at is None
    ib = as_role(app, "ib")
    r = step(ib, ref, "incidenten.ingrijpen_afsluiten", {"note": "Klaar."})
    assert r.status_code in (403, 404, 422) and state(app, ref) == "vastgelegd"
    r = step(
        ib,
        ref,
        "incidenten.evalueren",
        {"evaluated_on": day(), "evaluated_with": "Team", "verdict": "ja", "lessons": ""},
    )
    assert r.status_code == 422 and "Schrijf op wat het team ervan leert" in r.get_data(as_text=True)
    ok(
        step(
            ib,
            ref,
            "incidenten.evalueren",
            {
                "evaluated_on": day(),
                "evaluated_with": "Team",
                "verdict": "deels",
                "lessons": "Eerder de klas laten uitwijken.",
            },
        )
    )
    assert state(app, ref) == "geevalueerd"
    # The parents were not yet informed: the required item still blocks closing.
    r = step(ib, ref, "incidenten.ingrijpen_afsluiten", {"note": "Klaar."})
    assert r.status_code == 422 and state(app, ref) == "geevalueerd"
    with db_session(app):
        from portal.cases import engine

        engine.tick(Case.get(Case.reference == ref), "incidenten.ouders", actor("ib"))
    ok(step(ib, ref, "incidenten.ingrijpen_afsluiten", {"note": "Klaar."}))
    assert state(app, ref) == "afgesloten"
    with db_session(app):
        assert CaseDeadline.get_by_id(deadline.id).met_at is not None


def test_a_teacher_does_not_see_anothers_intervention(app):
    ok(post(as_role(app, "directie"), INGRIJPEN, intervention(app), page=INGRIJPEN))
    ref = latest(app, "incidenten.ingrijpen")
    assert as_role(app, "leerkracht").get(f"{BASE}/zaken/{ref}").status_code in (403, 404)
    assert as_role(app, "ib").get(f"{BASE}/zaken/{ref}").status_code == 200


# ------------------------------------------------------------- datalek ----


def last_friday():
    d = today() - datetime.timedelta(days=7)
    while d.weekday() != 4:
        d -= datetime.timedelta(days=1)
    return d


def test_the_72_hours_of_a_breach_are_counted_in_clock_hours_across_a_weekend(app):
    friday = last_friday()
    teacher = as_role(app, "leerkracht")
    data = {
        "discovered_on": friday.isoformat(),
        "discovered_time": "16:30",
        "what": "Een lijst met telefoonnummers lag op het kopieerapparaat.",
        "data_kinds": "Namen en telefoonnummers van ouders van groep 5.",
        "affected_count": "27",
    }
    ok(post(teacher, DATALEK, data, page=DATALEK))
    ref = latest(app, "incidenten.datalek")
    with db_session(app):
        case = Case.get(Case.reference == ref)
        deadline = CaseDeadline.get(
            (CaseDeadline.case == case.id) & (CaseDeadline.name == "incidenten.72uur")
        )
    from portal.dates import local

    due = local(deadline.due_at)
    monday = friday + datetime.timedelta(days=3)
    # Friday 16:30 + 72 clock hours = Monday 16:30 (nights and the weekend count).
    assert (due.date(), due.hour, due.minute) == (monday, 16, 30)
    assert deadline.due_date == monday
    director = as_role(app, "directie")
    page = director.get(f"{BASE}/zaken/{ref}").get_data(as_text=True)
    assert "om 16:30 uur" in page and "te laat" in page  # a week ago: past due
    dashboard = director.get(f"{BASE}/").get_data(as_text=True)
    assert re.search(rf"{ref}: Besluit over melden bij de AP.*?te laat sinds [^<]*16:30", dashboard, re.S)
    # The decision before the FG is informed is not offered; the FG first.
    r = step(
        director,
        ref,
        "incidenten.datalek_besluit",
        {"report_ap": "nee", "ap_reason": "x", "inform_affected": "nee", "affected_reason": "y"},
    )
    assert r.status_code in (403, 404, 422)
    ok(step(director, ref, "incidenten.fg", {"fg_informed_on": day(), "fg_name": "P. Verhoef"}))
    r = step(
        director,
        ref,
        "incidenten.datalek_besluit",
        {
            "report_ap": "ja",
            "ap_reason": "Veel ouders.",
            "inform_affected": "ja",
            "affected_reason": "Brief.",
        },
    )
    assert r.status_code == 422 and "meldnummer van de AP" in r.get_data(as_text=True)
    ok(
        step(
            director,
            ref,
            "incidenten.datalek_besluit",
            {
                "report_ap": "ja",
                "ap_reason": "Veel ouders.",
                "ap_reported_on": day(),
                "ap_reference": "AP-998877",
                "inform_affected": "ja",
                "affected_reason": "Brief.",
            },
        )
    )
    with db_session(app):
        assert CaseDeadline.get_by_id(deadline.id).met_at is not None
    ok(step(director, ref, "incidenten.datalek_afsluiten", {"measures": "Printen alleen nog met pas."}))
    # The bestuur's register lists it, for every school of the board.
    register = as_role(app, "bestuur").get(f"{BASE}/incidenten/datalekken")
    assert register.status_code == 200
    html = register.get_data(as_text=True)
    assert ref in html and "AP-998877" in html
    assert as_role(app, "leerkracht").get(f"{BASE}/incidenten/datalekken").status_code == 403


def test_the_breach_register_shows_another_schools_breaches_only_to_the_board(app):
    """A directie of another school sees its own breaches only; the bestuur sees both."""
    from portal.admin import set_plugin_enabled
    from portal.demo import demo_password
    from portal.models import School
    from portal.models import User
    from portal.models import UserRole
    from portal.passwords import hash_password
    from portal.testing import login

    with db_session(app):
        linde = School.create(slug="de-linde", name="De Linde")
        set_plugin_enabled(linde, "incidenten", True)
        boss = User.create(
            email="directie@delinde.demo", name="Daan Eik", password_hash=hash_password(demo_password())
        )
        UserRole.create(user=boss, school=linde, role="directie")
        ours = Case.select().where(Case.case_type == "incidenten.datalek").first().reference
    other = app.test_client()
    assert login(other, "directie@delinde.demo").status_code == 302
    r = other.get("/de-linde/incidenten/datalekken")
    assert r.status_code == 200 and ours not in r.get_data(as_text=True)
    assert other.get(f"{BASE}/incidenten/datalekken").status_code in (403, 404)
    board = as_role(app, "bestuur").get("/de-linde/incidenten/datalekken").get_data(as_text=True)
    assert ours in board and "De Klaverweide" in board and "De Linde" in board


def test_a_deadline_in_hours_from_a_start_near_midnight_and_days_deadlines_unchanged(app):
    """A breach discovered Sunday 23:00 is due Wednesday 23:00 (its due_date the Wednesday)."""
    sunday = last_friday() + datetime.timedelta(days=2)
    teacher = as_role(app, "leerkracht")
    data = {
        "discovered_on": sunday.isoformat(),
        "discovered_time": "23:00",
        "what": "Laptop verloren.",
        "data_kinds": "Leerlingdossiers.",
    }
    ok(post(teacher, DATALEK, data, page=DATALEK))
    ref = latest(app, "incidenten.datalek")
    with db_session(app):
        d = CaseDeadline.get(CaseDeadline.case == Case.get(Case.reference == ref).id)
        assert d.due_date == sunday + datetime.timedelta(days=3)
        # Every deadline in days keeps due_at empty.
        assert (
            not CaseDeadline.select()
            .where(CaseDeadline.due_at.is_null(False) & (CaseDeadline.name != "incidenten.72uur"))
            .exists()
        )


def test_a_breach_discovered_in_the_future_is_refused(app):
    teacher = as_role(app, "leerkracht")
    data = {"discovered_on": day(), "discovered_time": "23:59", "what": "x", "data_kinds": "y"}
    r = post(teacher, DATALEK, {**data, "discovered_on": day(1)}, page=DATALEK)
    assert r.status_code == 422
    r = post(teacher, DATALEK, {**data, "discovered_time": ""}, page=DATALEK)
    assert r.status_code == 422 and "de 72 uur tellen vanaf dan" in r.get_data(as_text=True)


# ------------------------------------------------------ toegangsverbod ----


def test_an_access_ban_goes_from_intention_to_decision_with_both_letters(app):
    director = as_role(app, "directie")
    data = {
        "parent_name": "K. de Wit",
        "parent_address": "Dorpsstraat 1\n1234 AB Almere",
        "occurred_on": day(-3),
        "what": "De ouder duwde een leerkracht tegen de muur.",
        "police": "y",
        "police_note": "",
    }
    r = post(director, VERBOD, data, page=VERBOD)
    assert r.status_code == 422 and "Vul in wat er met de politie is gebeurd." in r.get_data(as_text=True)
    ok(post(director, VERBOD, {**data, "police_note": "Aangifte gedaan, pv 2026-123."}, page=VERBOD))
    ref = latest(app, "incidenten.toegangsverbod")
    ok(
        step(
            director, ref, "incidenten.tv_gesprek", {"talk_on": day(-2), "talk_summary": "Geen verbetering."}
        )
    )
    ok(
        step(
            director,
            ref,
            "incidenten.tv_voornemen",
            {
                "intention_on": day(-1),
                "intention_reasons": "Geweld tegen een medewerker.",
                "view_until": day(5),
            },
        )
    )
    text = pdf_text(app, director, ref, "incidenten.voornemen")
    assert "Voornemen tot een toegangsverbod" in text and "zienswijze" in text and "K. de Wit" in text
    # No decision before the parent's view was heard.
    r = step(director, ref, "incidenten.tv_besluit", {})
    assert r.status_code in (403, 404, 422)
    ok(
        step(
            director,
            ref,
            "incidenten.tv_zienswijze",
            {"view_on": day(), "view_summary": "De ouder betreurt het."},
        )
    )
    decision = {
        "board_on": day(),
        "board_with": "M. Jansen, bestuurder",
        "decided_on": day(),
        "reasons": "De veiligheid van het personeel.",
        "scope": ["gebouw", "plein"],
        "ban_from": day(1),
        "ban_until": day(-5),
        "information": "De ouder krijgt de nieuwsbrief en het rapport per post; "
        "gesprekken op het bestuurskantoor.",
    }
    r = step(director, ref, "incidenten.tv_besluit", decision)
    assert r.status_code == 422 and "De einddatum ligt vóór de ingangsdatum." in r.get_data(as_text=True)
    ok(step(director, ref, "incidenten.tv_besluit", {**decision, "ban_until": day(60)}))
    row = detail(app, ref, Ban)
    assert row.scope == "gebouw,plein" and row.police
    with db_session(app):
        due = CaseDeadline.get(
            (CaseDeadline.case == row.case_id) & (CaseDeadline.name == "incidenten.tv_evaluatie")
        )
        assert due.due_date == row.ban_until  # evaluated before the end date
    text = pdf_text(app, director, ref, "incidenten.besluit")
    for part in (
        "De veiligheid van het personeel.",
        "Het schoolgebouw, Het schoolplein",
        "nieuwsbrief en het rapport",
        "binnen zes weken",
        "bezwaar",
        "bevoegd gezag",
        "Postbus 100",
    ):
        assert part in text, part
    ok(step(director, ref, "incidenten.tv_evalueren", {"evaluated_on": day(), "evaluation": "Rustig."}))
    ok(step(director, ref, "incidenten.tv_opheffen", {"lifted_on": day(), "lifted_note": ""}))
    assert state(app, ref) == "opgeheven"


# ------------------------------------------------------------ follow-ups ----


def test_follow_ups_start_from_an_incident_and_the_link_shows_on_both_sides(app):
    """Schorsing, meldcode, trauma and a complaint of the school follow an incident (their
    ``Start.follows``)."""
    with db_session(app):
        pupil = Pupil.get(Pupil.las_number == PUPIL_NUMBER)
    ok(post(as_role(app, "leerkracht"), START, incident(pupil=str(pupil.id)), page=START))
    ref = latest(app, "incidenten.incident")
    director = as_role(app, "directie")
    page = director.get(f"{BASE}/zaken/{ref}").get_data(as_text=True)
    assert "Een vervolg starten" in page
    for path in (
        "schorsing/melden",
        "meldcode/zorg",
        "trauma/melden",
        "incidenten/ingrijpen",
        "incidenten/toegangsverbod",
        "klachten/vastleggen",
    ):
        assert f"/klaverweide/{path}?vanuit={ref}" in page, path
    # The suspension's start, opened from the incident, knows its pupil.
    suspension = director.get(f"{BASE}/schorsing/melden?vanuit={ref}")
    assert suspension.status_code == 200 and "Ilse Koster" in suspension.get_data(as_text=True)
    # Fysiek ingrijpen from the incident: its date, what happened and the pupil filled in.
    url = f"{INGRIJPEN}?vanuit={ref}"
    form = director.get(url).get_data(as_text=True)
    assert "Twee leerlingen vochten bij het klimrek" in form and "Ilse Koster" in form
    ok(post(director, url, intervention(app), page=url))
    follow = latest(app, "incidenten.ingrijpen")
    # A meldcode file from the same incident (the other plugin's start, linked by the core).
    url = f"{BASE}/meldcode/zorg?vanuit={ref}"
    concern = {
        "pupil_name": str(pupil.id),
        "signalled_on": day(),
        "signals": "Blauwe plekken.",
        "contra_signals": "Geen.",
        "source": "eigen_waarneming",
        "considerations": "Zorgen.",
    }
    ok(post(director, url, concern, page=url))
    dossier = latest(app, "meldcode.dossier")
    page = director.get(f"{BASE}/zaken/{ref}").get_data(as_text=True)
    assert follow in page and dossier in page
    assert ref in director.get(f"{BASE}/zaken/{follow}").get_data(as_text=True)
    assert ref in director.get(f"{BASE}/zaken/{dossier}").get_data(as_text=True)
    # The teacher who registered the incident does not see the confidential follow-ups there.
    page = as_role(app, "leerkracht").get(f"{BASE}/zaken/{ref}").get_data(as_text=True)
    assert follow not in page and dossier not in page


# ------------------------------------------------ figures, plan, demo, access ----


def test_the_demo_year_and_the_figures_are_counts_only(app):
    year = school_year_of(today())
    with db_session(app):
        here = school()
        n = Incident.select().count()
        assert 38 <= n <= 45
        assert len({i.category for i in Incident.select()}) >= 10
        assert Intervention.select().count() >= 1 and Breach.select().count() >= 1
        figures = {f.name: f for f in reports.figures(here, year) + reports.figures(here, year - 1)}
    assert {
        "incidenten.per_categorie",
        "incidenten.per_plek",
        "incidenten.per_maand",
        "incidenten.ingrijpen",
        "incidenten.toegangsverboden",
        "incidenten.ongevallen",
        "incidenten.datalekken",
    } <= set(figures)
    director = as_role(app, "directie")
    page = director.get(f"{BASE}/jaarcijfers/?jaar={year}")
    assert page.status_code == 200, page.status_code
    html = page.get_data(as_text=True)
    assert "Incidenten per categorie (OCW)" in html and "Fysiek ingrijpen, per grond" in html


def test_the_plan_sections(app):
    html = as_role(app, "leerkracht").get(f"{BASE}/veiligheidsplan/").get_data(as_text=True)
    assert "Fysieke maatregelen als straf zijn nooit toegestaan" in html
    assert "Arbowet art. 9" in html and "bezwaar" in html


def test_every_route_with_every_role(app):
    with db_session(app):
        ref = Case.select().where(Case.case_type == "incidenten.incident").first().reference
    assert access_problems(app, {"reference": ref}, blueprint="incidenten") == []
