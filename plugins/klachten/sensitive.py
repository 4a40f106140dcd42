"""Complaints about a staff member, and the legal reporting duty.

A complaint about a staff member is never shown to that person, whatever their
role: linking the account excludes it from the case (``api.exclude``), which the
core's visibility rules honour everywhere (list, detail page, dashboard counts).

Possible sexual abuse or sexual intimidation by a staff member brings the
legal reporting duty (meldplicht, WPO art. 4a): the board is informed at once and consults
the vertrouwensinspecteur. Where the school enabled the plugin meldplicht, the complaint
starts that duty route (a case of its own, linked to the complaint, which the bestuur sees
at once); any complaint can also start it later from its page ("Een vervolg starten").
Without that plugin the complaint gets the required checklist item of before. Either way the
complaint is shared with the board. Complaints flagged before the route existed keep their
flag and checklist item as they were.
"""

from portal import api

from .choices import CATEGORIES
from .models import Klacht

DUTY_ITEM = "klachten.meldplicht"
DUTY_LABEL = (
    "Meldplicht: het bestuur is direct geïnformeerd over mogelijk seksueel misbruik of "
    "seksuele intimidatie door een medewerker en heeft overlegd met de "
    "vertrouwensinspecteur"
)


def mail_people(case, people, subject, body):
    """Mail each of ``people`` once, leaving out whoever is excluded from the case (never
    details about a child or the complaint); return the addresses mailed."""
    shut_out = {e.user_id for e in api.CaseExclusion.select().where(api.CaseExclusion.case == case.id)}
    sent = set()
    for user in people:
        if user.id not in shut_out and user.email and user.email not in sent:
            api.queue_mail(user.email, subject, body, case=case)
            sent.add(user.email)
    return sent


def mail_board(case, subject, body):
    """Mail the bestuur of this school."""
    mail_people(case, api.users_with_permission(case.school, "klachten.bestuur"), subject, body)


ROUTE_TYPE = "meldplicht.melding"


def route_available(school):
    """Is the duty route (plugin meldplicht) loaded and enabled at ``school``?"""
    try:
        api.case_type(ROUTE_TYPE)
    except KeyError:
        return False
    return any(s.id == school.id for s in api.schools_enabling("meldplicht"))


def start_route(case, detail, user=None, staff=None):
    """Start the duty route from this complaint, through its own start form (the core's one
    way in), linked to the complaint (the route shuts out whoever is shut out of the
    complaint before anyone is mailed). Returns the new case, or None when the form refuses
    what the complaint holds (then the checklist item of before holds the duty)."""
    ct = api.case_type(ROUTE_TYPE)
    person = staff.name if staff is not None else (detail.staff_named or "Onbekend")
    data = {
        "person_name": person[:200],
        "person_function": "Medewerker (genoemd in klacht)",
        "person_account": str(staff.id) if staff is not None else "",
        "what": f"Uit klacht {case.reference} ({api.label(CATEGORIES, detail.category)}):\n"
        f"{detail.what_happened}"[:10000],
    }
    try:
        form = api.posted(ct.start.form, data, school=case.school)
    except ValueError:
        return None
    reporter = "Klachtformulier (ouder), via klacht " + case.reference if user is None else user.name
    return api.start_case(
        case.school, ROUTE_TYPE, form, user, origin=case, values={"reported_by": reporter[:200]}
    )


def start_reporting_duty(case, user=None, staff=None):
    """The duty route (or, without the plugin meldplicht, the required checklist item and a
    mail to the bestuur), and the complaint shared with the board (the bestuur holds
    klachten.view but is no confidential role). Once per complaint: the flag marks it."""
    detail = Klacht.get(Klacht.case == case.id)
    if detail.sexual_by_staff:
        return
    Klacht.update(sexual_by_staff=True).where(Klacht.case == case.id).execute()
    route = start_route(case, detail, user, staff) if route_available(case.school) else None
    if route is not None:
        api.set_confidential(
            case,
            False,
            user,
            f"Meldplicht: de meldroute {route.reference} is gestart; het bestuur is geïnformeerd "
            "en de klacht is zichtbaar gemaakt voor het bestuur.",
        )
        return
    api.add_checklist_item(case, DUTY_ITEM, DUTY_LABEL, required=True)
    mail_board(
        case,
        f"Meldplicht: klacht {case.reference} bij {case.school.name}",
        f"Bij {case.school.name} is een klacht binnengekomen ({case.reference}) over mogelijk "
        "seksueel misbruik of seksuele intimidatie door een medewerker. Het bestuur moet "
        "hierover direct worden geïnformeerd en overlegt met de vertrouwensinspecteur "
        "(wettelijke meldplicht).\n\nLog in op het Veiligheidsportaal om de klacht te bekijken. "
        "Deze e-mail bevat bewust geen details.",
    )
    api.set_confidential(
        case,
        False,
        user,
        "Meldplicht: het bestuur is per e-mail geïnformeerd "
        "en de klacht is zichtbaar gemaakt voor het bestuur.",
    )


def exclude_named(case, detail):
    """Shut out every staff member the parent's words may mean, from the moment the complaint
    is stored (docs/security.md B3): a colleague shut out wrongly is let in again by someone
    else with one click; the person a complaint is about must not read it, not even once."""
    named = api.staff_named(case.school, detail.staff_named) if detail.staff_named else []
    for person in named:
        api.exclude(
            case,
            person,
            None,
            f"{person.name} is uitgesloten: de indiener noemde "
            f"'{detail.staff_named}'. Klopt dat niet, laat deze medewerker dan weer toe.",
        )
    return named


def link_staff(case, staff, user, sexual=False):
    """Link the staff member the complaint is about: from now on they never see it."""
    Klacht.update(staff_user=staff.id).where(Klacht.case == case.id).execute()
    api.exclude(
        case,
        staff,
        user,
        f"Betrokken medewerker gekoppeld: {staff.name}. Deze "
        "medewerker is uitgesloten van deze klacht en ziet die nergens.",
    )
    if sexual or api.detail_of(case).category == "seksueel":
        start_reporting_duty(case, user, staff)
