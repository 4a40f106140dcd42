"""Fictional demo complaints for the demo school, in different states.

The children are demo pupils of the register, named as a parent types them: the
contactpersoon linked Daan Vos (whose chronology has an incident too); Noah Bakker is still
"niet gekoppeld", to try linking on the case page. Two have a known follow-up code so the
follow-up page can be tried as a parent (demo only; real codes are random and shown once):
  the first complaint (pesten, ontvangen):   KLAV ERWE IDED EMOC ODEA AAAA
  the last complaint (afgerond, opgelost):    KLAV ERWE IDED EMOC ODEB BBBB
"""

import datetime

from werkzeug.datastructures import MultiDict

from portal import api

from . import sensitive
from .choices import TYPE_NAME
from .forms import ComplaintForm
from .models import Klacht

DEMO_CODES = ("KLAVERWEIDEDEMOCODEAAAAA", "KLAVERWEIDEDEMOCODEBBBBB")


def _complaint(school, code=None, **data):
    """A complaint as a parent sends it: through the form and the core's one way in."""
    form = ComplaintForm(MultiDict(data))
    if not form.validate():
        raise ValueError(f"demo complaint: {form.errors}")
    return api.start_public_case(school, TYPE_NAME, form, code=code)[0]


def _backdate(case, days_ago, ack_after=None, closed_after=None):
    """Move a demo case into the past, so deadlines and figures have something to show
    (``api.backdate`` counts the deadlines again from the new creation date)."""
    created = api.utcnow() - datetime.timedelta(days=days_ago)
    with api.atomic():
        api.backdate(
            case, created, None if closed_after is None else created + datetime.timedelta(days=closed_after)
        )
        if ack_after is not None:
            Klacht.update(acknowledged_at=created + datetime.timedelta(days=ack_after)).where(
                Klacht.case == case.id
            ).execute()


def add_demo(school):
    cp = api.acting_user(api.User.get(api.User.email == "contactpersoon@klaverweide.demo"))
    today = api.today().isoformat()

    def step(case, name, **form):
        api.run_transition(case, name, cp, form)

    case = _complaint(
        school,
        DEMO_CODES[0],
        category="pesten",
        pupil_name="Daan Vos",
        pupil_group="6b",
        what_happened="Mijn zoon wordt al weken op het schoolplein uitgescholden door "
        "een paar kinderen uit groep 7.",
        happened_when="sinds de herfstvakantie",
        tried_teacher="y",
        hoped_for="Dat de pleinwacht ingrijpt en dat we samen een plan maken.",
        contact_name="M. Vos (fictief)",
        contact_email="ouder1@voorbeeld.demo",
    )
    _backdate(case, 9)
    [typed] = api.case_pupils(case)
    api.link_pupil(case, api.demo_pupil(school, "Daan Vos"), cp, "slachtoffer", unlinked=typed)

    case = _complaint(
        school,
        category="discriminatie",
        pupil_name="Noah Bakker",
        what_happened="Tijdens de gymles werd een opmerking gemaakt over de afkomst van "
        "mijn zoon, en er werd niets mee gedaan.",
        hoped_for="Een gesprek met de leerkracht en de directie.",
    )
    _backdate(case, 6, ack_after=2)
    step(
        case,
        "klachten.in_behandeling",
        contact_on=today,
        contact_how="volgpagina",
        contact_note="Bericht op de volgpagina gezet met een voorstel voor een gesprek.",
    )
    api.add_note(
        case,
        cp,
        "Wilt u contact met mij opnemen via de school (036 000 0000)? Dan plannen we samen een gesprek.",
        visible_to_submitter=True,
    )

    case = _complaint(
        school,
        category="medewerker",
        staff_named="juf Sanne",
        pupil_group="3",
        what_happened="De leerkracht reageert niet op onze berichten over de leesproblemen van ons kind.",
        tried_teacher="y",
        contact_name="P. de Vries (fictief)",
        contact_phone="06 0000 0000",
    )
    with api.atomic():
        _backdate(case, 15, ack_after=3)
        sensitive.link_staff(case, api.User.get(api.User.email == "leerkracht@klaverweide.demo"), cp)
    step(case, "klachten.in_behandeling", contact_on=today, contact_how="telefoon")
    step(
        case,
        "klachten.gesprek",
        talk_with="directie",
        talk_names="R. Hoekstra",
        talk_on=today,
        talk_outcome="Afgesproken dat de leerkracht binnen twee dagen reageert; over twee weken "
        "een vervolggesprek.",
    )

    case = _complaint(
        school,
        DEMO_CODES[1],
        category="organisatie",
        what_happened="De nieuwsbrief over de schoolreis kwam pas een dag van tevoren.",
        hoped_for="Eerder informatie.",
        contact_email="ouder2@voorbeeld.demo",
    )
    step(case, "klachten.in_behandeling", contact_on=today, contact_how="email")
    step(
        case,
        "klachten.afronden",
        close_outcome="opgelost",
        close_summary="De directie heeft toegezegd de data van uitjes voortaan bij het begin van het "
        "schooljaar te delen.",
    )
    _backdate(case, 30, ack_after=1, closed_after=9)
