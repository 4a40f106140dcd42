"""The meldcode plugin through the Flask test client (CSRF on): the start by a teacher, who
sees the confidential file and who never finds it, the five steps with their rules, help
with a term, going back a step, the letters read back from the PDF, the figures, retention
and the demo."""

import datetime
import io
import re

import pytest
from pypdf import PdfReader

from plugins.meldcode import reports
from plugins.meldcode.models import BoardContact
from plugins.meldcode.models import Consultation
from plugins.meldcode.models import Conversation
from plugins.meldcode.models import Dossier
from plugins.meldcode.models import Signal
from plugins.meldcode.models import VeiligThuisAdvice
from plugins.meldcode.models import Weighing
from portal.dates import local
from portal.dates import school_year_of
from portal.dates import today
from portal.models import AuditLog
from portal.models import Case
from portal.models import CaseChecklistItem
from portal.models import CaseDeadline
from portal.models import CaseDocument
from portal.models import CaseEvent
from portal.models import CasePupil
from portal.models import Outbox
from portal.models import Pupil
from portal.models import School
from portal.models import User
from portal.models import UserRole
from portal.testing import access_problems
from portal.testing import actor
from portal.testing import as_role
from portal.testing import db_session

from .conftest import login
from .conftest import post

BASE = "/klaverweide"
START = f"{BASE}/meldcode/zorg"
# A pupil of the demo register whom no demo case is about (the chronology test expects a
# 404 for whoever may not see the file).
PUPIL_NUMBER = "100003"  # Ilse Koster, groep 1/2a
PUPIL = "Ilse Koster"


def day(offset=0):
    return (today() + datetime.timedelta(days=offset)).isoformat()


def pupil_id(app):
    with db_session(app):
        return Pupil.get(Pupil.las_number == PUPIL_NUMBER).id


def concern(app, **changes):
    return {
        "pupil_name": str(pupil_id(app)),
        "signalled_on": day(-2),
        "signals": "Daan heeft blauwe plekken op zijn bovenarm en wil niet naar huis.",
        "contra_signals": "Hij speelt ontspannen in de pauze.",
        "source": "eigen_waarneming",
        "considerations": "Ik maak me zorgen; het is de derde keer deze maand.",
        **changes,
    }


def start(app, client, **changes):
    r = post(client, START, concern(app, **changes), page=START)
    assert r.status_code == 302, r.get_data(as_text=True)
    return re.search(r"(MC-\d{4}-\d{4})", r.headers["Location"]).group(1)


def step(client, ref, name, data=None):
    return post(client, f"{BASE}/zaken/{ref}/stap/{name}", data or {}, page=f"{BASE}/zaken/{ref}")


def ok(response):
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]


def state(app, ref):
    with db_session(app):
        return Case.get(Case.reference == ref).state


def consultation_form():
    # Made when asked: a date written at import is yesterday's in a run that passes midnight.
    return {
        "held_on": day(-1),
        "with_whom": "Hatice Demir, aandachtsfunctionaris",
        "summary": "De signalen passen bij lichamelijke mishandeling.",
        "decisions": "Gesprek met de ouders en Daan.",
    }


def conversation_form():
    return {
        "held_on": day(0),
        "with_parents": "y",
        "with_child": "y",
        "summary": "Moeder vertelt over spanningen thuis.",
        "outcome": "blijft",
    }


def weighing(**answers):
    data = {"weighed_on": day(0), "strong": "nee"}
    for n in range(1, 6):
        key = f"q{n}"
        data[key] = answers.get(key, "nee" if n == 2 else "ja")
        data[f"{key}_note"] = f"Toelichting bij vraag {n}."
    data.update({k: v for k, v in answers.items() if not k.startswith("q")})
    return data


def board_form():
    return {"held_on": day(0), "with_whom": "Ingrid Verbeek, clusterdirecteur", "note": "Besproken."}


def report_form():
    return {
        "reported_on": day(0),
        "reported_to": "J. de Vries, Veilig Thuis Flevoland",
        "reported_what": "Zorgen over lichamelijke mishandeling van Daan.",
        "vt_reference": "VT-2026-4711",
    }


def help_form():
    return {
        "help_agreements": "Opvoedondersteuning door het wijkteam, wekelijks.",
        "help_with": "De ouders en het wijkteam.",
        "help_term": day(21),
        "help_effect": "Geen nieuwe blauwe plekken; Daan gaat graag naar huis.",
    }


def to_weighed(app, ref, **answers):
    """Steps 2, 3 and 4 as the intern begeleider takes them."""
    ib = as_role(app, "ib")
    ok(step(ib, ref, "meldcode.consultatie", consultation_form()))
    ok(step(ib, ref, "meldcode.gesprek", conversation_form()))
    ok(step(ib, ref, "meldcode.wegen", weighing(**answers)))
    assert state(app, ref) == "gewogen"
    return ib


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


def second_teacher(app):
    """Another teacher of the school: not the one who raised the concern."""
    with db_session(app):
        other = User.create(email="leerkracht2@klaverweide.demo", name="Bas Kramer", password_hash=_hash())
        UserRole.create(user=other, school=School.get(School.slug == "klaverweide"), role="leerkracht")
    client = app.test_client()
    assert login(client, "leerkracht2@klaverweide.demo").status_code == 302
    return client


def _hash():
    from portal.demo import demo_password
    from portal.passwords import hash_password

    return hash_password(demo_password())


# -------------------------------------------------------------- the start ----


def test_teacher_records_a_concern_about_a_pupil_from_the_register(app):
    teacher = as_role(app, "leerkracht")
    page = teacher.get(START).get_data(as_text=True)
    assert "Zorg over de thuissituatie" in page and "Welke signalen spreken dit tegen?" in page
    # The menu offers it to every staff member of the school.
    assert 'href="/klaverweide/meldcode/zorg"' in teacher.get(f"{BASE}/").get_data(as_text=True)

    ref = start(app, teacher)
    with db_session(app):
        case = Case.get(Case.reference == ref)
        dossier = Dossier.get(Dossier.case == case.id)
        assert case.confidential and case.state == "gesignaleerd"
        assert case.title == f"Zorg over de thuissituatie: {PUPIL}"
        assert dossier.pupil_name == PUPIL and dossier.source_label == "Eigen waarneming"
        assert dossier.contra_signals == "Hij speelt ontspannen in de pauze."
        assert dossier.reported_by.email == "leerkracht@klaverweide.demo"
        link = CasePupil.get(CasePupil.case == case.id)
        assert link.pupil.las_number == PUPIL_NUMBER and link.role == "betrokken"
        assert (
            AuditLog.select().where((AuditLog.action == "case.create") & (AuditLog.case_ref == ref)).exists()
        )
        # The aandachtsfunctionaris, IB and directie are told: the reference, never the child.
        told = {m.to for m in Outbox.select().where(Outbox.case == case.id)}
        assert told == {
            "aandachtsfunctionaris@klaverweide.demo",
            "ib@klaverweide.demo",
            "directie@klaverweide.demo",
        }
        assert all("Daan" not in m.subject + m.body for m in Outbox.select().where(Outbox.case == case.id))

    # The opener keeps seeing the file (and takes no steps); the view is audited.
    html = teacher.get(f"{BASE}/zaken/{ref}").get_data(as_text=True)
    assert "blauwe plekken" in html and "Volgende stap" not in html
    with db_session(app):
        assert (
            AuditLog.select()
            .where(
                (AuditLog.action == "case.view")
                & (AuditLog.case_ref == ref)
                & (AuditLog.user_email == "leerkracht@klaverweide.demo")
            )
            .exists()
        )


def test_start_refused_without_pupil_contra_signals_or_source_explained(app):
    teacher = as_role(app, "leerkracht")
    r = post(
        teacher,
        START,
        concern(app, pupil_name="", contra_signals="", source="anders", source_detail=""),
        page=START,
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "Zoek en kies de leerling om wie het gaat." in html
    assert "Beschrijf ook wat de zorg tegenspreekt" in html
    assert "Licht toe van wie of waar de signalen komen." in html
    assert "wil niet naar huis" in html  # what was typed is kept
    r = post(teacher, START, concern(app, signalled_on=day(3)), page=START)
    assert r.status_code == 422 and "Deze datum ligt in de toekomst." in r.get_data(as_text=True)
    with db_session(app):
        assert Case.select().where(Case.case_type == "meldcode.dossier").count() == 2  # the demo's


def test_bestuur_and_beheerder_cannot_start_one(app):
    for role in ("bestuur", "beheerder"):
        assert as_role(app, role).get(START).status_code == 403


# --------------------------------------------------------- confidentiality ----


def listed(client, query=""):
    r = client.get(f"{BASE}/zaken/{query}")
    assert r.status_code == 200
    # The rows' links (the search box repeats what was searched for).
    return set(re.findall(r'<a href="/klaverweide/zaken/(MC-\d{4}-\d{4})">', r.get_data(as_text=True)))


def test_nobody_else_finds_the_file_anywhere(app):
    teacher = as_role(app, "leerkracht")
    ref = start(app, teacher)
    to_weighed(app, ref)
    pid = pupil_id(app)
    others = {
        "een andere leerkracht": second_teacher(app),
        "bestuur": as_role(app, "bestuur"),
        "contactpersoon": as_role(app, "contactpersoon"),
        "ondersteunend": as_role(app, "ondersteunend"),
        "beheerder": as_role(app, "beheerder"),
    }
    with db_session(app):
        doc_ref = f"{BASE}/zaken/{ref}"
    for who, client in others.items():
        # The case page, its actions and its documents: 404, as for a case that does not exist.
        assert client.get(doc_ref).status_code == 404, who
        assert step(client, ref, "meldcode.bestuur", board_form()).status_code == 404, who
        assert post(client, f"{doc_ref}/notitie", {"text": "x"}).status_code == 404, who
        # Not in the list, not found by searching for the reference, not on the dashboard.
        assert ref not in listed(client), who
        assert ref not in listed(client, f"?q={ref}&open=0"), who
        assert ref not in listed(client, "?soort=meldcode.dossier&open=0"), who
        dash = client.get(f"{BASE}/")
        assert dash.status_code in (200, 403) and ref not in dash.get_data(as_text=True), who
        # Not in the child's chronology: the page is 404 when nothing else is visible.
        chron = client.get(f"{BASE}/leerlingen/{pid}")
        assert chron.status_code == 404 or ref not in chron.get_data(as_text=True), who
        assert chron.status_code == 404, who
        # The figures never carry names, and not this child's.
        figures = client.get(f"{BASE}/jaarcijfers/?jaar={school_year_of(today())}")
        assert figures.status_code in (200, 403), who
        assert PUPIL not in figures.get_data(as_text=True) and ref not in figures.get_data(as_text=True)
    board_wide = others["bestuur"].get(f"{BASE}/jaarcijfers/?jaar={school_year_of(today())}&alle=1")
    assert board_wide.status_code == 200 and PUPIL not in board_wide.get_data(as_text=True)

    # The care roles and the opener do find it: list, search, chronology.
    for role in ("aandachtsfunctionaris", "ib", "directie", "leerkracht"):
        client = teacher if role == "leerkracht" else as_role(app, role)
        assert client.get(doc_ref).status_code == 200, role
        assert ref in listed(client), role
        assert ref in listed(client, f"?q={ref}"), role
        assert ref in client.get(f"{BASE}/leerlingen/{pid}").get_data(as_text=True), role

    # Every denied look is audited, with the reference only.
    with db_session(app):
        denied = AuditLog.select().where(
            (AuditLog.action == "case.view") & (AuditLog.outcome == "denied") & (AuditLog.detail == ref)
        )
        assert denied.count() >= len(others)


def test_an_excluded_opener_loses_sight(app):
    from portal.cases import engine

    teacher = as_role(app, "leerkracht")
    ref = start(app, teacher)
    with db_session(app):
        case = Case.get(Case.reference == ref)
        case.school = School.get(School.slug == "klaverweide")
        engine.exclude(case, User.get(User.email == "leerkracht@klaverweide.demo"), actor("directie"))
    assert teacher.get(f"{BASE}/zaken/{ref}").status_code == 404
    assert ref not in listed(teacher)


def test_every_route_with_every_role(app):
    ref = start(app, as_role(app, "leerkracht"))
    assert access_problems(app, {"reference": ref}, blueprint="meldcode") == []


# -------------------------------------------------------------- the steps ----


def test_each_step_refused_out_of_order(app):
    ref = start(app, as_role(app, "leerkracht"))
    director = as_role(app, "directie")
    for name, data in (
        ("meldcode.gesprek", conversation_form()),
        ("meldcode.geen_gesprek", {"not_held_reason": "veiligheid_kind", "not_held_explanation": "x"}),
        ("meldcode.wegen", weighing()),
        ("meldcode.bestuur", board_form()),
        ("meldcode.melden", report_form()),
        ("meldcode.hulp", help_form()),
        ("meldcode.weggenomen", {"removed_reason": "x"}),
        ("meldcode.effect_ja", {"effect_on": day(0), "effect_note": "x"}),
        ("meldcode.alsnog_melden", report_form()),
    ):
        r = step(director, ref, name, data)
        assert r.status_code == 422, name
        assert "kan niet vanuit de status ‘Stap 1: signalen vastgelegd’" in r.get_data(as_text=True), name
    ok(step(director, ref, "meldcode.consultatie", consultation_form()))
    for name, data in (("meldcode.wegen", weighing()), ("meldcode.melden", report_form())):
        assert step(director, ref, name, data).status_code == 422, name
    ok(step(director, ref, "meldcode.gesprek", conversation_form()))
    assert step(director, ref, "meldcode.melden", report_form()).status_code == 422
    assert state(app, ref) == "gesproken"
    with db_session(app):
        refused = AuditLog.select().where(
            (AuditLog.action == "case.transition")
            & (AuditLog.outcome == "refused")
            & (AuditLog.case_ref == ref)
        )
        assert refused.count() == 12


def test_each_step_refused_to_the_wrong_role(app):
    teacher = as_role(app, "leerkracht")
    ref = start(app, teacher)
    # The opener sees the file but takes no step.
    r = step(teacher, ref, "meldcode.consultatie", consultation_form())
    assert r.status_code == 422 and "U mag de stap" in r.get_data(as_text=True)
    af = as_role(app, "aandachtsfunctionaris")
    ok(step(af, ref, "meldcode.consultatie", consultation_form()))
    # Step 3 is held by directie or IB (the plan names them), not by the aandachtsfunctionaris.
    r = step(af, ref, "meldcode.gesprek", conversation_form())
    assert r.status_code == 422 and "U mag de stap ‘Stap 3: gesprek met ouders en kind vastleggen’" in (
        r.get_data(as_text=True)
    )
    # "Not held" needs the directie, and a reason.
    ib = as_role(app, "ib")
    not_held = {"not_held_reason": "veiligheid_kind", "not_held_explanation": "Vader dreigde."}
    assert step(ib, ref, "meldcode.geen_gesprek", not_held).status_code == 422
    director = as_role(app, "directie")
    r = step(director, ref, "meldcode.geen_gesprek", {"not_held_explanation": "Vader dreigde."})
    assert r.status_code == 422 and "Kies de reden" in r.get_data(as_text=True)
    ok(step(director, ref, "meldcode.geen_gesprek", not_held))
    ok(step(ib, ref, "meldcode.wegen", weighing()))
    # Board contacts and step 5 are the directie's.
    for name, data in (
        ("meldcode.bestuur", board_form()),
        ("meldcode.melden", report_form()),
        ("meldcode.hulp", help_form()),
    ):
        r = step(ib, ref, name, data)
        assert r.status_code == 422 and "U mag de stap" in r.get_data(as_text=True), name
    with db_session(app):
        conversation = Conversation.get(Conversation.case == Case.get(Case.reference == ref).id)
        assert not conversation.held and conversation.reason_label == "De veiligheid van het kind"
        assert conversation.created_by.email == "directie@klaverweide.demo"


def test_weighing_needs_all_five_answers_with_explanations(app):
    ref = start(app, as_role(app, "leerkracht"))
    ib = as_role(app, "ib")
    ok(step(ib, ref, "meldcode.consultatie", consultation_form()))
    ok(step(ib, ref, "meldcode.gesprek", conversation_form()))
    data = weighing()
    del data["q3"]
    data["q5_note"] = ""
    r = step(ib, ref, "meldcode.wegen", data)
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "Beantwoord vraag 3 van het afwegingskader." in html
    assert "Licht het antwoord op vraag 5 toe." in html
    assert "Toelichting bij vraag 4." in html  # kept
    r = step(ib, ref, "meldcode.wegen", weighing(strong=""))
    assert r.status_code == 422 and "Geef aan of er een sterk vermoeden is." in r.get_data(as_text=True)
    assert state(app, ref) == "gesproken"
    ok(step(ib, ref, "meldcode.wegen", weighing()))
    with db_session(app):
        w = Weighing.get(Weighing.case == Case.get(Case.reference == ref).id)
        assert [a for _, a, _ in w.answers()] == ["Ja", "Nee", "Ja", "Ja", "Ja"]
        assert w.created_by.email == "ib@klaverweide.demo"


def test_a_yes_on_question_2_leaves_only_melden(app):
    ref = start(app, as_role(app, "leerkracht"))
    to_weighed(app, ref, q2="ja")
    director = as_role(app, "directie")
    ok(step(director, ref, "meldcode.bestuur", board_form()))
    for name, data in (
        ("meldcode.hulp", help_form()),
        ("meldcode.weggenomen", {"removed_reason": "Opgelost."}),
    ):
        r = step(director, ref, name, data)
        assert r.status_code == 422, name
        assert "Dan is melden bij Veilig Thuis het enige besluit." in r.get_data(as_text=True), name
    assert state(app, ref) == "gewogen"
    ok(step(director, ref, "meldcode.melden", report_form()))
    with db_session(app):
        case = Case.get(Case.reference == ref)
        dossier = Dossier.get(Dossier.case == case.id)
        assert case.state == "gemeld" and case.closed_at is not None
        assert dossier.decision == "melden" and dossier.vt_reference == "VT-2026-4711"
        assert dossier.decided_by.email == "directie@klaverweide.demo" and dossier.decided_on == today()


def test_help_needs_the_afwegingskader_to_allow_it(app):
    ref = start(app, as_role(app, "leerkracht"))
    to_weighed(app, ref, q4="nee")
    director = as_role(app, "directie")
    ok(step(director, ref, "meldcode.bestuur", board_form()))
    r = step(director, ref, "meldcode.hulp", help_form())
    assert r.status_code == 422 and "de betrokkenen die aanvaarden (vraag 4)" in r.get_data(as_text=True)
    # With a suspicion (question 1: yes) the concern is not "weggenomen".
    r = step(director, ref, "meldcode.weggenomen", {"removed_reason": "Opgelost."})
    assert r.status_code == 422 and "is er een vermoeden (vraag 1: ja)" in r.get_data(as_text=True)


def test_decision_refused_before_the_board_was_consulted(app):
    ref = start(app, as_role(app, "leerkracht"))
    to_weighed(app, ref, strong="ja")
    director = as_role(app, "directie")
    for name, data in (("meldcode.melden", report_form()), ("meldcode.hulp", help_form())):
        r = step(director, ref, name, data)
        assert r.status_code == 422, name
        # A strong suspicion: first the record that the clusterdirecteur was informed.
        assert "leg eerst vast wanneer de clusterdirecteur" in r.get_data(as_text=True), name
    ok(
        step(
            director,
            ref,
            "meldcode.clusterdirecteur",
            {**board_form(), "note": "Gebeld over het sterke vermoeden."},
        )
    )
    r = step(director, ref, "meldcode.melden", report_form())
    assert r.status_code == 422 and "Het besluit kan pas na overleg met het bestuur." in r.get_data(
        as_text=True
    )
    assert "J. de Vries" in r.get_data(as_text=True)  # what was typed is kept
    ok(step(director, ref, "meldcode.bestuur", board_form()))
    ok(step(director, ref, "meldcode.melden", report_form()))
    with db_session(app):
        case = Case.get(Case.reference == ref)
        kinds = [
            b.kind
            for b in BoardContact.select().where(BoardContact.case == case.id).order_by(BoardContact.id)
        ]
        assert kinds == ["geinformeerd", "overleg"]


def test_suspicion_taken_away_in_the_conversation_ends_the_steps(app):
    ref = start(app, as_role(app, "leerkracht"))
    ib = as_role(app, "ib")
    ok(step(ib, ref, "meldcode.consultatie", consultation_form()))
    ok(step(ib, ref, "meldcode.gesprek", {**conversation_form(), "outcome": "weggenomen"}))
    r = step(ib, ref, "meldcode.wegen", weighing())
    assert r.status_code == 422 and "de volgende stappen van de meldcode worden dan niet gezet" in (
        r.get_data(as_text=True)
    )
    director = as_role(app, "directie")
    ok(
        step(
            director,
            ref,
            "meldcode.weggenomen_na_gesprek",
            {"removed_reason": "Val van de fiets, bevestigd."},
        )
    )
    assert state(app, ref) == "weggenomen"


def test_conversation_needs_someone_spoken_with(app):
    ref = start(app, as_role(app, "leerkracht"))
    ib = as_role(app, "ib")
    ok(step(ib, ref, "meldcode.consultatie", consultation_form()))
    data = {k: v for k, v in conversation_form().items() if k not in ("with_parents", "with_child")}
    r = step(ib, ref, "meldcode.gesprek", data)
    assert r.status_code == 422 and "Vink aan met wie het gesprek is gevoerd" in r.get_data(as_text=True)


def test_consultation_with_veilig_thuis_needs_date_and_advice(app):
    ref = start(app, as_role(app, "leerkracht"))
    af = as_role(app, "aandachtsfunctionaris")
    r = step(af, ref, "meldcode.consultatie", {**consultation_form(), "vt_consulted": "y"})
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "Vul de datum in waarop Veilig Thuis is geraadpleegd." in html
    assert "Vul het advies van Veilig Thuis in." in html
    ok(
        step(
            af,
            ref,
            "meldcode.consultatie",
            {**consultation_form(), "vt_consulted": "y", "vt_on": day(-1), "vt_advice": "Gesprek aangaan."},
        )
    )
    ok(step(af, ref, "meldcode.veilig_thuis_geconsulteerd", {"consulted_on": day(0), "advice": "Nogmaals."}))
    with db_session(app):
        case = Case.get(Case.reference == ref)
        rows = list(VeiligThuisAdvice.select().where(VeiligThuisAdvice.case == case.id))
        assert [r.advice for r in rows] == ["Gesprek aangaan.", "Nogmaals."]
        assert all(r.created_by.email == "aandachtsfunctionaris@klaverweide.demo" for r in rows)
        assert Consultation.get(Consultation.case == case.id).with_whom.startswith("Hatice")


def test_going_back_a_step_is_recorded(app):
    ref = start(app, as_role(app, "leerkracht"))
    ib = to_weighed(app, ref)
    director = as_role(app, "directie")
    ok(step(director, ref, "meldcode.bestuur", board_form()))  # about the weighing that is redone
    r = step(ib, ref, "meldcode.terug_gewogen", {"noted_on": day(0)})
    assert r.status_code == 422 and "Beschrijf de nieuwe signalen." in r.get_data(as_text=True)
    ok(step(ib, ref, "meldcode.terug_gewogen", {"noted_on": day(0), "signals": "Daan vertelt over slaan."}))
    assert state(app, ref) == "gesproken"
    ok(step(ib, ref, "meldcode.wegen", weighing(q2="ja")))
    with db_session(app):
        case = Case.get(Case.reference == ref)
        signal = Signal.get(Signal.case == case.id)
        assert signal.back_to == "gesproken" and signal.created_by.email == "ib@klaverweide.demo"
        back = CaseEvent.get((CaseEvent.case == case.id) & (CaseEvent.transition == "meldcode.terug_gewogen"))
        assert (back.from_state, back.to_state, back.actor) == ("gewogen", "gesproken", "Marieke Postma")
        assert Weighing.select().where(Weighing.case == case.id).count() == 2
    # The board hears the new weighing: the earlier consultation no longer counts.
    r = step(director, ref, "meldcode.melden", report_form())
    assert r.status_code == 422 and "pas na overleg met het bestuur" in r.get_data(as_text=True)
    ok(step(director, ref, "meldcode.bestuur", board_form()))
    # The latest weighing counts: question 2 is now yes.
    r = step(director, ref, "meldcode.hulp", help_form())
    assert r.status_code == 422 and "het enige besluit" in r.get_data(as_text=True)
    html = director.get(f"{BASE}/zaken/{ref}").get_data(as_text=True)
    assert "Nieuwe signalen" in html and "Daan vertelt over slaan." in html


# ------------------------------------------------------ help with a term ----


def test_help_with_a_term_then_alsnog_melden(app):
    ref = start(app, as_role(app, "leerkracht"))
    ib = to_weighed(app, ref)
    director = as_role(app, "directie")
    ok(step(director, ref, "meldcode.bestuur", board_form()))
    r = step(director, ref, "meldcode.hulp", {**help_form(), "help_with": "", "help_term": day(0)})
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert (
        "Vul in met wie de afspraken zijn gemaakt." in html and "De termijn moet na vandaag liggen." in html
    )
    ok(step(director, ref, "meldcode.hulp", help_form()))
    with db_session(app):
        case = Case.get(Case.reference == ref)
        deadline = CaseDeadline.get((CaseDeadline.case == case.id) & (CaseDeadline.name == "meldcode.effect"))
        assert deadline.label == "Heeft de hulp het gewenste effect?"
        assert deadline.due_date.isoformat() == help_form()["help_term"] and deadline.met_at is None
        assert CaseChecklistItem.get(
            (CaseChecklistItem.case == case.id) & (CaseChecklistItem.name == "meldcode.afspraken")
        )
    # The file cannot close while the question is open: no other way out of "hulp".
    for name, data in (
        ("meldcode.melden", report_form()),
        ("meldcode.weggenomen", {"removed_reason": "x"}),
        ("meldcode.alsnog_melden", report_form()),
    ):
        assert step(director, ref, name, data).status_code == 422, name
    # Before the term the effect cannot be called a success ...
    r = step(ib, ref, "meldcode.effect_ja", {"effect_on": day(0), "effect_note": "Gaat goed."})
    assert r.status_code == 422 and "na afloop van die termijn beoordeeld" in r.get_data(as_text=True)
    # ... but a failure leads to "alsnog melden" at once: a melding never waits.
    ok(step(ib, ref, "meldcode.effect_nee", {"effect_on": day(0), "effect_note": "Nieuwe blauwe plekken."}))
    assert state(app, ref) == "alsnog_melden"
    r = step(ib, ref, "meldcode.alsnog_melden", report_form())
    assert r.status_code == 422 and "U mag de stap" in r.get_data(as_text=True)
    ok(step(director, ref, "meldcode.alsnog_melden", report_form()))
    with db_session(app):
        case = Case.get(Case.reference == ref)
        dossier = Dossier.get(Dossier.case == case.id)
        assert case.state == "gemeld" and case.closed_at is not None
        assert dossier.decision == "hulp" and dossier.effect_ok is False and dossier.reported_on == today()
        assert CaseDeadline.get(CaseDeadline.case == case.id).met_at is not None


def test_help_that_worked_closes_the_file_after_the_term(app):
    ref = start(app, as_role(app, "leerkracht"))
    ib = to_weighed(app, ref)
    director = as_role(app, "directie")
    ok(step(director, ref, "meldcode.bestuur", board_form()))
    ok(step(director, ref, "meldcode.hulp", help_form()))
    with db_session(app):
        case = Case.get(Case.reference == ref)
        Dossier.update(help_term=today()).where(Dossier.case == case.id).execute()
        item = CaseChecklistItem.get(
            (CaseChecklistItem.case == case.id) & (CaseChecklistItem.name == "meldcode.afspraken")
        )
    effect = {"effect_on": day(0), "effect_note": "Rust thuis."}
    r = step(ib, ref, "meldcode.effect_ja", effect)
    assert r.status_code == 422 and "afsprakendocument" in r.get_data(as_text=True)
    ok(post(ib, f"{BASE}/zaken/{ref}/checklist/{item.id}", {"done_on": day(0)}, page=f"{BASE}/zaken/{ref}"))
    ok(step(ib, ref, "meldcode.effect_ja", effect))
    with db_session(app):
        case = Case.get(Case.reference == ref)
        assert case.state == "hulp_afgerond" and Dossier.get(Dossier.case == case.id).effect_ok is True
        # Kept for the school's period: the Kennisnet default, 2 years.
        closed = local(case.closed_at).date()
        assert case.retention_until == closed.replace(year=closed.year + 2)


def test_retention_is_the_schools_setting(app):
    from portal.settings import set_setting

    with db_session(app):
        set_setting(School.get(School.slug == "klaverweide"), "meldcode.bewaartermijn", "5")
    ref = start(app, as_role(app, "leerkracht"))
    to_weighed(app, ref, q2="ja")
    director = as_role(app, "directie")
    ok(step(director, ref, "meldcode.bestuur", board_form()))
    ok(step(director, ref, "meldcode.melden", report_form()))
    with db_session(app):
        case = Case.get(Case.reference == ref)
        closed = local(case.closed_at).date()
        assert case.retention_until == closed.replace(year=closed.year + 5)
    # A legal hold (the core's) keeps it past that date.
    ok(post(director, f"{BASE}/zaken/{ref}/bewaarplicht", {"hold": "1", "reason": "Onderzoek politie."}))
    from portal import retention

    with db_session(app):
        later = today().replace(year=today().year + 6)
        assert ref not in [p.reference for p in retention.purge(today=later, dry_run=True)]


# ----------------------------------------------------------------- letters ----


def test_letters_on_the_letterhead(app):
    ref = start(app, as_role(app, "leerkracht"))
    ib = to_weighed(app, ref)
    director = as_role(app, "directie")
    text = pdf_text(app, ib, ref, "meldcode.verslag_gesprek")
    assert "De Klaverweide" in text and f"Kenmerk: {ref}" in text
    assert (
        "Verslag van ons gesprek over Ilse Koster" in text and "Moeder vertelt over spanningen thuis." in text
    )
    assert "de ouders/verzorgers en het kind" in text
    ok(step(director, ref, "meldcode.bestuur", board_form()))
    ok(step(director, ref, "meldcode.hulp", help_form()))
    text = pdf_text(app, director, ref, "meldcode.afsprakendocument")
    assert "Afspraken over hulp voor Ilse Koster" in text and "Opvoedondersteuning door het wijkteam" in text
    term = datetime.date.fromisoformat(help_form()["help_term"])
    from portal.dates import nl_date

    assert nl_date(term, weekday=True) in text and "alsnog een melding doen bij Veilig Thuis" in text
    ok(step(ib, ref, "meldcode.effect_nee", {"effect_on": day(0), "effect_note": "Geen verbetering."}))
    ok(step(director, ref, "meldcode.alsnog_melden", report_form()))
    text = pdf_text(app, director, ref, "meldcode.vastlegging_melding")
    for fact in ("VT-2026-4711", "J. de Vries, Veilig Thuis Flevoland", "lichamelijke mishandeling van Daan"):
        assert fact in text
    assert "Overleg met het bestuur" in text and "Ruben Hoekstra" in text


def test_the_verslag_needs_a_conversation_that_was_held(app):
    ref = start(app, as_role(app, "leerkracht"))
    director = as_role(app, "directie")
    ok(step(director, ref, "meldcode.consultatie", consultation_form()))
    html = director.get(f"{BASE}/zaken/{ref}").get_data(as_text=True)
    assert "Maak: Verslag van het gesprek met de ouders" not in html
    ok(
        step(
            director,
            ref,
            "meldcode.geen_gesprek",
            {"not_held_reason": "veiligheid_melder", "not_held_explanation": "Dreiging."},
        )
    )
    assert "Maak: Verslag van het gesprek" not in director.get(f"{BASE}/zaken/{ref}").get_data(as_text=True)
    # Forced anyway: a Dutch message on the case page, no letter made.
    r = post(director, f"{BASE}/zaken/{ref}/brief/meldcode.verslag_gesprek", {}, page=f"{BASE}/zaken/{ref}")
    assert r.status_code == 302
    assert "nu niet worden gemaakt" in director.get(f"{BASE}/zaken/{ref}").get_data(as_text=True)
    with db_session(app):
        case = Case.get(Case.reference == ref)
        assert not CaseDocument.select().where(CaseDocument.case == case.id).exists()


# ----------------------------------------------------------------- figures ----


def test_figures_are_counts_only_and_coarse_for_the_bestuur(app):
    year = school_year_of(today())
    for n in range(3):
        ref = start(app, as_role(app, "leerkracht"))
        if n == 0:
            to_weighed(app, ref, q2="ja")
            director = as_role(app, "directie")
            ok(step(director, ref, "meldcode.bestuur", board_form()))
            ok(step(director, ref, "meldcode.melden", report_form()))
    director = as_role(app, "directie")
    html = director.get(f"{BASE}/jaarcijfers/?jaar={year}").get_data(as_text=True)
    # The directie sees the exact numbers of its school: the 2 demo files and these 3.
    with db_session(app):
        started = (
            Case.select()
            .where((Case.case_type == "meldcode.dossier") & (Case.created_at >= _year_start(year)))
            .count()
        )
    assert f"Meldcode: trajecten gestart: {started}" in html
    assert "Meldcode: meldingen bij Veilig Thuis: 1" in html
    assert "Meldcode: Veilig Thuis anoniem geraadpleegd: " in html
    assert PUPIL not in html and "Amira" not in html and "MC-" not in html
    board = as_role(app, "bestuur")
    for url in (f"{BASE}/jaarcijfers/?jaar={year}", f"{BASE}/jaarcijfers/?jaar={year}&alle=1"):
        html = board.get(url).get_data(as_text=True)
        assert "Meldcode: meldingen bij Veilig Thuis: minder dan 5" in html
        assert "niet getoond (minder dan 5 besluiten)" in html
        assert PUPIL not in html and "MC-" not in html


def _year_start(year):
    from portal.figures import _utc_midnight

    return _utc_midnight(datetime.date(year, 8, 1))


def test_suppression_below_five_only(app):
    with db_session(app):
        school = School.get(School.slug == "klaverweide")
        year = school_year_of(today())
        figures = {f.name: f for f in reports.figures(school, year, actor("bestuur"))}
        exact = {f.name: f for f in reports.figures(school, year, actor("directie"))}
    assert figures["meldcode.trajecten"].value == "minder dan 5"
    assert all(v == "minder dan 5" for _, v in figures["meldcode.trajecten"].rows)
    assert exact["meldcode.trajecten"].value == 2  # the demo's two files
    assert dict(exact["meldcode.trajecten"].rows)["Afgesloten: de hulp had het gewenste effect"] == 1


def test_dashboard_panels(app):
    start(app, as_role(app, "leerkracht"))
    af = as_role(app, "aandachtsfunctionaris").get(f"{BASE}/").get_data(as_text=True)
    assert "Lopende dossiers" in af and "Hulp: effect te beoordelen" in af
    board = as_role(app, "bestuur").get(f"{BASE}/").get_data(as_text=True)
    assert "Meldcode" not in board and "Zorg over de thuissituatie" not in board


# -------------------------------------------------------------------- demo ----


def test_demo_has_one_file_at_step_2_and_one_closed_with_help(app):
    with db_session(app):
        cases = list(Case.select().where(Case.case_type == "meldcode.dossier").order_by(Case.id))
        assert [c.state for c in cases] == ["geconsulteerd", "hulp_afgerond"]
        assert all(c.confidential for c in cases)
        names = [Dossier.get(Dossier.case == c.id).pupil_name for c in cases]
        assert names == ["Yara Kaya", "Levi Smit"]
        for c in cases:
            link = CasePupil.get(CasePupil.case == c.id)
            assert link.pupil is not None and link.role == "betrokken"
        closed = Dossier.get(Dossier.case == cases[1].id)
        assert closed.decision == "hulp" and closed.effect_ok is True and closed.help_term < today()


@pytest.mark.parametrize("field", ["signals", "considerations"])
def test_control_characters_refused(app, field):
    r = post(as_role(app, "leerkracht"), START, concern(app, **{field: "a\x01b"}), page=START)
    assert r.status_code == 422 and "ongeldige tekens" in r.get_data(as_text=True)


def test_a_meldcode_file_stays_out_of_a_parents_inzage_unless_the_directie_includes_it(app):
    """The export of tests/test_inzage.py leaves out a type with inzage_by_default=False;
    the meldcode is such a type (inzage may be refused where it would harm the child)."""
    from portal.registry import get_registry

    with db_session(app):
        assert get_registry().case_types["meldcode.dossier"].inzage_by_default is False
        assert get_registry().case_types["klachten.klacht"].inzage_by_default is True
