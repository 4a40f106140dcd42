"""Complaints about a staff member, and the legal reporting duty.

A complaint about a staff member is never shown to that person, whatever their
role: linking the account creates a ``CaseExclusion``, which the core's
visibility rules honour everywhere (list, detail page, dashboard counts).

Possible sexual abuse or sexual intimidation by a staff member brings the
legal reporting duty (meldplicht): the board is informed at once and consults
the vertrouwensinspecteur. The case then gets a required checklist item, the
bestuur gets a mail (without details) and the case is shared with the board.
"""

from portal import mail
from portal.access import users_with_permission
from portal.cases import engine
from portal.models import Case
from portal.models import CaseChecklistItem
from portal.models import CaseExclusion

from .models import Klacht

DUTY_ITEM = "klachten.meldplicht"
DUTY_LABEL = ("Meldplicht: het bestuur is direct geïnformeerd over mogelijk seksueel misbruik of "
              "seksuele intimidatie door een medewerker en heeft overlegd met de "
              "vertrouwensinspecteur")


def share_with_board(case):
    """Make the complaint visible to the bestuur (holders of klachten.view outside the
    confidential roles). Called on referral to the College van Bestuur and for the meldplicht."""
    Case.update(confidential=False).where(Case.id == case.id).execute()
    case.confidential = False


def mail_board(case, subject, body):
    """Mail the bestuur of this school (never details about a child or the complaint)."""
    excluded = {e.user_id for e in CaseExclusion.select().where(CaseExclusion.case == case.id)}
    for user in users_with_permission(case.school, "klachten.bestuur"):
        if user.id not in excluded and user.email:
            mail.queue(user.email, subject, body, school=case.school)


def start_reporting_duty(case, user=None):
    """Required checklist item, mail to the bestuur, shared with the board. Idempotent."""
    Klacht.update(sexual_by_staff=True).where(Klacht.case == case.id).execute()
    exists = CaseChecklistItem.select().where(
        (CaseChecklistItem.case == case.id) & (CaseChecklistItem.name == DUTY_ITEM)).exists()
    if exists:
        return
    engine.add_checklist_item(case, DUTY_ITEM, DUTY_LABEL, required=True)
    share_with_board(case)
    mail_board(
        case, f"Meldplicht: klacht {case.reference} bij {case.school.name}",
        f"Bij {case.school.name} is een klacht binnengekomen ({case.reference}) over mogelijk "
        "seksueel misbruik of seksuele intimidatie door een medewerker. Het bestuur moet "
        "hierover direct worden geïnformeerd en overlegt met de vertrouwensinspecteur "
        "(wettelijke meldplicht).\n\nLog in op het Veiligheidsportaal om de klacht te bekijken. "
        "Deze e-mail bevat bewust geen details.")
    engine.add_event(case, "note", user, "Meldplicht: het bestuur is per e-mail geïnformeerd en "
                     "de klacht is zichtbaar gemaakt voor het bestuur.",
                     actor="" if user else "Veiligheidsportaal")


def link_staff(case, staff, user, sexual=False):
    """Link the staff member the complaint is about: from now on they never see it."""
    Klacht.update(staff_user=staff.id).where(Klacht.case == case.id).execute()
    CaseExclusion.insert(case=case.id, user=staff.id).on_conflict_ignore().execute()
    if case.assignee_id == staff.id:
        Case.update(assignee=None).where(Case.id == case.id).execute()
        case.assignee = None
    engine.add_event(case, "note", user,
                     f"Betrokken medewerker gekoppeld: {staff.name}. Deze medewerker is "
                     "uitgesloten van deze klacht en ziet die nergens.")
    klacht = Klacht.get(Klacht.case == case.id)
    if sexual or klacht.category == "seksueel":
        start_reporting_duty(case, user)


def is_sexual_by_staff(category, staff_named):
    return category == "seksueel" and bool((staff_named or "").strip())
