"""A suspension in time (issue 14, item 2): a decision takes effect only from the day it is
made and the parents have it in writing (WPO art. 40c); an evaluation is not dated before
the suspension; a consultation or hearing not before the incident; the parents' letter
names the day the pupil returns and the schoolwork; the leerplichtambtenaar is informed.
Each refusal with its exact Dutch reason, and nothing changed."""

import datetime

from plugins.schorsing.models import BoardConsultation
from plugins.schorsing.models import Evaluation
from plugins.schorsing.models import Hearing
from plugins.schorsing.models import Suspension
from portal.db import database
from portal.models import Case
from portal.models import CaseEvent

from .conftest import login
from .test_schorsing import DECISION
from .test_schorsing import TODAY
from .test_schorsing import consult
from .test_schorsing import decide
from .test_schorsing import pdf_text
from .test_schorsing import report_incident
from .test_schorsing import step
from .test_schorsing import the_day  # noqa: F401 - today is Wednesday 11 March 2026
from .test_schorsing import tick


def events(ref, transition):
    database.connect(reuse_if_open=True)
    case = Case.get(Case.reference == ref)
    return (
        CaseEvent.select().where((CaseEvent.case == case.id) & (CaseEvent.transition == transition)).count()
    )


def state(ref):
    database.connect(reuse_if_open=True)
    return Case.get(Case.reference == ref).state


def suspended(ref):
    database.connect(reuse_if_open=True)
    return Suspension.select().join(Case).where(Case.reference == ref).exists()


def test_a_first_day_before_today_is_refused(client):
    login(client, "directie")
    ref = report_incident(client)
    consult(client, ref)
    r = step(client, ref, "schorsing.besluit", {**DECISION, "first_day": "2026-03-10", "confirmed": "y"})
    assert r.status_code == 422
    assert (
        "De eerste schorsingsdag ligt vóór vandaag (11 maart 2026): een schorsing kan niet met "
        "terugwerkende kracht ingaan (WPO art. 40c)." in r.get_data(as_text=True)
    )
    assert not suspended(ref) and state(ref) == "in_behandeling" and events(ref, "schorsing.besluit") == 0


def test_today_is_refused_while_the_letter_has_not_gone_out(client):
    login(client, "directie")
    ref = report_incident(client)
    consult(client, ref)
    r = step(client, ref, "schorsing.besluit", {**DECISION, "first_day": TODAY.isoformat()})
    assert r.status_code == 422
    assert (
        "Een schorsing kan pas ingaan als de ouders het besluit schriftelijk hebben: de "
        "schorsingsbrief is nog niet verstuurd. Kies als eerste schorsingsdag donderdag 12 maart "
        "2026 of later." in r.get_data(as_text=True)
    )
    assert not suspended(ref) and events(ref, "schorsing.besluit") == 0
    # Once the parents have the letter in writing (ticked), today may be the first day.
    tick(client, ref, "schorsing.brief_ouders")
    _, second = decide(client, ref, first_day=TODAY.isoformat(), days="1")
    assert second.status_code == 302, second.get_data(as_text=True)
    assert suspended(ref)


def test_the_conversation_in_the_letter_cannot_lie_before_today(client):
    login(client, "directie")
    ref = report_incident(client)
    consult(client, ref)
    r = step(client, ref, "schorsing.besluit", {**DECISION, "meeting_on": "2026-03-10"})
    assert r.status_code == 422
    assert (
        "Het gesprek met de ouders kan niet vóór vandaag zijn: de brief nodigt hen ervoor uit."
        in r.get_data(as_text=True)
    )
    assert not suspended(ref)


def test_consultation_and_hearing_not_before_the_incident(client):
    login(client, "directie")
    ref = report_incident(client)  # the incident of 9 March 2026
    message = (
        "Deze datum ligt vóór het incident (9 maart 2026): vul de datum in waarop het gesprek is gevoerd."
    )
    r = step(
        client,
        ref,
        "schorsing.overleg",
        {"held_on": "2026-03-08", "with_whom": "Ingrid Verbeek", "outcome": "Schorsen."},
    )
    assert r.status_code == 422 and message in r.get_data(as_text=True)
    r = step(client, ref, "schorsing.horen", {"held_on": "2026-03-06", "summary": "Gehoord."})
    assert r.status_code == 422 and message in r.get_data(as_text=True)
    database.connect(reuse_if_open=True)
    case = Case.get(Case.reference == ref)
    assert not BoardConsultation.select().where(BoardConsultation.case == case.id).exists()
    assert not Hearing.select().where(Hearing.case == case.id).exists()
    assert state(ref) == "gemeld"


def test_an_evaluation_cannot_lie_before_the_suspension(client):
    login(client, "directie")
    ref = report_incident(client)
    consult(client, ref)
    assert decide(client, ref)[1].status_code == 302  # Thursday 12 to Monday 16 March
    r = step(client, ref, "schorsing.evaluatie", {"held_on": "2026-03-11", "summary": "Vroeg."})
    assert r.status_code == 422
    assert (
        "De evaluatie kan niet vóór de schorsing liggen: de schorsing begon op donderdag 12 maart 2026."
        in r.get_data(as_text=True)
    )
    database.connect(reuse_if_open=True)
    case = Case.get(Case.reference == ref)
    assert not Evaluation.select().where(Evaluation.case == case.id).exists()
    assert state(ref) == "geschorst"
    r = step(client, ref, "schorsing.evaluatie", {"held_on": "2026-03-17", "summary": "Goed terug."})
    assert r.status_code == 302


def test_the_letter_names_the_return_day_and_the_leerplichtambtenaar_is_a_required_notice(app, client):
    login(client, "directie")
    ref = report_incident(client)
    consult(client, ref)
    # Friday 13 March: one day; the pupil returns on Monday 16 March, after the weekend.
    assert decide(client, ref, first_day="2026-03-13", days="1")[1].status_code == 302
    letter = pdf_text(client, ref, "schorsing.brief_ouders")
    assert "Uw kind is op maandag 16 maart 2026 weer welkom op school." in letter
    assert "Terug op school maandag 16 maart 2026" in letter
    assert "Schoolwerk tijdens de schorsing" in letter and "weekwerk" in letter
    assert "leerplichtambtenaar" in letter
    database.connect(reuse_if_open=True)
    from portal.models import CaseChecklistItem

    item = (
        CaseChecklistItem.select()
        .join(Case)
        .where((Case.reference == ref) & (CaseChecklistItem.name == "schorsing.leerplicht"))
        .get()
    )
    assert item.due_date == datetime.date(2026, 3, 13)
    notice = pdf_text(client, ref, "schorsing.melding_leerplicht")
    for fact in (
        "Aan de leerplichtambtenaar",
        "Mila Kramer (groep 5b)",
        "vrijdag 13 maart 2026",
        "maandag 16 maart 2026",
    ):
        assert fact in notice, fact
