"""The contactpersoon's complaint route (veiligheidsplan 3.2.3 and 3.5.3) as a case type.

ontvangen → in behandeling (first contact) → bemiddeling (conversations with the
person concerned or the directie) → doorverwezen (College van Bestuur or the
external vertrouwenspersoon, with consent) → afgerond.

Complaints start confidential: only the contactpersoon, the directie and the
assignee see them. The bestuur holds ``klachten.view`` too but sees a complaint
only once it is shared with the board: on referral to the College van Bestuur,
or when the legal reporting duty applies (see sensitive.py).
"""

from wtforms import BooleanField
from wtforms import DateField
from wtforms import Form
from wtforms import RadioField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms.validators import DataRequired
from wtforms.validators import InputRequired
from wtforms.validators import Length
from wtforms.validators import Optional

from portal.declarations import CaseType
from portal.declarations import ChecklistItem
from portal.declarations import Deadline
from portal.declarations import State
from portal.declarations import Transition
from portal.forms import no_nul
from portal.models import Case
from portal.models import utcnow
from portal.settings import get_setting

from . import sensitive
from .choices import CONVERSATION_WITH
from .choices import FIRST_CONTACT
from .choices import OUTCOMES
from .choices import REFERRAL_SHORT
from .choices import REFERRALS
from .choices import TYPE_NAME
from .models import Gesprek
from .models import Klacht
from .summary import context as summary_context

DATE_ERROR = "Vul een geldige datum in."


# ------------------------------------------------------------------ forms ----
# Every form is on the same case page: field names differ between forms, so that
# the ids (and the labels pointing at them) are unique on that page.

class TakeForm(Form):
    contact_on = DateField("Datum van het eerste contact met de indiener",
                           validators=[InputRequired(DATE_ERROR)])
    contact_how = RadioField("Hoe was het eerste contact?", choices=FIRST_CONTACT,
                             validators=[InputRequired("Kies hoe het eerste contact was.")])
    contact_note = TextAreaField("Verslag van het eerste contact (intern)",
                         validators=[Optional(), Length(max=10000), no_nul])


class ConversationForm(Form):
    talk_with = RadioField("Met wie is gesproken?", choices=CONVERSATION_WITH,
                           validators=[InputRequired("Kies met wie is gesproken.")])
    talk_names = StringField("Namen van de deelnemers", validators=[Optional(), Length(max=200), no_nul])
    talk_on = DateField("Datum van het gesprek", validators=[InputRequired(DATE_ERROR)])
    talk_outcome = TextAreaField("Uitkomst van het gesprek", validators=[
        DataRequired("Beschrijf de uitkomst van het gesprek."), Length(max=10000), no_nul])


class ReferForm(Form):
    refer_to = RadioField("Doorverwijzen naar", choices=REFERRALS,
                    validators=[InputRequired("Kies waarnaar u doorverwijst.")])
    refer_consent = BooleanField("De indiener stemt in met de doorverwijzing")
    refer_consent_on = DateField("Datum van de instemming", validators=[Optional()])
    refer_summary = TextAreaField("Samenvatting van de klacht voor de doorverwijzing", validators=[
        DataRequired("Schrijf een samenvatting."), Length(max=10000), no_nul])


class CloseForm(Form):
    close_outcome = RadioField("Uitkomst", choices=OUTCOMES,
                         validators=[InputRequired("Kies de uitkomst.")])
    close_summary = TextAreaField("Samenvatting bij het afsluiten", validators=[
        DataRequired("Schrijf een korte samenvatting."), Length(max=10000), no_nul])


class ReopenForm(Form):
    reopen_reason = TextAreaField("Waarom wordt de klacht heropend?", validators=[
        DataRequired("Vul een reden in."), Length(max=5000), no_nul])


# --------------------------------------------------- guards and effects ----

def _klacht(case):
    return Klacht.get(Klacht.case == case.id)


def take(case, form, user):
    """First contact: the complaint is acknowledged; the taker becomes the assignee if none."""
    now = utcnow()
    Klacht.update(acknowledged_at=now).where(
        (Klacht.case == case.id) & Klacht.acknowledged_at.is_null()).execute()
    Gesprek.create(case=case.id, kind="eerste_contact", held_on=form.contact_on.data,
                   with_whom="Indiener", outcome=form.contact_note.data or "", created_by=user.id)
    if case.assignee_id is None:
        Case.update(assignee=user.id).where(Case.id == case.id).execute()
        return f"In behandeling genomen en toegewezen aan {user.name}."
    return None


def record_conversation(case, form, user):
    Gesprek.create(case=case.id, kind=form.talk_with.data, held_on=form.talk_on.data,
                   with_whom=form.talk_names.data or "", outcome=form.talk_outcome.data,
                   created_by=user.id)
    return None


def need_consent(case, form, user):
    # Sharing a complaint with a third party needs the complainant's consent (3.2.3).
    if not form.refer_consent.data or form.refer_consent_on.data is None:
        return ("Leg vast dat de indiener instemt met de doorverwijzing, met de datum "
                "van de instemming.")
    return None


def refer(case, form, user):
    Klacht.update(referral_to=form.refer_to.data, referral_consent_on=form.refer_consent_on.data,
                  referral_summary=form.refer_summary.data).where(Klacht.case == case.id).execute()
    if form.refer_to.data == "cvb":
        sensitive.share_with_board(case)
        sensitive.mail_board(
            case, f"Klacht {case.reference} doorverwezen naar het College van Bestuur",
            f"De contactpersoon van {case.school.name} heeft klacht {case.reference} met "
            "instemming van de indiener doorverwezen naar het College van Bestuur "
            "(klachtenregeling ASG). Log in op het Veiligheidsportaal om de doorverwijzing "
            "te lezen. Deze e-mail bevat bewust geen details.")
        return "Doorverwezen naar het College van Bestuur; de klacht is nu zichtbaar voor het bestuur."
    return f"Doorverwezen naar {REFERRAL_SHORT[form.refer_to.data]}."


def close(case, form, user):
    Klacht.update(outcome=form.close_outcome.data, closing_summary=form.close_summary.data).where(
        Klacht.case == case.id).execute()
    return None


def reopen(case, form, user):
    Klacht.update(outcome="", closing_summary="").where(Klacht.case == case.id).execute()
    return None


# ---------------------------------------------------------------- deadlines ----

def ack_days(case):
    return get_setting(case.school, "klachten.ack_school_days")


def warn_days(case):
    return 7 * get_setting(case.school, "klachten.warn_weeks")


# --------------------------------------------------------------- the type ----
# No transition is ``public``: their form data (conversations, referral) is internal.
# The parent's page shows only the state's public_text and the dates of state changes.

OPEN_STATES = ("ontvangen", "in_behandeling", "bemiddeling", "doorverwezen")

TYPE = CaseType(
    name=TYPE_NAME,
    title="Klacht",
    prefix="KL",
    states=(
        State("ontvangen", "Ontvangen", public_text=(
            "Uw klacht is ontvangen. De contactpersoon van de school neemt de klacht in "
            "behandeling en neemt contact met u op.")),
        State("in_behandeling", "In behandeling", public_text=(
            "De contactpersoon behandelt uw klacht en zoekt samen met u naar een oplossing.")),
        State("bemiddeling", "Bemiddeling", public_text=(
            "Er worden gesprekken gevoerd, bijvoorbeeld met de leerkracht of met de directie, "
            "om samen tot een oplossing te komen.")),
        State("doorverwezen", "Doorverwezen", public_text=(
            "Uw klacht is met uw instemming doorverwezen: naar het College van Bestuur van de "
            "Almeerse Scholen Groep of naar de externe vertrouwenspersoon. U hoort van hen hoe "
            "het verder gaat.")),
        State("afgerond", "Afgerond", closed=True, public_text=(
            "Uw klacht is afgerond. Heeft u nog vragen, neem dan contact op met de school.")),
    ),
    initial="ontvangen",
    transitions=(
        Transition("klachten.in_behandeling", "In behandeling nemen (eerste contact)",
                   ("ontvangen",), "in_behandeling", "klachten.handle", form=TakeForm,
                   apply=take, order=10),
        Transition("klachten.gesprek", "Gesprek vastleggen (bemiddeling)",
                   ("in_behandeling", "bemiddeling"), "bemiddeling", "klachten.handle",
                   form=ConversationForm, apply=record_conversation, order=20),
        Transition("klachten.doorverwijzen", "Doorverwijzen",
                   ("in_behandeling", "bemiddeling"), "doorverwezen", "klachten.handle",
                   form=ReferForm, guard=need_consent, apply=refer, order=30),
        Transition("klachten.afronden", "Afronden",
                   OPEN_STATES, "afgerond", "klachten.handle",
                   form=CloseForm, apply=close, order=40),
        Transition("klachten.heropenen", "Heropenen", ("afgerond",), "in_behandeling",
                   "klachten.handle", form=ReopenForm, apply=reopen, order=50),
    ),
    view_permission="klachten.view",
    handle_permission="klachten.handle",
    checklist=(
        ChecklistItem("klachten.vertrouwenspersoon",
                      "Indiener gewezen op de externe vertrouwenspersoon"),
    ),
    deadlines=(
        Deadline("klachten.ontvangst", "Ontvangst bevestigen (eerste contact)", ack_days,
                 met_by=("klachten.in_behandeling",)),
        Deadline("klachten.lang_open", "Klacht staat te lang open", warn_days,
                 school_days=False),
    ),
    retention_days=365 * 2,
    confidential_roles=("contactpersoon", "directie"),
    summary_template="klachten/summary.html",
    summary_context=summary_context,
)
