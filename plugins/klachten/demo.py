"""Fictional demo complaints for the demo school, in different states.

Two have a known follow-up code so the follow-up page can be tried as a parent
(demo only; real codes are random and shown once):
  the first complaint (pesten, ontvangen):   KLAV ERWE IDED EMOC ODEA AAAA
  the last complaint (afgerond, opgelost):    KLAV ERWE IDED EMOC ODEB BBBB
"""

import datetime
from types import SimpleNamespace

from portal.cases import engine
from portal.db import atomic
from portal.models import Case
from portal.models import CaseEvent
from portal.models import User
from portal.schoolcalendar import SchoolCalendar

from . import sensitive
from .models import Klacht
from .submission import submit

DEMO_CODES = ("KLAVERWEIDEDEMOCODEAAAAA", "KLAVERWEIDEDEMOCODEBBBBB")


def _actor(email):
    """A stand-in for the logged-in user that the engine expects."""
    u = User.get(User.email == email)
    return SimpleNamespace(id=u.id, name=u.name, email=u.email, is_authenticated=True)


def _backdate(case, days_ago, ack_after=None, closed_after=None):
    """Move a demo case into the past, so deadlines and figures have something to show."""
    created = datetime.datetime.now(datetime.UTC).replace(tzinfo=None) - datetime.timedelta(
        days=days_ago)
    update = {Case.created_at: created}
    if closed_after is not None:
        update[Case.closed_at] = created + datetime.timedelta(days=closed_after)
    Case.update(update).where(Case.id == case.id).execute()
    CaseEvent.update(at=created).where(
        (CaseEvent.case == case.id) & (CaseEvent.kind == "created")).execute()
    if ack_after is not None:
        Klacht.update(acknowledged_at=created + datetime.timedelta(days=ack_after)).where(
            Klacht.case == case.id).execute()
    due = SchoolCalendar.for_school(case.school).add_school_days(created.date(), 5)
    engine.add_deadline(case, "klachten.ontvangst", "Ontvangst bevestigen (eerste contact)", due)
    engine.add_deadline(case, "klachten.lang_open", "Klacht staat te lang open",
                        created.date() + datetime.timedelta(weeks=6))


def add_demo(school):
    cp = _actor("contactpersoon@klaverweide.demo")
    today = datetime.date.today().isoformat()

    def step(case, name, **form):
        case.school = school
        engine.run_transition(case, name, cp, form)

    case, _ = submit(school, {
        "category": "pesten", "pupil_name": "Noor (fictief)", "pupil_group": "5",
        "what_happened": "Mijn dochter wordt al weken op het schoolplein uitgescholden door "
                         "een paar kinderen uit groep 6.",
        "happened_when": "sinds de herfstvakantie", "tried_teacher": True,
        "hoped_for": "Dat de pleinwacht ingrijpt en dat we samen een plan maken.",
        "contact_name": "M. Jansen (fictief)", "contact_email": "ouder1@voorbeeld.demo",
    }, code=DEMO_CODES[0])
    case.school = school
    with atomic():
        _backdate(case, 9)

    case, _ = submit(school, {
        "category": "discriminatie",
        "what_happened": "Tijdens de gymles werd een opmerking gemaakt over de afkomst van "
                         "mijn zoon, en er werd niets mee gedaan.",
        "hoped_for": "Een gesprek met de leerkracht en de directie.",
    })
    case.school = school
    with atomic():
        _backdate(case, 6, ack_after=2)
    step(case, "klachten.in_behandeling", contact_on=today, contact_how="volgpagina",
         contact_note="Bericht op de volgpagina gezet met een voorstel voor een gesprek.")
    engine.add_note(case, cp, "Wilt u contact met mij opnemen via de school (036 000 0000)? "
                    "Dan plannen we samen een gesprek.", visible_to_submitter=True)

    case, _ = submit(school, {
        "category": "medewerker", "staff_named": "juf Sanne", "pupil_group": "3",
        "what_happened": "De leerkracht reageert niet op onze berichten over de "
                         "leesproblemen van ons kind.",
        "tried_teacher": True, "contact_name": "P. de Vries (fictief)",
        "contact_phone": "06 0000 0000",
    })
    case.school = school
    with atomic():
        _backdate(case, 15, ack_after=3)
        sensitive.link_staff(case, User.get(User.email == "leerkracht@klaverweide.demo"), cp)
    step(case, "klachten.in_behandeling", contact_on=today, contact_how="telefoon")
    step(case, "klachten.gesprek", talk_with="directie", talk_names="R. Hoekstra", talk_on=today,
         talk_outcome="Afgesproken dat de leerkracht binnen twee dagen reageert; over twee weken "
                 "een vervolggesprek.")

    case, _ = submit(school, {
        "category": "organisatie",
        "what_happened": "De nieuwsbrief over de schoolreis kwam pas een dag van tevoren.",
        "hoped_for": "Eerder informatie.", "contact_email": "ouder2@voorbeeld.demo",
    }, code=DEMO_CODES[1])
    case.school = school
    step(case, "klachten.in_behandeling", contact_on=today, contact_how="email")
    step(case, "klachten.afronden", close_outcome="opgelost",
         close_summary="De directie heeft toegezegd de data van uitjes voortaan bij het begin van het "
                 "schooljaar te delen.")
    with atomic():
        _backdate(case, 30, ack_after=1, closed_after=9)
